// Node adapter for the TURN core: binds the UDP/TCP/TLS listeners, feeds packets and the clock to TurnCore, has its
// actions carried out (action-runner.ts), exposes metrics, counters and the probe hooks.
import type { RemoteInfo, Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { once } from 'node:events';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ClientRef } from '../core/client-ref';
import type { EndpointRole } from '../../common/net/endpoint-role';
import { TurnCore } from '../core/turn-core';
import { DEFAULT_LIFETIMES, type CoreConfig } from '../core/types';
import type { TurnServerConfig } from '../turn-config';
import { ActionRunner, type RelayIps } from './action-runner';
import { advertisedIp, isWildcard } from './local-addresses';
import { isProbeTraffic, type ProbeHooks, type ProbeInterceptor } from './probe-hooks';
import type { TransportAddress } from '../../common/net/transport-address';
import { RelayPortPool } from './relay-sockets';
import { SharedLedger } from './shared-ledger';
import { udpSender } from './fast-udp-send';
import { HandlerGuard } from './handler-guard';
import { StreamConnections } from './stream-connections';
import { createTurnMetrics } from './turn-metrics';
import { bindListeners, mainFamilyOf, type Listeners, type SharedSockets } from './udp-listeners';

export interface RunningTurnServer {
  udpPort: number;
  tcpPort: number | null;
  altPort: number | null;
  tlsPort: number | null;
  registry: Registry;
  counters(): ReturnType<TurnCore['counters']> & { tcpConnections: number; tcpRefused: number; tlsFailures: number; handlerErrors: number };
  probe: ProbeHooks & {
    /** A datagram that arrived on listener `via` and that the probe did not claim, handled as TURN traffic (the
     *  sharded server asks its main thread's probe first: turn-shards.ts). */
    handleUnclaimed(packet: Buffer, from: TransportAddress, via: EndpointRole): void;
  };
  /** The protocol core (tests read its stats). */
  core: TurnCore;
  /** The UDP listeners bound (tests, and the sharded server's worker 0 telling the others). */
  udpBound: { ipv6: boolean };
  /** The address the main listeners are bound to: TURN_LISTEN, or with TURN_ALT_IP beside the wildcard the primary
   *  address the configuration found (turn-config.ts). */
  listenAddress: string;
  close(): Promise<void>;
}

/** One worker of a sharded server (turn/node/turn-shards.ts): what it shares with the others. */
export interface ShardOptions {
  /** How the workers share the listening ports (udp-listeners.ts). */
  sockets: SharedSockets;
  /** The SharedLedger buffer: quotas and relayed ports of all workers. */
  ledgerBuffer: SharedArrayBuffer;
  /** One nonce key for all workers, so a nonce issued by one is accepted by the others. */
  nonceKey: Buffer;
}

/** What wire() starts from: the configuration and the UDP listeners already bound. `servers` collects the TCP/TLS
 *  servers as they are created, so that the caller can close them if starting fails. */
interface Bound {
  config: TurnServerConfig;
  logger: Logger;
  shard: ShardOptions | undefined;
  udp: Listeners;
  opened: Socket[];
  servers: NetServer[];
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

/** How many times an ephemeral-port start (TURN_PORT=0 or TURN_ALT_PORT=0) picks new ports when one that the kernel
 *  gave for UDP is taken for TCP or on the other address: UDP and TCP share one port number, and the kernel only
 *  promised it for UDP. A fixed port is tried once: "in use" is then the operator's to fix. */
const EPHEMERAL_START_ATTEMPTS = 8;

export async function startTurnServer(config: TurnServerConfig, opts: { logger?: Logger; shard?: ShardOptions } = {}): Promise<RunningTurnServer> {
  const logger = opts.logger ?? pino({ level: config.logLevel });
  const ephemeral = (config.port === 0 || config.altPort === 0) && opts.shard?.sockets.kind !== 'fds';
  for (let attempt = 1; ; attempt++) {
    const bound: Bound = { config, logger, shard: opts.shard, udp: { 4: {}, 6: {} }, opened: [], servers: [] };
    try {
      await bindListeners(config, bound.logger, opts.shard?.sockets, bound.udp, bound.opened);
      return await wire(bound);
    } catch (err) {
      for (const s of bound.opened) s.close();
      for (const s of bound.servers) s.close();
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!(ephemeral && inUse && attempt < EPHEMERAL_START_ATTEMPTS)) throw err;
      logger.debug({ err, attempt }, 'ephemeral TURN port taken on another socket; picking new ports');
    }
  }
}

/** Advertised address of each bound listener (RESPONSE-ORIGIN, OTHER-ADDRESS): TURN_EXTERNAL_IP for the primary IP. */
function advertisedEndpoints(udp: Listeners, config: TurnServerConfig): CoreConfig['endpoints'] {
  const endpoints: CoreConfig['endpoints'] = { 4: {}, 6: {} };
  for (const family of [4, 6] as const) {
    for (const [via, socket] of Object.entries(udp[family]) as Array<[EndpointRole, Socket]>) {
      const a = socket.address();
      const isAltIp = via === 'alt-ip' || via === 'alt-ip-port';
      endpoints[family][via] = { family, address: isAltIp ? a.address : advertisedIp(a.address, family, config.externalIp), port: a.port };
    }
  }
  return endpoints;
}

