// Binding (RFC 8489 §6.3.1) with RFC 5780 NAT behaviour discovery: RESPONSE-ORIGIN, OTHER-ADDRESS and
// CHANGE-REQUEST (answer from the alternate port and/or IP).
import { addressAttribute, xorAddressAttribute } from '../stun/address';
import { Attr } from '../stun/constants';
import { unknownAttributesAttribute } from '../stun/error-code';
import { getAttribute, type DecodedStunMessage, type StunAttribute } from '../stun/message';
import type { Replies } from './replies';
import type { ClientRef, CoreConfig, TurnAction } from './types';
import type { EndpointRole } from '../../common/net/endpoint-role';

const CHANGE_IP = 0x04;
const CHANGE_PORT = 0x02;

export interface BindingDeps {
  endpoints: CoreConfig['endpoints'];
  replies: Replies;
}

/** The endpoint reached by flipping IP and/or port relative to `via` (RFC 5780 §7.2). */
export function flipVia(via: EndpointRole, changeIp: boolean, changePort: boolean): EndpointRole {
  const ip = (via === 'alt-ip' || via === 'alt-ip-port') !== changeIp;
  const port = (via === 'alt-port' || via === 'alt-ip-port') !== changePort;
  return ip ? (port ? 'alt-ip-port' : 'alt-ip') : port ? 'alt-port' : 'primary';
}

export function handleBinding({ endpoints: all, replies }: BindingDeps, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const endpoints = all[client.family];
  let via = client.via;
  const change = getAttribute(req, Attr.changeRequest);
  if (change) {
    const flags = change.value.length === 4 ? change.value.readUInt32BE(0) : -1;
    const target = flipVia(client.via, (flags & CHANGE_IP) !== 0, (flags & CHANGE_PORT) !== 0);
    // No such endpoint (one IP only, or over TCP): say we do not understand CHANGE-REQUEST (RFC 5780 §7.2).
    if (flags < 0 || client.transport !== 'udp' || !endpoints[target]) {
      return replies.unauthError(client, req, 420, [unknownAttributesAttribute([Attr.changeRequest])], now);
    }
    via = target;
  }
  // MAPPED-ADDRESS too, for RFC 3489-era tools (turnutils_natdiscovery reads it), as coturn does.
  const attrs: StunAttribute[] = [xorAddressAttribute(Attr.xorMappedAddress, client, req.transactionId), addressAttribute(Attr.mappedAddress, client)];
  const origin = endpoints[via];
  if (origin) attrs.push(addressAttribute(Attr.responseOrigin, origin));
  const other = endpoints[flipVia(client.via, true, true)] ?? endpoints[flipVia(client.via, false, true)];
  if (other && client.transport === 'udp') attrs.push(addressAttribute(Attr.otherAddress, other));
  return replies.unauthSuccess(client, req, attrs, via, now);
}
