// One key per client for fair-share limits: an IPv4 address as itself (also when written IPv4-mapped), an IPv6
// address as its /64 — one home network gets a whole /64, so per-address limits on IPv6 would be no limit at all.
import { bytesToIp, ipToBytes } from '../stun/ip-address';

export function clientKey(address: string | undefined | null): string {
  if (!address) return 'unknown';
  const b = ipToBytes(address);
  if (!b) return 'unknown';
  if (b.length === 4) return bytesToIp(b);
  if (b.readUInt32BE(0) === 0 && b.readUInt32BE(4) === 0 && b.readUInt16BE(8) === 0 && b.readUInt16BE(10) === 0xffff) {
    return bytesToIp(b.subarray(12));
  }
  const prefix = Buffer.alloc(16);
  b.copy(prefix, 0, 0, 8);
  return `${bytesToIp(prefix)}/64`;
}
