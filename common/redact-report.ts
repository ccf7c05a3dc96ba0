// Masks private addresses in a report before it is shared: RFC 1918 (10/8, 172.16/12, 192.168/16), CGNAT
// (100.64/10, RFC 6598), link-local (169.254/16, fe80::/10), loopback (127/8, ::1) and unique-local IPv6
// (fc00::/7, RFC 4193). Public addresses stay: they are what a helper needs to see (and the other peer saw
// them anyway). Every string in the report is scanned — candidates, pairs, the selected-pair history, error
// messages, fields added later — so nothing slips through a field this file does not know. Pure.

/** What a masked address keeps: the range it is in, never the host part. */
export function maskIPv4(a: number, b: number): string | null {
  if (a === 10) return '10.x.x.x';
  if (a === 172 && b >= 16 && b <= 31) return '172.16-31.x.x';
  if (a === 192 && b === 168) return '192.168.x.x';
  if (a === 100 && b >= 64 && b <= 127) return '100.64-127.x.x';
  if (a === 169 && b === 254) return '169.254.x.x';
  if (a === 127) return '127.x.x.x';
  return null;
}

const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/g;
// Candidate IPv6 spans: hex groups with at least two colons (validated by parseIPv6 before masking).
const IPV6 = /(?<![0-9A-Za-z:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[0-9A-Za-z_.-]+)?(?![0-9A-Za-z:])/g;

/** The eight 16-bit groups of an IPv6 address (IPv4-in-IPv6 tail allowed), or null when it is not one. */
export function parseIPv6(text: string): number[] | null {
  const s = text.replace(/%.*$/, '');
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return null;
  let tail: number[] = [];
  let head = s;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const o = v4.slice(1).map(Number);
    if (o.some((x) => x > 255)) return null;
    tail = [(o[0]! << 8) | o[1]!, (o[2]! << 8) | o[3]!];
    head = s.slice(0, v4.index);
    if (!head.endsWith(':')) return null;
    head = head.endsWith('::') ? head : head.slice(0, -1);
  }
  const parts = head.split('::');
  if (parts.length > 2) return null;
  const parse = (p: string) => (p === '' ? [] : p.split(':'));
  const left = parse(parts[0]!);
  const right = parts.length === 2 ? parse(parts[1]!) : [];
  if ([...left, ...right].some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return null;
  const given = left.length + right.length + tail.length;
  if (parts.length === 1 ? given !== 8 : given > 7) return null;
  const zeros = new Array<number>(8 - given).fill(0);
  return [...left.map((g) => parseInt(g, 16)), ...(parts.length === 2 ? zeros : []), ...right.map((g) => parseInt(g, 16)), ...tail];
}

export function maskIPv6(groups: number[]): string | null {
  const [g0 = 0] = groups;
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return '::x (loopback)';
  if ((g0 & 0xfe00) === 0xfc00) return 'fdxx::x';
  if ((g0 & 0xffc0) === 0xfe80) return 'fe80::x';
  // IPv4-mapped (::ffff:a.b.c.d): judge the IPv4 address inside.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const m = maskIPv4(groups[6]! >> 8, groups[6]! & 0xff);
    return m && `::ffff:${m}`;
  }
  return null;
}

/** The text with every private address in it masked. */
export function redactText(text: string): string {
  let out = text.replace(IPV6, (span) => {
    const groups = parseIPv6(span);
    return (groups && maskIPv6(groups)) ?? span;
  });
  out = out.replace(IPV4, (span, a: string, b: string, c: string, d: string) => {
    if ([a, b, c, d].some((x) => Number(x) > 255)) return span;
    return maskIPv4(Number(a), Number(b)) ?? span;
  });
  return out;
}

/** A deep copy of any JSON value with every string redacted (object keys included). */
export function redactJson<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactJson(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redactText(k)] = redactJson(v);
    return out as T;
  }
  return value;
}

/** The report as it may be shared: private addresses masked, everything else as it was. */
export const redactReport = <R extends object>(report: R): R => ({ ...redactJson(report), redacted: true });
