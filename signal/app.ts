// Wires the pieces of one p2pcheck process: the bundled STUN/TURN server, the signaling relay and the
// HTTP server. `signal/main.ts` is the command-line entry; tests may call startApp directly.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { turnConfigFromEnv } from '../turn/turn-config';
import { startTurnServer, type RunningTurnServer } from '../turn/node/turn-server';
import { signalConfigFromEnv, type SignalConfig } from './config';
import { createHttpServer, type ApiContext } from './http/http-server';
import { SignalingServer } from './ws/signaling-server';

export const VERSION = '0.1.0';

export interface RunningApp {
  httpPort: number;
  config: SignalConfig;
  turn: RunningTurnServer | null;
  turnSecret: string | null;
  /** True when the secret was made up at start (nothing configured). */
  secretGenerated: boolean;
  logger: Logger;
  close(): Promise<void>;
}

export async function startApp(env: NodeJS.ProcessEnv, extraRoutes: ApiContext['routes'] = []): Promise<RunningApp> {
  const config = signalConfigFromEnv(env);
  const logger = pino({ level: config.logLevel, base: { svc: 'p2pcheck' } });
  const secretGenerated = config.turnEnabled && !env.TURN_SECRET;
  const turnSecret = config.turnEnabled ? env.TURN_SECRET || randomBytes(24).toString('base64url') : null;
  const turn = turnSecret ? await startTurnServer(turnConfigFromEnv({ ...env, TURN_SECRET: turnSecret }), { logger: logger.child({ svc: 'turn' }) }) : null;

  const signaling = new SignalingServer({ heartbeatMs: config.heartbeatMs, logger: logger.child({ svc: 'signal' }) });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'p2pcheck_' });
  for (const [name, help, key] of [
    ['p2pcheck_signaling_sockets', 'Open signaling WebSockets', 'sockets'],
    ['p2pcheck_signaling_rooms', 'Rooms with at least one peer', 'rooms'],
    ['p2pcheck_signaling_rejected_messages', 'Signaling messages rejected (malformed, too large, rate-limited) since start', 'rejected'],
  ] as const) {
    new Gauge({ name, help, registers: [registry], collect() { this.set(signaling.counters()[key]); } });
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
  });
  server.listen(config.port, config.host);
  try {
    await once(server, 'listening');
  } catch (err) {
    await turn?.close();
    throw err;
  }
  const httpPort = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    httpPort,
    config,
    turn,
    turnSecret,
    secretGenerated,
    logger,
    close() {
      closing ??= (async () => {
        await signaling.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await turn?.close();
      })();
      return closing;
    },
  };
}
