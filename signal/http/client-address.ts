// Which address a request comes from, for per-client limits and logs. Behind a reverse proxy every request comes
// from the proxy, so X-Forwarded-For is read — but only when the direct peer is a proxy we were told to trust
// (TRUST_PROXY); otherwise anyone could pick their own address and dodge every limit.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export type TrustedProxies = BlockList | null;

/** TRUST_PROXY: '' = trust no one (default), 'loopback', or a comma list of addresses / CIDR ranges. */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies | { error: string } {
  if (!raw) return null;
  const list = new BlockList();
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [addr, bits] = part.split('/');
    const family = isIP(addr ?? '');
    if (!family) return { error: `"${part}" is not an IP address or CIDR range` };
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(addr!, type);
    else {
      const n = Number(bits);
      if (!Number.isInteger(n) || n < 0 || n > (family === 4 ? 32 : 128)) return { error: `"${part}" has a bad prefix length` };
      list.addSubnet(addr!, n, type);
    }
  }
  return list;
}

function trusted(list: BlockList, address: string): boolean {
  const bare = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const family = isIP(bare);
  return family !== 0 && list.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** The client's address: the socket's peer, or — through trusted proxies — the nearest untrusted X-Forwarded-For hop. */
export function clientAddressOf(req: IncomingMessage, proxies: TrustedProxies): string {
  const direct = req.socket.remoteAddress ?? 'unknown';
  if (!proxies || !trusted(proxies, direct)) return direct;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!isIP(hop)) return direct;
    if (!trusted(proxies, hop)) return hop;
  }
  return hops[0] ?? direct;
}
