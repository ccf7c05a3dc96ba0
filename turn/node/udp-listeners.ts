// The UDP listening sockets of a TURN server: which endpoints a configuration asks for (main, RFC 5780 alternates,
// extra IPv6) and binding them — or adopting the SO_REUSEPORT descriptors a sharding launcher made.
import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from 'pino';
import type { EndpointRole } from '../../common/net/endpoint-role';
import type { TurnServerConfig } from '../turn-config';
import { literalLookup } from './literal-lookup';

/** The bound listeners by socket family and endpoint. */
export type Listeners = Record<4 | 6, Partial<Record<EndpointRole, Socket>>>;

/** How sharded workers share the listening ports: SO_REUSEPORT sockets the launcher made, adopted instead of bound
 *  (`${family}/${via}` → fd; Node 20), or each worker binding its own with dgram's `reusePort` (Node ≥ 22.12). */
export type SharedSockets = { kind: 'fds'; fds: Readonly<Record<string, number>> } | { kind: 'reusePort' };

/** A UDP listening endpoint; `port` may name an endpoint bound earlier (whose port 0 became a real one). */
export interface ListeningEndpoint {
  family: 4 | 6;
  via: EndpointRole;
  address: string;
  port: number | 'primary' | 'alt-port';
  /** Skipped, with a warning, when it cannot be bound (the extra IPv6 listener). */
  optional: boolean;
}

export function mainFamilyOf(config: TurnServerConfig): 4 | 6 {
  return config.listen.includes(':') ? 6 : 4;
}

/**
 * The UDP listeners a configuration asks for, in binding order: main listeners first (port 0 → ephemeral), then
 * the RFC 5780 alternates on the same ports, then the extra IPv6 ones. Used by startTurnServer and by the sharding
 * launcher (turn-shards.ts), which must open exactly these.
 */
export function listeningEndpoints(config: TurnServerConfig): ListeningEndpoint[] {
  const family = mainFamilyOf(config);
  const out: ListeningEndpoint[] = [{ family, via: 'primary', address: config.listen, port: config.port, optional: false }];
  if (config.altPort !== null) out.push({ family, via: 'alt-port', address: config.listen, port: config.altPort, optional: false });
  if (config.altIp) {
    out.push({ family, via: 'alt-ip', address: config.altIp, port: 'primary', optional: false });
    if (config.altPort !== null) out.push({ family, via: 'alt-ip-port', address: config.altIp, port: 'alt-port', optional: false });
  }
  if (config.listenV6 && family === 4) {
    out.push({ family: 6, via: 'primary', address: config.listenV6, port: 'primary', optional: true });
    if (config.altPort !== null) out.push({ family: 6, via: 'alt-port', address: config.listenV6, port: 'alt-port', optional: true });
  }
  return out;
}

/**
 * Binds every endpoint of `config` into `udp`, each socket also pushed to `opened` as soon as it is bound (the
 * caller closes them if anything later fails). An optional IPv6 endpoint that cannot be bound drops IPv6 with a
 * warning.
 */
export async function bindListeners(config: TurnServerConfig, logger: Logger, shared: SharedSockets | undefined, udp: Listeners, opened: Socket[]): Promise<void> {
  const bindAt = async (family: 4 | 6, via: EndpointRole, address: string, port: number) => {
    const fd = shared?.kind === 'fds' ? shared.fds[`${family}/${via}`] : undefined;
    if (shared?.kind === 'fds' && fd === undefined) throw new Error(`TURN shard: the launcher made no ${family}/${via} socket`);
    const s = await bindUdp(family, address, port, { fd, reusePort: shared?.kind === 'reusePort' });
    udp[family][via] = s;
    opened.push(s);
    return s.address().port;
  };
  const ports: Partial<Record<'primary' | 'alt-port', number>> = {};
  let optionalFailed = false;
  for (const e of listeningEndpoints(config)) {
    if (e.optional && optionalFailed) continue;
    try {
      const bound = await bindAt(e.family, e.via, e.address, typeof e.port === 'number' ? e.port : ports[e.port]!);
      if (e.via === 'primary' || e.via === 'alt-port') ports[e.via] ??= bound;
    } catch (err) {
      if (!e.optional) throw err;
      optionalFailed = true;
      logger.warn({ err, address: e.address }, 'IPv6 TURN listener not available; continuing on IPv4 only');
      for (const v of ['primary', 'alt-port'] as const) {
        const socket = udp[6][v];
        if (!socket) continue;
        socket.close();
        delete udp[6][v];
        opened.splice(opened.indexOf(socket), 1); // close() must not close it a second time (dgram throws)
      }
    }
  }
}

/** Binds a listening socket, or adopts the already bound descriptor `fd` (sharded workers); `reusePort` lets the
 *  other workers bind the same port (Node ≥ 22.12). */
function bindUdp(family: 4 | 6, address: string, port: number, opts: { fd?: number; reusePort?: boolean } = {}): Promise<Socket> {
  const { fd, reusePort = false } = opts;
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: family === 4 ? 'udp4' : 'udp6', ipv6Only: family === 6, recvBufferSize: 4 << 20, sendBufferSize: 4 << 20, lookup: literalLookup, ...(reusePort ? { reusePort } : {}) });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      const hint = err.code === 'EADDRINUSE' ? ' (another STUN/TURN server running? set TURN_PORT / TURN_ALT_PORT)' : err.code === 'EADDRNOTAVAIL' ? ' (not an address of this host: check TURN_LISTEN / TURN_ALT_IP)' : '';
      reject(Object.assign(new Error(`TURN: cannot bind UDP ${address}:${port}: ${err.code ?? err.message}${hint}`), { code: err.code }));
    });
    socket.bind(fd === undefined ? { address, port, exclusive: true } : { fd }, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}
