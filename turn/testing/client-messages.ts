// A minimal TURN client message builder/reader for tests, fuzzing and the benchmark (not used by the server).
import { randomBytes } from 'node:crypto';
import { decodeAddress, decodeXorAddress, xorAddressAttribute } from '../stun/address';
import { Attr, Method, StunClass, TRANSPORT_UDP } from '../stun/constants';
import { decodeErrorCode } from '../stun/error-code';
import { appendFingerprint } from '../stun/fingerprint';
import { appendMessageIntegrity, checkMessageIntegrity, longTermKey } from '../stun/integrity';
import type { FamilyAddress } from '../../common/net/transport-address';
import { decodeStunMessage, encodeStunMessage, getAttribute, textAttribute, u32Attribute, type DecodedStunMessage, type StunAttribute } from '../stun/message';

export interface Credentials {
  username: string;
  password: string;
  realm: string;
  nonce: string;
}

export function credentialKey(c: Credentials): Buffer {
  return longTermKey(c.username, c.realm, c.password);
}

export function buildRequest(method: number, attrs: StunAttribute[], opts: { auth?: Credentials; tid?: Buffer; cls?: StunClass } = {}): Buffer {
  const tid = opts.tid ?? randomBytes(12);
  const all = [...attrs];
  if (opts.auth) {
    all.push(textAttribute(Attr.username, opts.auth.username), textAttribute(Attr.realm, opts.auth.realm), textAttribute(Attr.nonce, opts.auth.nonce));
  }
  const body = encodeStunMessage({ method, cls: opts.cls ?? StunClass.request, transactionId: tid, attributes: all });
  return appendFingerprint(opts.auth ? appendMessageIntegrity(body, credentialKey(opts.auth)) : body);
}

export const requestedTransportUdp = (): StunAttribute => {
  const value = Buffer.alloc(4);
  value[0] = TRANSPORT_UDP;
  return { type: Attr.requestedTransport, value };
};

export function allocateRequest(auth?: Credentials, extra: StunAttribute[] = [], tid?: Buffer): Buffer {
  return buildRequest(Method.allocate, [requestedTransportUdp(), ...extra], { auth, tid });
}

export function refreshRequest(auth: Credentials, lifetime?: number): Buffer {
  return buildRequest(Method.refresh, lifetime === undefined ? [] : [u32Attribute(Attr.lifetime, lifetime)], { auth });
}

export function createPermissionRequest(auth: Credentials, peers: FamilyAddress[]): Buffer {
  const tid = randomBytes(12);
  return buildRequest(Method.createPermission, peers.map((p) => xorAddressAttribute(Attr.xorPeerAddress, p, tid)), { auth, tid });
}

export function channelBindRequest(auth: Credentials, channel: number, peer: FamilyAddress): Buffer {
  const tid = randomBytes(12);
  const num = Buffer.alloc(4);
  num.writeUInt16BE(channel, 0);
  return buildRequest(Method.channelBind, [{ type: Attr.channelNumber, value: num }, xorAddressAttribute(Attr.xorPeerAddress, peer, tid)], { auth, tid });
}

export function sendIndication(peer: FamilyAddress, data: Buffer): Buffer {
  const tid = randomBytes(12);
  return encodeStunMessage({
    method: Method.send,
    cls: StunClass.indication,
    transactionId: tid,
    attributes: [xorAddressAttribute(Attr.xorPeerAddress, peer, tid), { type: Attr.data, value: data }],
  });
}

export function bindingRequest(extra: StunAttribute[] = []): Buffer {
  return buildRequest(Method.binding, extra);
}

export interface ParsedResponse {
  msg: DecodedStunMessage;
  cls: StunClass;
  method: number;
  error: number | null;
  realm: string | null;
  nonce: string | null;
  lifetime: number | null;
  relayed: FamilyAddress | null;
  mapped: FamilyAddress | null;
  peer: FamilyAddress | null;
  data: Buffer | null;
  responseOrigin: FamilyAddress | null;
  otherAddress: FamilyAddress | null;
  integrity(key: Buffer): string;
}

export function parseMessage(buf: Buffer): ParsedResponse {
  const r = decodeStunMessage(buf);
  if (!r.ok) throw new Error(`not a STUN message: ${r.reason}`);
  const m = r.message;
  const text = (t: number) => getAttribute(m, t)?.value.toString('utf8') ?? null;
  const xor = (t: number) => {
    const a = getAttribute(m, t);
    return a ? decodeXorAddress(a, m.transactionId) : null;
  };
  const plain = (t: number) => {
    const a = getAttribute(m, t);
    return a ? decodeAddress(a) : null;
  };
  const err = getAttribute(m, Attr.errorCode);
  const life = getAttribute(m, Attr.lifetime);
  return {
    msg: m,
    cls: m.cls,
    method: m.method,
    error: err ? (decodeErrorCode(err)?.code ?? null) : null,
    realm: text(Attr.realm),
    nonce: text(Attr.nonce),
    lifetime: life ? life.value.readUInt32BE(0) : null,
    relayed: xor(Attr.xorRelayedAddress),
    mapped: xor(Attr.xorMappedAddress),
    peer: xor(Attr.xorPeerAddress),
    data: getAttribute(m, Attr.data)?.value ?? null,
    responseOrigin: plain(Attr.responseOrigin),
    otherAddress: plain(Attr.otherAddress),
    integrity: (key: Buffer) => checkMessageIntegrity(m, key),
  };
}
