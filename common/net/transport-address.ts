// A transport address (RFC 8489 §3): an IP address and a port. One name for the page, the NAT classifier, the probe
// and the TURN server.

export interface TransportAddress {
  address: string;
  port: number;
}

/** A transport address with its IP family, as STUN address attributes carry it (RFC 8489 §14.1) and the TURN
 *  server compares it (a peer must be of the allocation's family). */
export interface FamilyAddress extends TransportAddress {
  family: 4 | 6;
}

/** A family-tagged address from what Node's sockets report (any IPv6 literal contains ':'). */
export function familyAddress(address: string, port: number): FamilyAddress {
  return { family: address.includes(':') ? 6 : 4, address, port };
}

export const sameTransportAddress = (a: TransportAddress, b: TransportAddress): boolean => a.address === b.address && a.port === b.port;

/** `1.2.3.4:5`, `[2001:db8::1]:5`. */
export const formatTransportAddress = (a: TransportAddress): string => (a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);
