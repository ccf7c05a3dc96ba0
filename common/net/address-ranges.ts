// The one list of special-purpose address ranges (IANA IPv4/IPv6 special-purpose registries, RFC 6890), each
// with what it is, and the questions asked of it. The TURN peer policy denies all of them; saved-report masking
// (common/redact-report.ts) hides the ones that describe a private network; the page's path classification and
// NAT verdict ask isPrivateAddress, isLoopbackAddress and isGlobalIpv6. IPv4 embedded in IPv6 (mapped, compatible,
// NAT64, 6to4, Teredo) is found by embeddedIPv4, so callers can judge the IPv4 address inside. Addresses are
// parsed by ./ip-address.ts; plain Uint8Array, so the page and the server share it.
import { ipToBytes } from './ip-address';

export type RangeKind =
  | 'unspecified' // 0.0.0.0/8, ::/128
  | 'private' // RFC 1918
  | 'shared' // RFC 6598 carrier-grade NAT
  | 'loopback'
  | 'link-local'
  | 'protocol' // 192.0.0.0/24 IETF protocol assignments (DS-Lite B4 etc.)
  | 'documentation'
  | 'benchmarking'
  | 'multicast'
  | 'reserved'
  | 'unique-local' // fc00::/7 RFC 4193
  | 'site-local' // fec0::/10, deprecated private
  | 'discard' // 100::/64
  | 'anycast' // 192.88.99.0/24 former 6to4 relays
  | 'embeds-ipv4' // ::/96, ::ffff:0:0/96, NAT64, 6to4, Teredo: judged by the IPv4 inside as well
  | 'special'; // other IETF assignments (ORCHID, SRv6 SIDs)

export interface Cidr {
  bytes: Uint8Array;
  prefix: number;
  text: string;
}

export interface SpecialRange {
  cidr: string;
  kind: RangeKind;
}

export const SPECIAL_RANGES: readonly SpecialRange[] = [
  { cidr: '0.0.0.0/8', kind: 'unspecified' },
  { cidr: '10.0.0.0/8', kind: 'private' },
  { cidr: '100.64.0.0/10', kind: 'shared' },
  { cidr: '127.0.0.0/8', kind: 'loopback' },
  { cidr: '169.254.0.0/16', kind: 'link-local' },
  { cidr: '172.16.0.0/12', kind: 'private' },
  { cidr: '192.0.0.0/24', kind: 'protocol' },
  { cidr: '192.0.2.0/24', kind: 'documentation' },
  { cidr: '192.88.99.0/24', kind: 'anycast' },
  { cidr: '192.168.0.0/16', kind: 'private' },
  { cidr: '198.18.0.0/15', kind: 'benchmarking' },
  { cidr: '198.51.100.0/24', kind: 'documentation' },
  { cidr: '203.0.113.0/24', kind: 'documentation' },
  { cidr: '224.0.0.0/4', kind: 'multicast' },
  { cidr: '240.0.0.0/4', kind: 'reserved' },
  { cidr: '::/128', kind: 'unspecified' },
  { cidr: '::1/128', kind: 'loopback' },
  { cidr: '::/96', kind: 'embeds-ipv4' }, // IPv4-compatible (deprecated, RFC 4291 §2.5.5.1)
  { cidr: '::ffff:0:0:0/96', kind: 'embeds-ipv4' }, // SIIT (RFC 6145); IPv4-mapped addresses are unmapped before matching
  { cidr: '64:ff9b::/96', kind: 'embeds-ipv4' }, // NAT64 well-known prefix (RFC 6052)
  { cidr: '64:ff9b:1::/48', kind: 'embeds-ipv4' }, // NAT64 local use (RFC 8215)
  { cidr: '100::/64', kind: 'discard' },
  { cidr: '2001::/32', kind: 'embeds-ipv4' }, // Teredo (RFC 4380)
  { cidr: '2001:2::/48', kind: 'benchmarking' },
  { cidr: '2001:10::/28', kind: 'special' },
  { cidr: '2001:20::/28', kind: 'special' },
  { cidr: '2001:db8::/32', kind: 'documentation' },
  { cidr: '2002::/16', kind: 'embeds-ipv4' }, // 6to4 (RFC 3056)
  { cidr: '3fff::/20', kind: 'documentation' },
  { cidr: '5f00::/16', kind: 'special' },
  { cidr: 'fc00::/7', kind: 'unique-local' },
  { cidr: 'fe80::/10', kind: 'link-local' },
  { cidr: 'fec0::/10', kind: 'site-local' },
  { cidr: 'ff00::/8', kind: 'multicast' },
];

