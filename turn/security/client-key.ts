// One key per client for fair-share limits: an IPv4 address as itself (also when written IPv4-mapped), an IPv6
// address as its /64 — one home network gets a whole /64, so per-address limits on IPv6 would be no limit at all.
import { unmapIPv4 } from '../../common/net/address-ranges';
import { bytesToIp, ipToBytes } from '../../common/net/ip-address';

export function clientKey(address: string | undefined | null): string {
  if (!address) return 'unknown';
  const b = ipToBytes(address);
  if (!b) return 'unknown';
  const v4 = unmapIPv4(b);
  if (v4.length === 4) return bytesToIp(v4);
  const prefix = new Uint8Array(16);
  prefix.set(b.subarray(0, 8));
  return `${bytesToIp(prefix)}/64`;
}
