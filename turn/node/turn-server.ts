// Node adapter for the TURN core: binds the UDP/TCP/TLS listeners and relay sockets, feeds packets and the clock
// to TurnCore, carries out its actions, exposes metrics, counters and the probe hooks.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { once } from 'node:events';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Allocation } from '../core/allocation';
import { TurnCore } from '../core/turn-core';
import { DEFAULT_LIFETIMES, type ClientRef, type CoreConfig, type TurnAction, type Via } from '../core/types';
import type { TransportAddress } from '../stun/ip-address';
import type { TurnServerConfig } from '../turn-config';
import { advertisedIp, isWildcard } from './local-addresses';
import { isProbeTraffic, type Endpoint, type ProbeHooks, type ProbeInterceptor } from './probe-hooks';
import { literalLookup } from './literal-lookup';
import { RelayPortPool } from './relay-sockets';
import { SharedLedger } from './shared-ledger';
import { udpSender } from './fast-udp-send';
import { HandlerGuard } from './handler-guard';
import { StreamConnections } from './stream-connections';
import { createTurnMetrics } from './turn-metrics';

export interface RunningTurnServer {
  udpPort: number;
  tcpPort: number | null;
  altPort: number | null;
  tlsPort: number | null;
  registry: Registry;
  counters(): ReturnType<TurnCore['counters']> & { tcpConnections: number; tcpRefused: number; tlsFailures: number; handlerErrors: number };
  probe: ProbeHooks;
  /** The protocol core (tests read its stats). */
  core: TurnCore;
  /** The UDP listeners bound (tests, and the sharded server's worker 0 telling the others). */
  udpBound: { ipv6: boolean };
  /** The address the main listeners are bound to: TURN_LISTEN, or with TURN_ALT_IP beside the wildcard the primary
   *  address the configuration found (turn-config.ts). */
  listenAddress: string;
  close(): Promise<void>;
}

type Listeners = Record<4 | 6, Partial<Record<Via, Socket>>>;

/** One worker of a sharded server (turn/node/turn-shards.ts): what it shares with the others. */
export interface ShardOptions {
  /** How the workers share the listening ports: SO_REUSEPORT sockets the launcher made, adopted instead of bound
   *  (`${family}/${via}` → fd; Node 20), or each worker binding its own with dgram's `reusePort` (Node ≥ 22.12). */
  sockets: { kind: 'fds'; fds: Readonly<Record<string, number>> } | { kind: 'reusePort' };
  /** The SharedLedger buffer: quotas and relayed ports of all workers. */
  ledgerBuffer: SharedArrayBuffer;
  /** One nonce key for all workers, so a nonce issued by one is accepted by the others. */
  nonceKey: Buffer;
}
const kAllocation = Symbol('allocation');
type RelaySocket = Socket & { [kAllocation]?: Allocation };

/** A UDP listening endpoint; `port` may name an endpoint bound earlier (whose port 0 became a real one). */
export interface ListeningEndpoint {
  family: 4 | 6;
  via: Via;
  address: string;
  port: number | 'primary' | 'alt-port';
  /** Skipped, with a warning, when it cannot be bound (the extra IPv6 listener). */
  optional: boolean;
}

/**
 * The UDP listeners a configuration asks for, in binding order: main listeners first (port 0 → ephemeral), then
 * the RFC 5780 alternates on the same ports, then the extra IPv6 ones. Used by startTurnServer and by the sharding
 * launcher (turn-shards.ts), which must open exactly these.
 */
