// Masks private and special addresses in a report before it is shared. What counts as one comes from the one
// list of special-purpose ranges (common/net/address-ranges.ts): RFC 1918, CGNAT (100.64/10), loopback,
// link-local, 0/8, 192.0.0/24, benchmarking (198.18/15, 2001:2::/48), 240/4, IPv6 unique-local, site-local and
// discard-only — and IPv6 addresses that carry such an IPv4 inside (IPv4-mapped, -compatible, SIIT, NAT64, 6to4,
// Teredo). mDNS names (`<uuid>.local`) become `x.local`. Public addresses stay (documentation and multicast
// ranges count as public here): they are what a helper needs to see, and the other peer saw them anyway.
//
// Every string in the report is scanned, in every spelling browsers and our own messages use: IPv4 (also with
// leading zeros and a port), IPv6 in any case, compressed or not, with or without brackets, with a zone id
// (`%eth0`, `%25eth0`) and with a port written after it without brackets (`fd00::1:5000`, as errors[].message
// does). When a run of text can be read several ways (address, or address and port), it is masked if any
// reading is a private address. Addresses are parsed by common/net/ip-address.ts. Pure.
import { embeddedIPv4, specialRangeOf, type RangeKind } from './net/address-ranges';
import { ipToBytes } from './net/ip-address';

/** Ranges whose addresses describe someone's own network. */
const MASKED: ReadonlySet<RangeKind> = new Set<RangeKind>(['unspecified', 'private', 'shared', 'loopback', 'link-local', 'protocol', 'benchmarking', 'reserved', 'unique-local', 'site-local', 'discard']);

const V6_LABELS: Partial<Record<RangeKind, string>> = {
  loopback: '::x (loopback)',
  'unique-local': 'fdxx::x',
  'link-local': 'fe80::x',
  'site-local': 'fec0::x',
  discard: '100::x',
  benchmarking: '2001:2::x',
};

/** The mask of a private IPv4 address (4 bytes): its range, never the host part ('10.x.x.x', '172.16-31.x.x'). */
export function maskIPv4Bytes(v4: Uint8Array): string | null {
  if (v4.length !== 4 || (v4[0] === 0 && v4[1] === 0 && v4[2] === 0 && v4[3] === 0)) return null; // 0.0.0.0 hides nothing
  const range = specialRangeOf(v4);
  if (!range || !MASKED.has(range.kind)) return null;
  const prefix = range.parsed.prefix;
  const octets: string[] = [];
  for (let i = 0; i < 4; i++) {
    const bits = Math.min(8, Math.max(0, prefix - 8 * i));
    if (bits === 8) octets.push(String(v4[i]));
    else if (bits === 0) octets.push('x');
    else {
      const lo = v4[i]! & ((0xff << (8 - bits)) & 0xff);
      octets.push(`${lo}-${lo | (0xff >> bits)}`);
    }
  }
  return octets.join('.');
}

/** The mask of a private or private-carrying IPv6 address (16 bytes), or null when it may be shown. */
export function maskIPv6Bytes(v6: Uint8Array): string | null {
  for (const { how, v4 } of embeddedIPv4(v6)) {
    const m = maskIPv4Bytes(v4);
    if (!m) continue;
    if (how === 'mapped') return `::ffff:${m}`;
    if (how === 'siit') return `::ffff:0:${m}`;
    if (how === 'compatible') return `::${m}`;
    if (how === 'nat64') return `64:ff9b::${m}`;
    if (how === '6to4') return `2002:x (6to4 of ${m})`;
    return `2001:x (Teredo, ${m})`;
  }
  const range = specialRangeOf(v6);
  if (!range || range.kind === 'embeds-ipv4' || !MASKED.has(range.kind)) return null;
  if (range.kind === 'unspecified') return null; // '::' hides nothing
  return V6_LABELS[range.kind] ?? 'x::x';
}

/** The mask for an address literal, or null when it is public (or not an address). */
function maskAddress(text: string): string | null {
  const b = ipToBytes(text);
  if (!b) return null;
  return b.length === 4 ? maskIPv4Bytes(b) : maskIPv6Bytes(b);
}

