// Property test of saved-report masking: random private and special addresses, in random spellings, inside random
// text, in random string fields of a real report — none may survive redactReport; random public addresses in
// the same contexts must survive unchanged. Seeded and bounded (RUNS cases each), so a failure repeats.
import { describe, expect, it } from 'vitest';
import { specialRangeOf } from './net/address-ranges';
import { redactReport } from './redact-report';
import { sampleReport } from './testdata/sample-report';

// REDACT_RUNS / REDACT_SEED explore further (e.g. REDACT_RUNS=20000 REDACT_SEED=7 npx vitest run <this file>).
const RUNS = Number(process.env.REDACT_RUNS) || 400;
const SEED = Number(process.env.REDACT_SEED) || 0;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = ReturnType<typeof rng>;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T,>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Random bytes inside `prefix/len` (v4: 4 bytes, v6: 16). */
function inRange(r: Rand, prefix: number[], len: number, size: 4 | 16): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = int(r, 256);
  for (let bit = 0; bit < len; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    const want = ((prefix[byte] ?? 0) & mask) !== 0;
    b[byte] = want ? b[byte]! | mask : b[byte]! & ~mask;
  }
  return b;
}

const PRIVATE_V4: [number[], number][] = [[[10], 8], [[172, 16], 12], [[192, 168], 16], [[100, 64], 10], [[127], 8], [[169, 254], 16], [[198, 18], 15], [[240], 4], [[192, 0, 0], 24]];
const PRIVATE_V6: [number[], number][] = [[[0xfc], 7], [[0xfe, 0x80], 10], [[0xfe, 0xc0], 10]];

function spellV4(r: Rand, b: Buffer): string {
  return [...b].map((o) => (r() < 0.2 ? String(o).padStart(3, '0') : String(o))).join('.');
}

/** An IPv6 address in a random valid spelling: case, leading zeros, which zero run is compressed, IPv4 tail. */
function spellV6(r: Rand, b: Buffer, v4Tail: boolean): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i));
  const upper = r() < 0.3;
  const hex = (g: number) => {
    const h = r() < 0.2 ? g.toString(16).padStart(4, '0') : g.toString(16);
    return upper ? h.toUpperCase() : h;
  };
  const n = v4Tail ? 6 : 8;
  const parts = groups.slice(0, n).map(hex);
  const tail = v4Tail ? [`${b[12]}.${b[13]}.${b[14]}.${b[15]}`] : [];
  // Zero runs that may be compressed; pick one (or none).
  const runs: [number, number][] = [];
  for (let i = 0; i < n; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < n && groups[j] === 0) j++;
    runs.push([i, j]);
    i = j;
  }
  if (runs.length && r() < 0.85) {
    const [s, e] = pick(r, runs);
    return `${parts.slice(0, s).join(':')}::${[...parts.slice(e), ...tail].join(':')}`;
  }
  return [...parts, ...tail].join(':');
}

interface Secret {
  text: string;
  /** Substrings that must not be in the redacted text. */
  secrets: string[];
}

function privateV4(r: Rand): Buffer {
  const [p, len] = pick(r, PRIVATE_V4);
  let b = inRange(r, p, len, 4);
  while (b.readUInt32BE(0) === 0) b = inRange(r, p, len, 4);
  return b;
}

function randomSecret(r: Rand): Secret {
  const kind = int(r, 8);
  if (kind === 0) {
    const v4 = privateV4(r);
    const s = spellV4(r, v4);
    return { text: r() < 0.5 ? `${s}:${1 + int(r, 65535)}` : s, secrets: [s] };
  }
  if (kind === 7) {
    const name = `${r().toString(16).slice(2, 10)}-${r().toString(16).slice(2, 6)}.local`;
    return { text: r() < 0.5 ? name.toUpperCase() : name, secrets: [name.slice(0, 8), name.slice(0, 8).toUpperCase()] };
  }
  let v6: Buffer;
  let v4Tail = false;
  const secrets: string[] = [];
  if (kind <= 3) {
    const [p, len] = pick(r, PRIVATE_V6);
    v6 = inRange(r, p, len, 16);
    if (kind === 3) v6 = Buffer.from('00000000000000000000000000000001', 'hex'); // ::1
  } else {
    // An IPv4 private address inside IPv6: mapped, compatible, NAT64, 6to4, Teredo.
    const v4 = privateV4(r);
    const how = int(r, 5);
    v6 = Buffer.alloc(16);
    if (how === 0) { v6.writeUInt16BE(0xffff, 10); v4.copy(v6, 12); v4Tail = r() < 0.5; }
    else if (how === 1) { v4.copy(v6, 12); v4Tail = r() < 0.5; if (v6.readUInt32BE(12) <= 1) v6[12] = 10; }
    else if (how === 2) { v6.writeUInt32BE(0x0064ff9b, 0); v4.copy(v6, 12); v4Tail = r() < 0.5; }
    else if (how === 3) { v6.writeUInt16BE(0x2002, 0); v4.copy(v6, 2); for (let i = 6; i < 16; i++) v6[i] = int(r, 256); }
    else { v6.writeUInt32BE(0x20010000, 0); for (let i = 4; i < 12; i++) v6[i] = int(r, 256); Buffer.from(v4.map((x) => x ^ 0xff)).copy(v6, 12); }
    if (v4Tail) secrets.push(`${v4[0]}.${v4[1]}.${v4[2]}.${v4[3]}`);
  }
  const addr = spellV6(r, v6, v4Tail);
  secrets.push(addr);
  const zone = r() < 0.2 ? pick(r, ['%eth0', '%25wlan0', '%3']) : '';
  const port = 1 + int(r, 65535);
  const form = int(r, 5);
  const text = [addr + zone, `[${addr}${zone}]`, `[${addr}${zone}]:${port}`, `${addr}:${port}`, `%5B${addr}%5D:${port}`][form]!;
  return { text, secrets };
}

