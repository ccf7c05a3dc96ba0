// A transport address as the TURN core and its socket adapters pass it around. IP literals are parsed and
// written by common/net/ip-address.ts.

export interface TransportAddress {
  family: 4 | 6;
  address: string;
  port: number;
}

/** A family-tagged address from what Node's sockets report. */
export function transportAddress(address: string, port: number): TransportAddress {
  return { family: address.includes(':') ? 6 : 4, address, port };
}
