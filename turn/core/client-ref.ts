// Who sent a packet, as the adapter sees it: one client 5-tuple and the listening endpoint it used.

/** Which of the (up to four) RFC 5780 listening endpoints a UDP packet used. */
export type Via = 'primary' | 'alt-port' | 'alt-ip' | 'alt-ip-port';
export type ClientTransport = 'udp' | 'tcp' | 'tls';

/** One client 5-tuple as the adapter sees it. `key` is unique per 5-tuple (per connection for TCP/TLS). */
export interface ClientRef {
  key: string;
  transport: ClientTransport;
  address: string;
  port: number;
  family: 4 | 6;
  via: Via;
}
