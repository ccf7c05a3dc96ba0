// STUN/TURN numbers: RFC 8489 §5–§18, RFC 8656 §18, RFC 5780 §7, RFC 8445 §16.1.
import packageJson from '../../package.json' with { type: 'json' };

export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_LENGTH = 20;

export const StunClass = { request: 0, indication: 1, success: 2, error: 3 } as const;
export type StunClass = (typeof StunClass)[keyof typeof StunClass];

export const Method = {
  binding: 0x001,
  allocate: 0x003,
  refresh: 0x004,
  send: 0x006,
  data: 0x007,
  createPermission: 0x008,
  channelBind: 0x009,
} as const;

export const Attr = {
  mappedAddress: 0x0001,
  changeRequest: 0x0003, // RFC 5780 §7.2
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  unknownAttributes: 0x000a,
  channelNumber: 0x000c,
  lifetime: 0x000d,
  xorPeerAddress: 0x0012,
  data: 0x0013,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  requestedAddressFamily: 0x0017,
  evenPort: 0x0018,
  requestedTransport: 0x0019,
  dontFragment: 0x001a,
  messageIntegritySha256: 0x001c,
  passwordAlgorithm: 0x001d,
  userhash: 0x001e,
  xorMappedAddress: 0x0020,
  reservationToken: 0x0022,
  priority: 0x0024,
  useCandidate: 0x0025,
  padding: 0x0026, // RFC 5780 §7.6
  responsePort: 0x0027, // RFC 5780 §7.5
  additionalAddressFamily: 0x8000,
  addressErrorCode: 0x8001,
  passwordAlgorithms: 0x8002,
  alternateDomain: 0x8003,
  icmp: 0x8004,
  software: 0x8022,
  alternateServer: 0x8023,
  fingerprint: 0x8028,
  iceControlled: 0x8029,
  iceControlling: 0x802a,
  responseOrigin: 0x802b, // RFC 5780 §7.3
  otherAddress: 0x802c, // RFC 5780 §7.4
} as const;

/** Reason phrases for the error codes this server sends (RFC 8489 §14.8, RFC 8656 §18.9). */
export const ErrorReason: Record<number, string> = {
  300: 'Try Alternate',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  420: 'Unknown Attribute',
  437: 'Allocation Mismatch',
  438: 'Stale Nonce',
  440: 'Address Family not Supported',
  441: 'Wrong Credentials',
  442: 'Unsupported Transport Protocol',
  443: 'Peer Address Family Mismatch',
  486: 'Allocation Quota Reached',
  500: 'Server Error',
  508: 'Insufficient Capacity',
};

/** Transport protocol number for UDP in REQUESTED-TRANSPORT (RFC 8656 §18.5). */
export const TRANSPORT_UDP = 17;

/** SOFTWARE (RFC 8489 §14.14) in every response: the name and the release's major.minor from package.json. */
export const SOFTWARE = `p2pcheck-turn ${packageJson.version.split('.').slice(0, 2).join('.')}`;
