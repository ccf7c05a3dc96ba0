// Which peer addresses a relay may send to. Default deny list: loopback, unspecified, private, link-local, CGNAT,
// multicast, reserved, documentation, and the IPv6 forms that embed IPv4 (6to4, Teredo, NAT64, v4-compatible)
// — the bypasses behind coturn's CVE-2020-26262 and CVE-2026-27624. IPv4-mapped IPv6 is judged as the IPv4 it maps.
import { SPECIAL_RANGES, inCidr, parseCidr, unmapIPv4, type Cidr } from '../../common/net/address-ranges';
import { ipToBytes } from '../../common/net/ip-address';

/** The relay's default deny list: every special-purpose range (common/net/address-ranges.ts). */
export const DEFAULT_DENY: readonly string[] = SPECIAL_RANGES.map((r) => r.cidr);

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
