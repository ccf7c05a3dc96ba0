// Wires the pieces of one p2pcheck process: the bundled STUN/TURN server, the signaling relay and the
// HTTP server. `signal/main.ts` is the command-line entry; tests may call startApp directly.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { turnConfigFromEnv } from '../turn/turn-config';
import { startTurnServer, type RunningTurnServer } from '../turn/node/turn-server';
import { RateLimiter } from '../turn/security/rate-limiter';
import { ConfigError } from '../turn/config-error';
import { signalConfigFromEnv, type SignalConfig } from './config';
import { iceRegionsFromEnv, probeOrigins } from './regions/region-config';
import { createHttpServer, type ApiContext } from './http/http-server';
import { createMetricsServer } from './http/metrics-route';
import { Readiness } from './http/readiness';
import { RedisRooms } from './cluster/redis-rooms';
import { Incidents } from './security/incidents';
import { SignalingServer } from './ws/signaling-server';
import packageJson from '../package.json' with { type: 'json' };

/** The release, as package.json names it (its one home). */
export const VERSION: string = packageJson.version;

export interface RunningApp {
  httpPort: number;
  /** Port of the own /metrics listener (METRICS_PORT), or null when /metrics is on httpPort. */
  metricsPort: number | null;
  config: SignalConfig;
  incidents: Incidents;
  turn: RunningTurnServer | null;
  turnSecret: string | null;
  /** True when the secret was made up at start (nothing configured). */
  secretGenerated: boolean;
  logger: Logger;
  /** /readyz: add a check per dependency (e.g. readiness.add('postgres', ...)). */
  readiness: Readiness;
  /** Rooms across nodes (REDIS_URL set), else null. */
  cluster: RedisRooms | null;
  /**
   * SIGTERM drain: not ready at once, no new rooms, running rooms get up to DRAIN_TIMEOUT_S to end, then close().
   * Resolves when closed.
   */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function startApp(env: NodeJS.ProcessEnv, extraRoutes: ApiContext['routes'] = []): Promise<RunningApp> {
  const config = signalConfigFromEnv(env);
  const regions = iceRegionsFromEnv(env);
  const logger = pino({ level: config.logLevel, base: { svc: 'p2pcheck' } });
  const secretGenerated = config.turnEnabled && !env.TURN_SECRET;
  const turnSecret = config.turnEnabled ? env.TURN_SECRET || randomBytes(24).toString('base64url') : null;
  const turn = turnSecret ? await startTurnServer(turnConfigFromEnv({ ...env, TURN_SECRET: turnSecret }), { logger: logger.child({ svc: 'turn' }) }) : null;

  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'p2pcheck_' });
  const incidents = new Incidents(logger, registry);
  const { limits } = config;
  const crossNode = new Counter({ name: 'p2pcheck_cluster_messages_total', help: 'Room messages this node sent to another node through Redis', registers: [registry] });
  const redisLatency = new Histogram({
    name: 'p2pcheck_redis_command_seconds',
    help: 'Redis command latency seen by this node',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  let cluster: RedisRooms | null = null;
  if (config.redisUrl) {
    try {
      cluster = await RedisRooms.start({
        url: config.redisUrl,
        logger: logger.child({ svc: 'cluster' }),
        presenceTtlMs: config.redisPresenceTtlMs,
        onCrossNode: () => crossNode.inc(),
        onRedisLatency: (s) => redisLatency.observe(s),
      });
    } catch (err) {
      await turn?.close();
      const where = new URL(config.redisUrl);
      throw new ConfigError('REDIS_URL', `REDIS_URL: cannot reach Redis at ${where.hostname}:${where.port || 6379} (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); start it, fix the URL or unset REDIS_URL`);
    }
  }
  const signaling = new SignalingServer({
    heartbeatMs: config.heartbeatMs,
    logger: logger.child({ svc: 'signal' }),
    rate: { perSecond: limits.wsMessagesPerSecond, burst: limits.wsMessageBurst },
    maxPerClient: limits.wsPerClient,
    maxBufferedBytes: limits.wsMaxBufferedBytes,
    allowedOrigins: config.allowedOrigins,
    incidents,
    ...(cluster ? { router: cluster } : {}),
  });
  for (const [name, help, key] of [
    ['p2pcheck_signaling_sockets', 'Open signaling WebSockets', 'sockets'],
    ['p2pcheck_signaling_rooms', 'Two-person test rooms with at least one peer', 'rooms'],
    ['p2pcheck_signaling_lobbies', 'Lobbies (rooms of up to 8) with at least one peer', 'lobbies'],
    ['p2pcheck_signaling_peers', 'Peers in rooms and lobbies', 'peers'],
    ['p2pcheck_signaling_rejected_messages', 'Signaling messages rejected (malformed, too large, rate-limited) since start', 'rejected'],
  ] as const) {
    new Gauge({ name, help, registers: [registry], collect() { this.set(signaling.counters()[key]); } });
  }
  const readiness = new Readiness();
  if (cluster) {
    const c = cluster;
    readiness.add('redis', () => c.ping());
  }
  const merged = turn ? Registry.merge([registry, turn.registry]) : registry;

  const server = createHttpServer({
    logger,
    signaling,
    staticDir: config.staticDir,
    iceHost: config.iceHost,
    iceTtlSeconds: config.iceTtlSeconds,
    turn: turn && turnSecret
      ? {
          udpPort: turn.udpPort,
          tcpPort: turn.tcpPort,
          tlsPort: turn.tlsPort,
          altPort: turn.altPort,
          altHost: env.TURN_ALT_IP || null,
          secret: turnSecret,
          counters: () => turn.counters(),
        }
      : null,
    registry: merged,
    version: VERSION,
    routes: extraRoutes,
    incidents,
    trustProxy: config.trustProxy,
    iceLimiter: new RateLimiter(limits.iceCredentialsPerMinute / 60, { burst: limits.iceCredentialsBurst }),
    metrics: { token: config.metrics.token, onMainPort: config.metrics.listen === null },
    readiness,
    regions,
    connectOrigins: probeOrigins(regions),
  });
  const metricsServer = config.metrics.listen ? createMetricsServer(merged, config.metrics.token, incidents) : null;
  try {
    await listen(server, config.port, config.host, 'PORT', 'HOST');
    if (metricsServer && config.metrics.listen) await listen(metricsServer, config.metrics.listen.port, config.metrics.listen.host, 'METRICS_PORT', 'METRICS_HOST');
  } catch (err) {
    server.close();
    metricsServer?.close();
    await signaling.close();
    await cluster?.close();
    await turn?.close();
    throw err;
  }
  // After listening, a server 'error' (e.g. accept() failing with EMFILE) must not end the process: count it.
  server.on('error', (err) => incidents.handlerError('http', err, { phase: 'accept' }));
  metricsServer?.on('error', (err) => incidents.handlerError('metrics', err, { phase: 'accept' }));
  const httpPort = (server.address() as AddressInfo).port;
  const metricsPort = metricsServer ? (metricsServer.address() as AddressInfo).port : null;

  let closing: Promise<void> | null = null;
  let draining: Promise<void> | null = null;
  const roomsRunning = () => {
    const c = signaling.counters();
    return c.rooms + c.lobbies;
  };
  const running: RunningApp = {
    httpPort,
    metricsPort,
    config,
    incidents,
    turn,
    turnSecret,
    secretGenerated,
    logger,
    readiness,
    cluster,
    drain() {
      draining ??= (async () => {
        readiness.drain();
        signaling.drain();
        const deadline = Date.now() + config.drainTimeoutS * 1000;
        logger.info({ rooms: roomsRunning(), timeoutS: config.drainTimeoutS }, 'draining: no new rooms; waiting for running ones to end');
        // Bounded: polls until no room is left or the deadline passes.
        while (roomsRunning() > 0 && Date.now() < deadline && !closing) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(1, deadline - Date.now()))));
        }
        logger.info({ rooms: roomsRunning() }, roomsRunning() > 0 ? 'drain timeout: closing with rooms still running' : 'drained: closing');
        await running.close();
      })();
      return draining;
    },
    close() {
      closing ??= (async () => {
        await signaling.close();
        await cluster?.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (metricsServer) {
          metricsServer.closeAllConnections();
          await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        }
        await turn?.close();
      })();
      return closing;
    },
  };
  return running;
}

/** Listens, or fails with a one-line ConfigError naming the settings when the address cannot be used. */
async function listen(server: import('node:http').Server, port: number, host: string, portVar: string, hostVar: string): Promise<void> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(portVar, `${portVar}=${port} on ${host} is already in use: stop what uses it or choose another ${portVar}`);
    if (code === 'EADDRNOTAVAIL') throw new ConfigError(hostVar, `${hostVar}=${host} is not an address of this machine: use one of its addresses or 0.0.0.0`);
    if (code === 'EACCES') throw new ConfigError(portVar, `${portVar}=${port} needs more privileges on ${host}: choose a port above 1023 or grant CAP_NET_BIND_SERVICE`);
    throw err;
  }
}
