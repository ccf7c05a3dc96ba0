// Which peer addresses a relay may send to. Default deny list: loopback, unspecified, private, link-local, CGNAT,
// multicast, reserved, documentation, and the IPv6 forms that embed IPv4 (6to4, Teredo, NAT64, v4-compatible)
// — the bypasses behind coturn's CVE-2020-26262 and CVE-2026-27624. IPv4-mapped IPv6 is judged as the IPv4 it maps.
import { ipToBytes } from '../stun/ip-address';

export interface Cidr {
  bytes: Buffer;
  prefix: number;
  text: string;
}

export const DEFAULT_DENY: readonly string[] = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24',
  '224.0.0.0/4', '240.0.0.0/4',
  '::/128', '::1/128', '::/96', '::ffff:0:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48', '100::/64', '2001::/32',
  '2001:2::/48', '2001:10::/28', '2001:20::/28', '2001:db8::/32', '2002::/16', '3fff::/20', '5f00::/16', 'fc00::/7',
  'fe80::/10', 'fec0::/10', 'ff00::/8',
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

function inCidr(ip: Buffer, cidr: Cidr): boolean {
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

export class PeerPolicy {
  private readonly deny: Cidr[];
  private readonly allow: Cidr[];

  constructor(allow: readonly string[] = [], deny: readonly string[] = DEFAULT_DENY) {
    this.allow = allow.map((c) => {
      const p = parseCidr(c);
      if (!p) throw new Error(`not a CIDR: "${c}"`);
      return p;
    });
    this.deny = deny.map((c) => parseCidr(c)!);
  }

  /** True when relaying to this IP is allowed by the lists (own relayed addresses are checked by the caller). */
  allows(ip: string): boolean {
    const raw = ipToBytes(ip);
    if (!raw) return false;
    const bytes = unmapIPv4(raw);
    for (const c of this.allow) if (inCidr(bytes, c) || inCidr(raw, c)) return true;
    for (const c of this.deny) if (inCidr(bytes, c)) return false;
    return true;
  }
}
