// The two address questions the verdict asks, on addresses as browsers write them (strings). The full list of
// special-purpose ranges is turn/security/address-ranges.ts; it works on Node Buffers, which the page does not
// have, so the verdict (shared with the page) asks only these two, by prefix.

/** 127.0.0.0/8, ::1, IPv4-mapped loopback and the name "localhost" (RFC 6761 §6.3, also *.localhost). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (a === 'localhost' || a.endsWith('.localhost')) return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || /^(0{0,4}:){2,7}0{0,3}1$/.test(a) || a === '::1';
}

/**
 * Global unicast IPv6 (2000::/3, RFC 4291 §2.4), minus Teredo (2001::/32: IPv4 tunnelled, not a native
 * address). The documentation prefix 2001:db8::/32 counts as global, as documentation IPv4 ranges count as
 * public in saved reports: test networks (the NAT lab) number their "internet" from it.
 */
export function isGlobalIpv6(address: string): boolean {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!a.includes(':') || !/^[0-9a-f:.]+$/.test(a)) return false;
  const first = parseInt(a.split(':')[0] || '0', 16);
  if ((first & 0xe000) !== 0x2000) return false;
  return !/^2001:(0{1,4})?:/.test(a);
}