/** Where relays bind, what XOR-RELAYED-ADDRESS says, and how this host reaches them (computed once). */
function relayAddresses(config: TurnServerConfig, udp: Listeners): RelayIps {
  const mainFamily = mainFamilyOf(config);
  const relayIp4 = mainFamily === 4 ? (config.relayIp && !config.relayIp.includes(':') ? config.relayIp : config.listen) : null;
  const relayIp6 = mainFamily === 6 ? (config.relayIp ?? config.listen) : udp[6].primary ? config.listenV6 : null;
  const relayIps: RelayIps = {};
  for (const [family, ip] of [[4, relayIp4], [6, relayIp6]] as const) {
    if (ip) relayIps[family] = { bindIp: ip, localIp: isWildcard(ip) ? advertisedIp(ip, family, null) : ip, publicIp: advertisedIp(ip, family, config.externalIp) };
  }
  return relayIps;
}

function createCore(config: TurnServerConfig, endpoints: CoreConfig['endpoints'], relayIps: RelayIps, shard: ShardOptions | undefined): TurnCore {
  return new TurnCore({
    realm: config.realm,
    secret: config.secret,
    previousSecret: config.previousSecret,
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
    relayFamilies: { 4: relayIps[4] !== undefined, 6: relayIps[6] !== undefined },
  }, shard && {
    nonceKey: shard.nonceKey,
    ledger: new SharedLedger(shard.ledgerBuffer, {
      4: relayIps[4] ? [relayIps[4].localIp, relayIps[4].publicIp] : [],
      6: relayIps[6] ? [relayIps[6].localIp, relayIps[6].publicIp] : [],
    }),
  });
}

async function wire({ config, logger, shard, udp, opened, servers }: Bound): Promise<RunningTurnServer> {
  const mainFamily = mainFamilyOf(config);
  const port = udp[mainFamily].primary!.address().port;
  const altPort = udp[mainFamily]['alt-port']?.address().port ?? null;
  const relayIps = relayAddresses(config, udp);
  const core = createCore(config, advertisedEndpoints(udp, config), relayIps, shard);
  const guard = new HandlerGuard(logger);
  const streams = new StreamConnections(
    {
      // A frame whose handling threw closes its connection (and with it the allocation): the client gets a close.
      onFrame: (client, frame) => !guard.run('stream-frame', () => runner.run(core.handleClientPacket(client, frame, Date.now()))),
      onClose: (key) => void guard.run('stream-close', () => runner.run(core.clientGone(key))),
      onBadStream: () => core.noteMalformedStream(),
    },
    logger,
    config.maxTcpPerIp,
  );
  // dgram's send, or the direct handle send when this Node allows it (fast-udp-send.ts).
  const sender = udpSender(udp[mainFamily].primary!);
  const runner = new ActionRunner({
    core, logger, guard, udp, sender: sender.send, relayIps,
    writeStream: (key, data) => streams.write(key, data),
    pool: new RelayPortPool(config.relayMinPort, config.relayMaxPort),
  });
  let interceptor: ProbeInterceptor | null = null;
  const toCore = (msg: Buffer, address: string, port: number, family: 4 | 6, via: EndpointRole) => {
    const client: ClientRef = { key: `u${family}${via}|` + address + '|' + port, transport: 'udp', address, port, family, via };
    runner.run(core.handleClientPacket(client, msg, Date.now()));
  };

  for (const family of [4, 6] as const) {
    for (const [via, socket] of Object.entries(udp[family]) as Array<[EndpointRole, Socket]>) {
      socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
        // The adapter boundary (handler-guard.ts): whatever throws for this datagram, including the probe's
        // interceptor (signal/probe), drops the datagram and nothing else.
        try {
          if (interceptor && isProbeTraffic(msg) && interceptor(msg, { address: rinfo.address, port: rinfo.port }, via)) return;
          toCore(msg, rinfo.address, rinfo.port, family, via);
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

  const sweepTimer = setInterval(() => guard.run('sweep', () => runner.run(core.sweep(Date.now()))), 1000);
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
      sendFrom(via: EndpointRole, to: TransportAddress, packet: Buffer) {
        const family = to.address.includes(':') ? 6 : 4;
        const socket = udp[family][via];
        if (!socket) throw new Error(`probe.sendFrom: no ${via} listener for IPv${family} (set TURN_ALT_PORT / TURN_ALT_IP)`);
        if (!runner.isStopped) socket.send(packet, to.port, to.address);
      },
      setInterceptor(fn) {
        interceptor = fn;
      },
      handleUnclaimed(packet, from, via) {
        const family = from.address.includes(':') ? 6 : 4;
        if (!udp[family][via] || runner.isStopped) return;
        try {
          toCore(packet, from.address, from.port, family, via);
        } catch (err) {
          guard.note('udp-datagram', err);
        }
      },
    },
    close() {
      closing ??= (async () => {
        clearInterval(sweepTimer);
        await runner.settled();
        guard.run('close', () => runner.run(core.closeAll()));
        runner.stop();
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