export function parseCidr(text: string): Cidr | null {
  const trimmed = text.trim();
  const slash = trimmed.lastIndexOf('/');
  const ip = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const bytes = ipToBytes(ip);
  if (!bytes) return null;
  const max = bytes.length * 8;
  // Digits only: Number('') is 0, so "10.0.0.0/" would otherwise allow every address.
  const prefixText = trimmed.slice(slash + 1);
  if (slash >= 0 && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = slash < 0 ? max : Number(prefixText);
  if (prefix > max) return null;
  return { bytes, prefix, text: trimmed };
}

export function inCidr(ip: Uint8Array, cidr: Cidr): boolean {
  if (ip.length !== cidr.bytes.length) return false;
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (ip[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip[full]! & mask) === (cidr.bytes[full]! & mask);
}

/** The big-endian 32-bit word at byte i. */
function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** ::ffff:a.b.c.d → a.b.c.d; anything else unchanged. */
export function unmapIPv4(ip: Uint8Array): Uint8Array {
  if (ip.length === 16 && u32(ip, 0) === 0 && u32(ip, 4) === 0 && u32(ip, 8) === 0xffff) return ip.subarray(12);
  return ip;
}

export type ParsedRange = SpecialRange & { parsed: Cidr };

const PARSED: readonly ParsedRange[] = SPECIAL_RANGES.map((r) => ({ ...r, parsed: parseCidr(r.cidr)! }));

/** The special-purpose range an address (4 or 16 bytes; IPv4-mapped is judged as IPv4) is in, or null. */
export function specialRangeOf(ip: Uint8Array): ParsedRange | null {
  const bytes = unmapIPv4(ip);
  let best: ParsedRange | null = null;
  for (const r of PARSED) if (inCidr(bytes, r.parsed) && (!best || r.parsed.prefix > best.parsed.prefix)) best = r;
  return best;
}

export type Embedding = 'mapped' | 'siit' | 'compatible' | 'nat64' | '6to4' | 'teredo-server' | 'teredo-client';

/** The IPv4 addresses an IPv6 address carries inside (RFC 4291, 6052, 3056, 4380), with how it carries them. */
export function embeddedIPv4(ip: Uint8Array): { how: Embedding; v4: Uint8Array }[] {
  if (ip.length !== 16) return [];
  if (u32(ip, 0) === 0 && u32(ip, 4) === 0) {
    if (u32(ip, 8) === 0xffff) return [{ how: 'mapped', v4: ip.subarray(12) }];
    if (u32(ip, 8) === 0xffff0000) return [{ how: 'siit', v4: ip.subarray(12) }];
    if (u32(ip, 8) === 0 && u32(ip, 12) > 1) return [{ how: 'compatible', v4: ip.subarray(12) }];
    return [];
  }
  if (u32(ip, 0) === 0x0064ff9b && u32(ip, 4) === 0 && u32(ip, 8) === 0) return [{ how: 'nat64', v4: ip.subarray(12) }];
  if (ip[0] === 0x20 && ip[1] === 0x02) return [{ how: '6to4', v4: ip.subarray(2, 6) }];
  if (u32(ip, 0) === 0x20010000) {
    const client = ip.slice(12).map((b) => b ^ 0xff);
    return [{ how: 'teredo-server', v4: ip.subarray(4, 8) }, { how: 'teredo-client', v4: client }];
  }
  return [];
}

/** An address as browsers and configs write it: trimmed, lower case, without the brackets around IPv6. */
function normalized(address: string): string {
  return address.trim().toLowerCase().replace(/^\[|\]$/g, '');
}

/** Ranges of a network of one's own: what makes a candidate pair a LAN path. */
const PRIVATE_NETWORK: ReadonlySet<RangeKind> = new Set<RangeKind>(['private', 'shared', 'loopback', 'link-local', 'unique-local']);

/**
 * RFC 1918, RFC 6598 (shared/CGNAT), link-local, loopback, IPv6 unique-local and link-local (also IPv4-mapped),
 * and mDNS names (RFC 6762). Not the IPv6 forms that tunnel an IPv4 address (6to4, NAT64, Teredo): those are
 * routed on the internet.
 */
export function isPrivateAddress(address: string | null): boolean {
  if (!address) return false;
  const a = normalized(address);
  if (a.endsWith('.local')) return true;
  const bytes = ipToBytes(a);
  const range = bytes && specialRangeOf(bytes);
  return !!range && PRIVATE_NETWORK.has(range.kind);
}

/** 127.0.0.0/8, ::1, IPv4-mapped loopback in any spelling, and the name "localhost" (RFC 6761 §6.3, also *.localhost). */
export function isLoopbackAddress(address: string): boolean {
  const a = normalized(address).replace(/\.$/, '');
  if (a === 'localhost' || a.endsWith('.localhost')) return true;
  const bytes = ipToBytes(a);
  return !!bytes && specialRangeOf(bytes)?.kind === 'loopback';
}

/**
 * Global unicast IPv6 (2000::/3, RFC 4291 §2.4), minus Teredo (2001::/32: IPv4 tunnelled, not a native
 * address). The documentation prefix 2001:db8::/32 counts as global, as documentation IPv4 ranges count as
 * public in saved reports: test networks (the NAT lab) number their "internet" from it.
 */
export function isGlobalIpv6(address: string): boolean {
  const bytes = ipToBytes(normalized(address));
  if (!bytes || bytes.length !== 16 || (bytes[0]! & 0xe0) !== 0x20) return false;
  return u32(bytes, 0) !== 0x20010000;
}
