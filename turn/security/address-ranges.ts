// The one list of special-purpose address ranges (IANA IPv4/IPv6 special-purpose registries, RFC 6890), each
// with what it is. The TURN peer policy denies all of them; saved-report masking (common/redact-report.ts) hides
// the ones that describe a private network. IPv4 embedded in IPv6 (mapped, compatible, NAT64, 6to4, Teredo) is
// found by embeddedIPv4, so both judge the IPv4 address inside. Addresses are parsed by turn/stun/ip-address.ts.
import { ipToBytes } from '../stun/ip-address';

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
  bytes: Buffer;
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
  const prefix = slash < 0 ? max : Number(trimmed.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { bytes, prefix, text: trimmed };
}

export function inCidr(ip: Buffer, cidr: Cidr): boolean {
  if (ip.length !== cidr.bytes.length) return false;
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (ip[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip[full]! & mask) === (cidr.bytes[full]! & mask);
}

/** ::ffff:a.b.c.d → a.b.c.d; anything else unchanged. */
export function unmapIPv4(ip: Buffer): Buffer {
  if (ip.length === 16 && ip.readUInt32BE(0) === 0 && ip.readUInt32BE(4) === 0 && ip.readUInt32BE(8) === 0xffff) {
    return ip.subarray(12);
  }
  return ip;
}

const PARSED: readonly (SpecialRange & { parsed: Cidr })[] = SPECIAL_RANGES.map((r) => ({ ...r, parsed: parseCidr(r.cidr)! }));

/** The special-purpose range an address (4 or 16 bytes; IPv4-mapped is judged as IPv4) is in, or null. */
export function specialRangeOf(ip: Buffer): (SpecialRange & { parsed: Cidr }) | null {
  const bytes = unmapIPv4(ip);
  let best: (SpecialRange & { parsed: Cidr }) | null = null;
  for (const r of PARSED) if (inCidr(bytes, r.parsed) && (!best || r.parsed.prefix > best.parsed.prefix)) best = r;
  return best;
}

export type Embedding = 'mapped' | 'siit' | 'compatible' | 'nat64' | '6to4' | 'teredo-server' | 'teredo-client';

/** The IPv4 addresses an IPv6 address carries inside (RFC 4291, 6052, 3056, 4380), with how it carries them. */
export function embeddedIPv4(ip: Buffer): { how: Embedding; v4: Buffer }[] {
  if (ip.length !== 16) return [];
  const u32 = (i: number) => ip.readUInt32BE(i);
  if (u32(0) === 0 && u32(4) === 0) {
    if (u32(8) === 0xffff) return [{ how: 'mapped', v4: ip.subarray(12) }];
    if (u32(8) === 0xffff0000) return [{ how: 'siit', v4: ip.subarray(12) }];
    if (u32(8) === 0 && u32(12) > 1) return [{ how: 'compatible', v4: ip.subarray(12) }];
    return [];
  }
  if (u32(0) === 0x0064ff9b && u32(4) === 0 && u32(8) === 0) return [{ how: 'nat64', v4: ip.subarray(12) }];
  if (ip.readUInt16BE(0) === 0x2002) return [{ how: '6to4', v4: ip.subarray(2, 6) }];
  if (u32(0) === 0x20010000) {
    const client = Buffer.from(ip.subarray(12).map((b) => b ^ 0xff));
    return [{ how: 'teredo-server', v4: ip.subarray(4, 8) }, { how: 'teredo-client', v4: client }];
  }
  return [];
}
