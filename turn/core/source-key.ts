// Whom the fair-share limits of the core count a client against: its clientKey (IPv4 address, IPv6 /64). Used by
// the per-source allocation quota (486) and the rate limit on unauthenticated replies.
import { clientKey } from '../security/client-key';
import type { ClientRef } from './types';

/** An IPv4 socket's peer address is already its own key (the adapters give dotted-quad text: UDP rinfo, TCP with
 *  ::ffff: removed), so a flood of unauthenticated requests skips parsing it (~1.5 µs a packet on a loaded CPU). */
export function sourceOf(client: ClientRef): string {
  return client.family === 4 ? client.address : clientKey(client.address);
}
