// Seam for the NAT-diagnosis probe agent: STUN packets on the listening UDP sockets that the TURN logic does not
// own — Binding requests with USERNAME (ICE connectivity checks) and all STUN responses — are offered to an
// interceptor first; returning true consumes the packet.
import { Attr } from '../stun/constants';
import { looksLikeStun } from '../stun/message';
import type { EndpointRole } from '../../common/net/endpoint-role';
import type { TransportAddress } from '../../common/net/transport-address';

export type ProbeInterceptor = (packet: Buffer, from: TransportAddress, via: EndpointRole) => boolean;

export interface ProbeHooks {
  /** Sends a raw packet from one of the listening sockets (throws when that endpoint is not configured). */
  sendFrom(via: EndpointRole, to: TransportAddress, packet: Buffer): void;
  setInterceptor(fn: ProbeInterceptor | null): void;
}

/** True for STUN success/error responses and for Binding requests that carry USERNAME. */
export function isProbeTraffic(buf: Buffer): boolean {
  if (!looksLikeStun(buf)) return false;
  const type = buf.readUInt16BE(0);
  if ((type & 0x0100) !== 0) return true; // class bit C1 set: success (0b10) or error (0b11) response
  if (type !== 0x0001) return false; // only Binding requests
  for (let off = 20; off + 4 <= buf.length; ) {
    const t = buf.readUInt16BE(off);
    if (t === Attr.username) return true;
    off += 4 + ((buf.readUInt16BE(off + 2) + 3) & ~3);
  }
  return false;
}
