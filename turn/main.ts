// Standalone TURN server (`npm run turn`): settings from the environment (docs/turn-server.md), Prometheus metrics
// on TURN_METRICS_PORT, JSON-lines logs, graceful shutdown on SIGINT/SIGTERM. Without TURN_SECRET a secret is
// generated and printed, like `npm start` does, so a first run works; deployments set their own.
// TURN_WORKERS > 1 (default: one per CPU) shards the server over worker threads (turn/node/turn-shards.ts) that share
// the ports through SO_REUSEPORT: on Node ≥ 22.12 the workers bind them with dgram's reusePort; on Node 20 this
// process re-runs itself under a launcher (perl) that opens the sockets, then starts the workers.
// A bad setting prints one line naming the variable and exits 2; a failed start prints one line and exits 1.
// The probe peer of the page's NAT check runs here too (signal/probe/probe-server.ts, TURN_PROBE_PORT), so that a
// TURN region (ICE_REGIONS on the signaling side) is this one process — with any TURN_WORKERS: sharded, the probe
// peer runs in the main thread and the workers hand it its datagrams (turn-shards.ts).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { turnConfigFromEnv } from './turn-config';
import { probeServerConfigFromEnv, startProbeServer, type ProbeTurn, type RunningProbeServer } from '../signal/probe/probe-server';
import { startTurnServer } from './node/turn-server';
import { dgramReusePortAvailable, launcherAvailable, relaunchWithSharedPorts, startTurnShards, type ShardSockets } from './node/turn-shards';

const generated = !process.env.TURN_SECRET?.trim();
const secret = generated ? randomBytes(24).toString('base64url') : process.env.TURN_SECRET!;
let config;
let probeConfig;
try {
  config = turnConfigFromEnv({ ...process.env, TURN_SECRET: secret });
  probeConfig = probeServerConfigFromEnv(process.env);
} catch (err) {
  console.error(`p2pcheck TURN: ${(err as Error).message}`);
  process.exit(2);
}
const logger = pino({ level: config.logLevel, base: { svc: 'turn' } });
// Last resort, not the mechanism: socket callbacks are contained by turn/node/handler-guard.ts. Anything that still
// escapes is a bug: log it as one fatal JSON line and exit loudly for the service manager to restart.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    logger.fatal({ err, event: 'turn-crash', kind: event }, 'TURN server crashed');
    process.exit(70);
  });
}
const shardFds = process.env.TURN_SHARD_FDS;
if (generated && !shardFds) {
  logger.warn({ event: 'secret-generated' }, 'TURN_SECRET not set; generated one for this run (set TURN_SECRET to keep credentials valid across restarts)');
  console.error(`TURN_SECRET=${secret}`);
}
let sockets: ShardSockets | null = shardFds ? { kind: 'fds', text: shardFds } : null;
if (config.workers > 1 && !sockets) {
  if (await dgramReusePortAvailable()) sockets = { kind: 'reusePort' };
  else if (launcherAvailable()) process.exit(await relaunchWithSharedPorts(config, { ...process.env, TURN_SECRET: secret }));
  else {
    logger.warn({ event: 'single-worker', workers: config.workers }, 'TURN_WORKERS > 1 needs Linux and either Node ≥ 22.12 (dgram reusePort) or perl (to open SO_REUSEPORT sockets); running one worker');
    config = { ...config, workers: 1 };
  }
}

let probeTurn: ProbeTurn | null = null;
const turn = await (config.workers > 1 && sockets
  ? startTurnShards(config, sockets, logger).then((t) => ((probeTurn = t), t))
  : startTurnServer(config, { logger }).then((t) => (probeTurn = t, {
  workers: 1,
  metrics: () => t.registry.metrics(),
  contentType: t.registry.contentType as string,
  close: () => t.close(),
}))).catch((err: Error) => {
  console.error(err.message); // one line, already naming the setting (e.g. "TURN: cannot bind UDP … set TURN_PORT")
  process.exit(1);
});
if (turn.workers > 1) logger.info({ event: 'turn-workers', workers: turn.workers, sockets: sockets?.kind }, `TURN server sharded over ${turn.workers} worker threads (${sockets?.kind === 'reusePort' ? 'dgram reusePort' : 'SO_REUSEPORT sockets from the launcher'})`);
const metrics = createServer((req, res) => {
  if (req.url === '/metrics') {
    turn.metrics().then((body) => {
      res.writeHead(200, { 'content-type': turn.contentType });
      res.end(body);
    }, () => res.writeHead(500).end());
    return;
  }
  res.writeHead(404).end();
});
metrics.once('error', (err: NodeJS.ErrnoException) => {
  console.error(`p2pcheck TURN: cannot serve /metrics on port ${config.metricsPort}: ${err.code ?? err.message} (set TURN_METRICS_PORT to a free port)`);
  void turn.close().finally(() => process.exit(1));
});
metrics.listen(config.metricsPort, () => {
  const address = metrics.address();
  logger.info({ event: 'metrics-listening', port: typeof address === 'object' && address ? address.port : config.metricsPort }, 'metrics at /metrics');
});

let probeServer: RunningProbeServer | null = null;
const probePort = probeConfig.port;
// (With the launcher, this is the launched process; the first one only waits for it, above.)
if (probePort !== null && probeTurn) {
  const tls = config.tlsCert && config.tlsKey ? { cert: config.tlsCert, key: config.tlsKey } : null;
  probeServer = await startProbeServer({ config: { ...probeConfig, port: probePort }, turn: probeTurn, env: process.env, host: config.listen, tls, logger }).catch(async (err: Error) => {
    console.error(err.message);
    await turn.close();
    process.exit(1);
  });
  logger.info({ event: 'probe-listening', port: probeServer.port, tls: tls !== null, workers: turn.workers }, `probe peer at ${tls ? 'https' : 'http'}://…:${probeServer.port}/api/probe/`);
}

let stopping = false;
const stop = (reason: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ event: 'shutdown', reason }, 'shutting down');
  metrics.close();
  void probeServer?.close();
  turn.close().then(() => process.exit(0), () => process.exit(1));
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => stop(sig));
if (shardFds) {
  // Started by the launcher's parent (relaunchWithSharedPorts): if that process is gone (even killed with SIGKILL,
  // which it cannot pass on), we were re-parented — stop rather than keep the ports as an orphan.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('launcher-parent-gone');
  }, 1000).unref();
}
