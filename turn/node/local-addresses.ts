// Which address to advertise for a listener or relay bound to a wildcard address. Node's dgram cannot tell the
// destination address of a datagram, so RESPONSE-ORIGIN, OTHER-ADDRESS and XOR-RELAYED-ADDRESS need a concrete IP.
import { networkInterfaces } from 'node:os';

export function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/** First non-internal address of the family, else the loopback address. */
function primaryHostAddress(family: 4 | 6): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) {
      if (i.internal || (family === 4 ? i.family !== 'IPv4' : i.family !== 'IPv6')) continue;
      if (family === 6 && i.address.toLowerCase().startsWith('fe80')) continue;
      return i.address;
    }
  }
  return family === 4 ? '127.0.0.1' : '::1';
}

/** The IP others should use: the configured external IP, the listen IP, or a host address when wildcard. */
export function advertisedIp(bound: string, family: 4 | 6, externalIp: string | null): string {
  if (externalIp && externalIp.includes(':') === (family === 6)) return externalIp;
  return isWildcard(bound) ? primaryHostAddress(family) : bound;
}