// A run of text that may hold an IPv6 address: hex digits, dots and at least one colon, then maybe a zone id
// (only right after a hex digit: "turn:%5B…" is not a zone).
const V6_RUN = /(?<![0-9A-Fa-f.:])[0-9A-Fa-f.:]*:[0-9A-Fa-f.:]*((?<=[0-9A-Fa-f])%(?:25)?[0-9A-Za-z_.~-]+)?/g;
const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/g;
const MDNS = /(?<![A-Za-z0-9.-])[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.local(?![A-Za-z0-9-])/gi;
const PORT = /:(\d{1,5})$/;

interface Reading {
  start: number;
  end: number;
}

/** The longest address text with a port: 45 characters of IPv6 with an IPv4 tail, ':', 5 digits. */
const MAX_ADDRESS_CHARS = 52;

/**
 * Where an address may sit inside `core`: all of it, without a trailing :port, and — glued to a word, or in a run
 * too long to be one address — after a colon near its end. Bounded work per run, whatever its length.
 */
function readings(core: string, glued: boolean): Reading[] {
  const out: Reading[] = [];
  const long = core.length > MAX_ADDRESS_CHARS;
  const starts = long ? [] : [0];
  if (glued || long) {
    for (let i = Math.max(1, core.length - MAX_ADDRESS_CHARS); i < core.length; i++) if (core[i - 1] === ':' || core[i] === ':') starts.push(i);
  }
  const port = PORT.exec(core.slice(-6));
  const portAt = port && Number(port[1]) <= 65535 ? core.length - port[0].length : -1;
  for (const start of starts) {
    out.push({ start, end: core.length });
    if (portAt > start) out.push({ start, end: portAt });
  }
  return out;
}

function maskV6Run(run: string, zone: string | undefined, before: string): string {
  let text = zone ? run.slice(0, -zone.length) : run;
  // URL-encoded brackets ("%5Bfd00::1%5D"): the run starts after '%' with "5B", and "%5D" scans as a zone id.
  const closing = zone && /^%5d/i.test(zone) ? zone : '';
  let lead = '';
  if (before === '%' && /^5b/i.test(text)) {
    lead = text.slice(0, 2);
    text = text.slice(2);
  }
  const glued = lead === '' && /[A-Za-z0-9_]/.test(before);
  // Punctuation around the address: a sentence's full stop, a single colon before or after it ("from:", "addr:").
  let trail = '';
  while (text.endsWith('.') || (text.endsWith(':') && (!text.endsWith('::') || text.endsWith(':::')))) {
    trail = text.slice(-1) + trail;
    text = text.slice(0, -1);
  }
  const colonLead = text.startsWith(':') && (!text.startsWith('::') || text.startsWith(':::'));
  if (colonLead) {
    lead += ':';
    text = text.slice(1);
  }
  // Text glued to a word ("code:fd00::1" scans as "de:fd00::1") is also read from after each single colon.
  for (const r of readings(text, glued && !colonLead)) {
    const mask = maskAddress(text.slice(r.start, r.end));
    // The zone id names an interface of the device: it goes with the address.
    if (mask) return `${lead}${text.slice(0, r.start)}${mask}${text.slice(r.end)}${trail}${closing}`;
  }
  return run;
}

/** How many address-like spans a redaction may still look at (each costs a parse); shared by one report's strings. */
export interface RedactBudget {
  spans: number;
}

export class RedactBudgetExceeded extends Error {
  override readonly name = 'RedactBudgetExceeded';
}

function spend(budget: RedactBudget | undefined): void {
  if (budget && --budget.spans < 0) throw new RedactBudgetExceeded('too many address-like spans to check');
}

/** The text with every private address in it masked. */
export function redactText(text: string, budget?: RedactBudget): string {
  let out = text.replace(V6_RUN, (run: string, zone: string | undefined, offset: number, whole: string) => {
    if (!/:.*:|\d+\.\d+\.\d+\.\d+/.test(run)) return run; // one colon and no IPv4: "12:30", "a:b"
    spend(budget);
    return maskV6Run(run, zone, offset > 0 ? whole[offset - 1]! : '');
  });
  out = out.replace(IPV4, (span: string) => (spend(budget), maskAddress(span) ?? span));
  out = out.replace(MDNS, 'x.local');
  return out;
}

/** A deep copy of any JSON value with every string redacted (object keys included). */
export function redactJson<T>(value: T, budget?: RedactBudget): T {
  if (typeof value === 'string') return redactText(value, budget) as T;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, budget)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactText(k, budget)] = redactJson(v, budget);
    return out as T;
  }
  return value;
}

/**
 * The report as it may be shared: private addresses masked, everything else as it was. With `maxSpans`, null when
 * the report holds more address-like spans than that (a real one holds a few thousand at most): each costs a
 * parse, so the bound keeps one save from holding the event loop.
 */
export function redactReport<R extends object>(report: R): R;
export function redactReport<R extends object>(report: R, maxSpans: number): R | null;
export function redactReport<R extends object>(report: R, maxSpans?: number): R | null {
  try {
    return { ...redactJson(report, maxSpans === undefined ? undefined : { spans: maxSpans }), redacted: true };
  } catch (err) {
    if (err instanceof RedactBudgetExceeded) return null;
    throw err;
  }
}