export function listeningEndpoints(config: TurnServerConfig): ListeningEndpoint[] {
  const family: 4 | 6 = config.listen.includes(':') ? 6 : 4;
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

async function listenStream(server: NetServer, host: string, port: number): Promise<number> {
  server.listen({ host, port, ipv6Only: host.includes(':') });
  try {
    await once(server, 'listening');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw Object.assign(new Error(`TURN: cannot listen on TCP ${host}:${port}: ${code ?? (err as Error).message}${code === 'EADDRINUSE' ? ' (port in use: set TURN_PORT / TURN_TLS_PORT, or TURN_TCP=off)' : ''}`), { code });
  }
  const addr = server.address();
  return typeof addr === 'object' && addr ? addr.port : port;
}

export async function startTurnServer(config: TurnServerConfig, opts: { logger?: Logger; shard?: ShardOptions } = {}): Promise<RunningTurnServer> {
  const logger = opts.logger ?? pino({ level: config.logLevel });
  const mainFamily: 4 | 6 = config.listen.includes(':') ? 6 : 4;
  const udp: Listeners = { 4: {}, 6: {} };
  const opened: Socket[] = [];
  const servers: NetServer[] = [];
  const sockets = opts.shard?.sockets;
  const bindAt = async (family: 4 | 6, via: Via, address: string, port: number) => {
    const fd = sockets?.kind === 'fds' ? sockets.fds[`${family}/${via}`] : undefined;
    if (sockets?.kind === 'fds' && fd === undefined) throw new Error(`TURN shard: the launcher made no ${family}/${via} socket`);
    const s = await bindUdp(family, address, port, { fd, reusePort: sockets?.kind === 'reusePort' });
    udp[family][via] = s;
    opened.push(s);
    return s.address().port;
  };

  try {
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
    const port = ports.primary!;
    const altPort = ports['alt-port'] ?? null;
    return await wire(config, logger, udp, opened, servers, port, altPort, mainFamily, opts.shard);
  } catch (err) {
    for (const s of opened) s.close();
    for (const s of servers) s.close();
    throw err;
  }
}

async function wire(
  config: TurnServerConfig,
  logger: Logger,
  udp: Listeners,
  opened: Socket[],
  servers: NetServer[],
  port: number,
  altPort: number | null,
  mainFamily: 4 | 6,
  shard: ShardOptions | undefined,
): Promise<RunningTurnServer> {
  const endpoints: CoreConfig['endpoints'] = { 4: {}, 6: {} };
  for (const family of [4, 6] as const) {
    for (const [via, socket] of Object.entries(udp[family]) as Array<[Via, Socket]>) {
      const a = socket.address();
      const isAltIp = via === 'alt-ip' || via === 'alt-ip-port';
      endpoints[family][via] = { family, address: isAltIp ? a.address : advertisedIp(a.address, family, config.externalIp), port: a.port };
    }
  }
  const relayIp4 = mainFamily === 4 ? (config.relayIp && !config.relayIp.includes(':') ? config.relayIp : config.listen) : null;
  const relayIp6 = mainFamily === 6 ? (config.relayIp ?? config.listen) : udp[6].primary ? config.listenV6 : null;
  // Where relays bind, what XOR-RELAYED-ADDRESS says, and how this host reaches them (computed once).
  const relayIps: Partial<Record<4 | 6, { localIp: string; publicIp: string }>> = {};
  for (const [family, ip] of [[4, relayIp4], [6, relayIp6]] as const) {
    if (ip) relayIps[family] = { localIp: isWildcard(ip) ? advertisedIp(ip, family, null) : ip, publicIp: advertisedIp(ip, family, config.externalIp) };
  }
  const core = new TurnCore({
    realm: config.realm,
    secret: config.secret,
    nonceTtlMs: config.nonceTtlSeconds * 1000,
    ...DEFAULT_LIFETIMES,
    userQuota: config.userQuota,
    totalQuota: config.totalQuota,
    sourceQuota: config.maxAllocationsPerIp,
    maxBps: config.maxBps,
    maxPermissions: config.maxPermissions,
    maxChannels: config.maxChannels,
    unauthRate: config.unauthRate,
    allowPeers: config.allowPeers,
    endpoints,
    relayFamilies: { 4: relayIp4 !== null, 6: relayIp6 !== null },
  }, shard && {
    nonceKey: shard.nonceKey,
    ledger: new SharedLedger(shard.ledgerBuffer, {
      4: relayIps[4] ? [relayIps[4].localIp, relayIps[4].publicIp] : [],
      6: relayIps[6] ? [relayIps[6].localIp, relayIps[6].publicIp] : [],
    }),
  });
  const pool = new RelayPortPool(config.relayMinPort, config.relayMaxPort);
  let closed = false;
  const pendingBinds = new Set<Promise<void>>();
  let interceptor: ProbeInterceptor | null = null;

  const guard = new HandlerGuard(logger);
  const streams = new StreamConnections(
    {
      // A frame whose handling threw closes its connection (and with it the allocation): the client gets a close.
      onFrame: (client, frame) => !guard.run('stream-frame', () => run(core.handleClientPacket(client, frame, Date.now()))),
      onClose: (key) => void guard.run('stream-close', () => run(core.clientGone(key))),
      onBadStream: () => core.noteMalformedStream(),
    },
    logger,
    config.maxTcpPerIp,
  );

  // dgram's send, or the direct handle send when this Node allows it (fast-udp-send.ts).
  const sender = udpSender(udp[mainFamily].primary!);
  const sendToClient = (to: ClientRef, data: Buffer, via?: Via) => {
    if (to.transport === 'udp') {
      const socket = udp[to.family][via ?? to.via];
      if (socket) sender.send(socket, data, to.port, to.address, ignoreSendError);
    } else {
      streams.write(to.key, data);
    }
  };

  // Send failures towards a peer (ENETUNREACH, EPERM from a firewall, …) are counted and never end the allocation.
  const onPeerSendError = (code: string) => core.notePeerSendError(code);
  // A client that went away is noticed by the allocation's lifetime, not by a failed send.
  const ignoreSendError = () => {};

  const run = (actions: TurnAction[]): void => {
    for (const a of actions) runOne(a);
  };

  const runOne = (a: TurnAction): void => {
    if (closed && a.type !== 'close-relay' && a.type !== 'allocation-closed') return;
    switch (a.type) {
      case 'send':
        sendToClient(a.to, a.data, a.via);
        return;
      case 'relay-send':
        if (a.allocation.handle) sender.send(a.allocation.handle as Socket, a.data, a.peer.port, a.peer.address, onPeerSendError);
        return;
      case 'bind-relay': {
        const p = bindRelay(a.allocation, a.family, a.evenPort)
          .catch((err: unknown) => relayBindFailed(a.allocation, err))
          .finally(() => pendingBinds.delete(p));
        pendingBinds.add(p);
        return;
      }
      case 'close-relay': {
        const socket = a.allocation.handle as RelaySocket | null;
        a.allocation.handle = null;
        if (socket) {
          socket[kAllocation] = undefined;
          pool.release(socket.address().port);
          socket.close();
        }
        return;
      }
      case 'allocation-created':
        logger.info({ event: 'allocation-start', allocation: a.allocation.id, user: a.allocation.username, client: `${a.allocation.client.address}:${a.allocation.client.port}`, transport: a.allocation.client.transport, relay: `${a.allocation.relay?.address}:${a.allocation.relay?.port}`, lifetime: a.allocation.pendingLifetimeS }, 'allocation start');
        return;
      case 'allocation-closed':
        logger.info({ event: 'allocation-end', allocation: a.allocation.id, user: a.allocation.username, reason: a.reason, durationS: Math.round((Date.now() - a.allocation.createdAt) / 1000), bytesToPeer: a.allocation.bytesToPeer, bytesToClient: a.allocation.bytesToClient }, 'allocation end');
        return;
      default: {
        const never: never = a;
        throw new Error(`unhandled action ${JSON.stringify(never)}`);
      }
    }
  };

  function onRelayMessage(this: RelaySocket, msg: Buffer, rinfo: RemoteInfo): void {
    const allocation = this[kAllocation];
    if (!allocation) return;
    try {
      const act = core.handleRelayPacket(allocation, { family: allocation.family, address: rinfo.address, port: rinfo.port }, msg, Date.now());
      if (act) runOne(act);
    } catch (err) {
      guard.note('relay-datagram', err);
    }
  }
  // Asynchronous socket errors (ICMP-reported, …): count them, keep the allocation.
  function onRelayError(err: NodeJS.ErrnoException): void {
    core.notePeerSendError(err.code ?? 'unknown');
  }

  const bindRelay = async (allocation: Allocation, family: 4 | 6, evenPort: boolean) => {
    const ip = family === 4 ? relayIp4 : relayIp6;
    const bound = ip ? await pool.bind(ip, family, evenPort) : null;
    if (!bound) {
      logger.warn({ allocation: allocation.id, family }, 'no relay port could be bound (range exhausted?)');
      run(core.relayBound(allocation, null, Date.now()));
      return;
    }
    const { socket } = bound;
    allocation.handle = socket;
    (socket as RelaySocket)[kAllocation] = allocation;
    const { localIp, publicIp } = relayIps[family]!;
    const relay: TransportAddress = { family, address: publicIp, port: bound.port };
    // Shared listeners (no closure per allocation: memory per idle allocation matters at 10,000s).
    socket.on('message', onRelayMessage);
    socket.on('error', onRelayError);
    run(core.relayBound(allocation, { relay, localRelay: { family, address: localIp, port: bound.port } }, Date.now()));
  };

  // Something threw while a relay was being bound: the client gets 508 (if it still waits) and no socket leaks.
  const relayBindFailed = (allocation: Allocation, err: unknown) => {
    guard.note('relay-bind', err);
    guard.run('relay-bind', () => {
      if (allocation.state === 'active') return; // it completed; what threw came after
      const socket = allocation.handle as RelaySocket | null;
      allocation.handle = null;
      if (socket) {
        socket[kAllocation] = undefined;
        pool.release(socket.address().port);
        socket.close();
      }
      if (allocation.state === 'binding') run(core.relayBound(allocation, null, Date.now()));
    });
  };

  for (const family of [4, 6] as const) {
    for (const [via, socket] of Object.entries(udp[family]) as Array<[Via, Socket]>) {
      const tag = `u${family}${via}|`;
      socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
        // The adapter boundary (handler-guard.ts): whatever throws for this datagram, including the probe's
        // interceptor (signal/probe), drops the datagram and nothing else.
        try {
          if (interceptor && isProbeTraffic(msg) && interceptor(msg, { address: rinfo.address, port: rinfo.port }, via)) return;
          const client: ClientRef = { key: tag + rinfo.address + '|' + rinfo.port, transport: 'udp', address: rinfo.address, port: rinfo.port, family, via };
          run(core.handleClientPacket(client, msg, Date.now()));
        } catch (err) {
          guard.note('udp-datagram', err);
        }
      });
      socket.on('error', (err) => logger.warn({ err, via, family }, 'TURN UDP listener error'));
    }
  }

  let tcpPort: number | null = null;
  if (config.tcp) {
    const server = createNetServer();
    servers.push(server);
    streams.attach(server, 'tcp');
    tcpPort = await listenStream(server, config.listen, port);
    if (udp[6].primary && config.listenV6) {
      const v6 = createNetServer();
      streams.attach(v6, 'tcp');
      try {
        await listenStream(v6, config.listenV6, port);
        servers.push(v6);
      } catch (err) {
        logger.warn({ err }, 'IPv6 TURN TCP listener not available');
      }
    }
  }
  let tlsPort: number | null = null;
  if (config.tlsCert && config.tlsKey) {
    const server = createTlsServer({ cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey), handshakeTimeout: config.tlsHandshakeTimeoutS * 1000 });
    servers.push(server);
    streams.attach(server, 'tls');
    tlsPort = await listenStream(server, config.listen, config.tlsPort);
  }

  const sweepTimer = setInterval(() => guard.run('sweep', () => run(core.sweep(Date.now()))), 1000);
  sweepTimer.unref();
  const registry = createTurnMetrics(core, () => ({ tcpConnections: streams.size, tcpRefused: streams.refused, tlsFailures: streams.tlsFailures, handlerErrors: guard.counts }));
  logger.info({ event: 'turn-listening', listen: config.listen, udpPort: port, tcpPort, altPort, altIp: config.altIp, tlsPort, realm: config.realm, fastSend: sender.fast, relayPorts: `${config.relayMinPort}-${config.relayMaxPort}` }, 'TURN server listening');

  let closing: Promise<void> | null = null;
  return {
    udpPort: port,
    tcpPort,
    altPort,
    tlsPort,
    registry,
    core,
    udpBound: { ipv6: udp[6].primary !== undefined && mainFamily === 4 },
    listenAddress: config.listen,
    counters: () => ({
      ...core.counters(),
      tcpConnections: streams.size,
      tcpRefused: streams.refused,
      tlsFailures: streams.tlsFailures,
      handlerErrors: [...guard.counts.values()].reduce((a, b) => a + b, 0),
    }),
    probe: {
      sendFrom(via: Via, to: Endpoint, packet: Buffer) {
        const family = to.address.includes(':') ? 6 : 4;
        const socket = udp[family][via];
        if (!socket) throw new Error(`probe.sendFrom: no ${via} listener for IPv${family} (set TURN_ALT_PORT / TURN_ALT_IP)`);
        if (!closed) socket.send(packet, to.port, to.address);
      },
      setInterceptor(fn) {
        interceptor = fn;
      },
    },
    close() {
      closing ??= (async () => {
        clearInterval(sweepTimer);
        await Promise.all([...pendingBinds]);
        guard.run('close', () => run(core.closeAll()));
        closed = true;
        streams.destroyAll();
        await Promise.all([
          ...opened.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
          ...servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
        ]);
        logger.info({ event: 'turn-closed' }, 'TURN server closed');
      })();
      return closing;
    },
  };
}
