// The IP address the probe writes as its only ICE candidate: it must be where the browser's STUN checks reach the
// primary endpoint. Taken from configuration only — never from the request's Host header (resolving a name a
// client sends would let anyone ask the server's resolver about internal names). In order:
//   1. ICE_HOST: an IP literal as is; a host name resolved (the operator's own name, cached for a minute);
//   2. TURN_EXTERNAL_IP (behind a 1:1 NAT, the public address);
//   3. TURN_LISTEN when it is one address, not the wildcard;
//   4. the local address of the HTTP connection the offer came on: an address of this host the browser reached.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface ProbeAddressConfig {
  iceHost: string | null;
  externalIp: string | null;
  turnListen: string | null;
}

export type Resolve = (name: string) => Promise<string>;

const defaultResolve: Resolve = async (name) => (await lookup(name)).address;

const RESOLVE_CACHE_MS = 60_000;

const unbracket = (a: string) => (a.startsWith('[') && a.endsWith(']') ? a.slice(1, -1) : a);
const unmap = (a: string) => (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a);
const isWildcard = (a: string) => a === '0.0.0.0' || a === '::' || a === '0:0:0:0:0:0:0:0';

/** A function from the HTTP connection's local address to the candidate address (null: none can be told). */
export function probeAddressSource(config: () => ProbeAddressConfig, resolve: Resolve = defaultResolve, now: () => number = Date.now) {
  let cached: { name: string; address: string | null; at: number } | null = null;
  return async (localAddress: string | undefined): Promise<string | null> => {
    const c = config();
    const iceHost = c.iceHost ? unbracket(c.iceHost.trim()) : null;
    if (iceHost) {
      if (isIP(iceHost)) return iceHost;
      if (!cached || cached.name !== iceHost || now() - cached.at > RESOLVE_CACHE_MS) {
        const address = await resolve(iceHost).catch(() => null);
        cached = { name: iceHost, address, at: now() };
      }
      return cached.address;
    }
    if (c.externalIp && isIP(c.externalIp)) return c.externalIp;
    if (c.turnListen && isIP(c.turnListen) && !isWildcard(c.turnListen)) return c.turnListen;
    if (localAddress && isIP(localAddress)) return unmap(localAddress);
    return null;
  };
}