function randomPublic(r: Rand): string {
  for (;;) {
    if (r() < 0.5) {
      const b = inRange(r, [], 0, 4);
      if (!specialRangeOf(b)) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
    } else {
      const b = inRange(r, [0x20], 3, 16); // 2000::/3 global unicast
      if (!specialRangeOf(b)) return spellV6(r, b, false);
    }
  }
}

const WORDS = ['ice', 'failed', 'from', 'no answer', 'STUN', 'host', 'lookup', 'timeout', 'relay', 'candidate', 'x', 'é', '→', '12:30', 'v1.2.3', ''];
const BEFORE = ['', ' ', '(', '(from ', 'from ', 'addr=', 'turn:', 'stun:', 'url: ', '"', "'", 'to:', 'code:', ', ', '/', '<', '\n', '\t'];
const AFTER = ['', ' ', ')', '.', ',', ':', '?transport=udp', ']', '"', ';', '!', '\n', '/', '>'];

function randomText(r: Rand, inner: string): string {
  const words = (n: number) => Array.from({ length: n }, () => pick(r, WORDS)).join(' ');
  const pre = words(int(r, 4));
  const post = words(int(r, 4));
  return `${pre}${pre ? ' ' : ''}${pick(r, BEFORE)}${inner}${pick(r, AFTER)}${post ? ' ' : ''}${post}`;
}

/** Every path to a string in a JSON value. */
function stringPaths(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof v === 'string') out.push(path);
  else if (Array.isArray(v)) v.forEach((x, i) => stringPaths(x, [...path, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stringPaths(x, [...path, k], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: string): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path.at(-1)!] = value;
}

const getAt = (root: unknown, path: (string | number)[]): unknown => path.reduce((o, k) => (o as Record<string | number, unknown>)[k], root);

describe('masking, property-based (seeded)', () => {
  const report = sampleReport();
  const paths = stringPaths(report);

  it(`no private or special address survives, in any spelling, in any string field (${RUNS} cases)`, () => {
    const r = rng(0x5eed + SEED);
    for (let i = 0; i < RUNS; i++) {
      const copy = structuredClone(report);
      const secret = randomSecret(r);
      const path = pick(r, paths);
      const text = randomText(r, secret.text);
      setAt(copy, path, text);
      const out = String(getAt(redactReport(copy), path));
      for (const s of secret.secrets) {
        if (out.includes(s)) throw new Error(`case ${i}: "${s}" survived in ${JSON.stringify(text)} → ${JSON.stringify(out)} (field ${path.join('.')})`);
      }
    }
  });

  it(`public addresses stay as they were (${RUNS} cases)`, () => {
    const r = rng(0xc0ffee + SEED);
    for (let i = 0; i < RUNS; i++) {
      const addr = randomPublic(r);
      const inner = addr.includes(':') ? pick(r, [addr, `[${addr}]`, `[${addr}]:${1 + int(r, 65535)}`]) : pick(r, [addr, `${addr}:${1 + int(r, 65535)}`]);
      const text = `${pick(r, ['', 'from ', '(', 'turn:'])}${inner}${pick(r, ['', ' ok', ')', '.'])}`;
      const copy = structuredClone(report);
      const path = pick(r, paths);
      setAt(copy, path, text);
      expect(getAt(redactReport(copy), path), `case ${i}`).toBe(text);
    }
  });
});
