// IP literal <-> bytes (4 or 16), without throwing; plain Uint8Array, so the page and the server share it. The one
// parser of the tree: the STUN address attributes, the TURN peer policy and config, report masking and the page's
// path and NAT classification all read addresses through it. Char codes, no regex or split: it runs per request.

/**
 * The 4 or 16 bytes of an IP literal, or null. Accepts a zone id (`fe80::1%eth0`, dropped), brackets (`[::1]`),
 * any case, a dotted IPv4 tail (`::ffff:10.0.0.1`) and up to 3 digits per IPv4 group (leading zeros read as
 * decimal: `010.0.0.1` is 10.0.0.1). No ports: `1.2.3.4:80` is not an address.
 */
export function ipToBytes(ip: string): Uint8Array | null {
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (!ip.includes(':')) {
    const out = new Uint8Array(4);
    return parseV4(ip, 0, ip.length, out, 0) ? out : null;
  }
  return parseV6(ip);
}

/** Four dot-separated groups of 1–3 decimal digits, each ≤ 255, from ip[start, end) into out[at, at + 4). */
function parseV4(ip: string, start: number, end: number, out: Uint8Array, at: number): boolean {
  let part = 0;
  let digits = 0;
  let n = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? ip.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || n > 255 || part > 3) return false;
      out[at + part++] = n;
      digits = 0;
      n = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      n = n * 10 + (c - 0x30);
      digits++;
    } else {
      return false;
    }
  }
  return part === 4;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

function hasDot(ip: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (ip.charCodeAt(i) === 0x2e) return true;
  return false;
}

const v4Tail = new Uint8Array(4);

/**
 * The 16-bit groups of one side of '::' (ip[start, end), may be empty) into groups[at…]: 1–4 hex digits each; at
 * the end of the address (v4Last) the last may be a dotted IPv4 address (two groups). The count, or -1.
 */
function parseGroups(ip: string, start: number, end: number, groups: number[], at: number, v4Last: boolean): number {
  if (start === end) return 0;
  let count = 0;
  let partStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && ip.charCodeAt(i) !== 0x3a) continue;
    if (count >= 8) return -1;
    if (v4Last && i === end && hasDot(ip, partStart, end)) {
      if (count >= 7 || !parseV4(ip, partStart, end, v4Tail, 0)) return -1;
      groups[at + count++] = (v4Tail[0]! << 8) | v4Tail[1]!;
      groups[at + count++] = (v4Tail[2]! << 8) | v4Tail[3]!;
      return count;
    }
    const len = i - partStart;
    if (len < 1 || len > 4) return -1;
    let g = 0;
    for (let j = partStart; j < i; j++) {
      const h = hexValue(ip.charCodeAt(j));
      if (h < 0) return -1;
      g = (g << 4) | h;
    }
    groups[at + count++] = g;
    partStart = i + 1;
  }
  return count;
}

function parseV6(ip: string): Uint8Array | null {
  const gap = ip.indexOf('::');
  if (gap >= 0 && ip.indexOf('::', gap + 2) >= 0) return null;
  const head: number[] = [];
  const tail: number[] = [];
  const h = parseGroups(ip, 0, gap >= 0 ? gap : ip.length, head, 0, gap < 0);
  if (h < 0) return null;
  const t = gap >= 0 ? parseGroups(ip, gap + 2, ip.length, tail, 0, true) : 0;
  if (t < 0) return null;
  const missing = 8 - h - t;
  if (gap >= 0 ? missing < 1 : missing !== 0) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < h; i++) {
    out[2 * i] = head[i]! >> 8;
    out[2 * i + 1] = head[i]! & 0xff;
  }
  for (let i = 0, o = 2 * (8 - t); i < t; i++, o += 2) {
    out[o] = tail[i]! >> 8;
    out[o + 1] = tail[i]! & 0xff;
  }
  return out;
}

/** RFC 5952 text form for IPv6 (lower case, longest zero run compressed); dotted quad for IPv4. */
export function bytesToIp(b: Uint8Array): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((n) => n.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
