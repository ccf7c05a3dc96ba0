// Who sent a packet, as the adapter sees it: one client 5-tuple and the listening endpoint it used.
import type { EndpointRole } from '../../common/net/endpoint-role';

export type ClientTransport = 'udp' | 'tcp' | 'tls';

/** One client 5-tuple as the adapter sees it. `key` is unique per 5-tuple (per connection for TCP/TLS). */
export interface ClientRef {
  key: string;
  transport: ClientTransport;
  address: string;
  port: number;
  family: 4 | 6;
  via: EndpointRole;
}
