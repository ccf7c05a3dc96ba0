// Standalone TURN server (`npm run turn`): settings from the environment (docs/turn-server.md), Prometheus metrics
// on TURN_METRICS_PORT, JSON-lines logs, graceful shutdown on SIGINT/SIGTERM. Without TURN_SECRET a secret is
// generated and printed, like `npm start` does, so a first run works; deployments set their own.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pino } from 'pino';
import { turnConfigFromEnv } from './turn-config';
import { startTurnServer } from './node/turn-server';

const generated = !process.env.TURN_SECRET?.trim();
const secret = generated ? randomBytes(24).toString('base64url') : process.env.TURN_SECRET!;
let config;
try {
  config = turnConfigFromEnv({ ...process.env, TURN_SECRET: secret });
} catch (err) {
  console.error(`p2pcheck TURN: ${(err as Error).message}`);
  process.exit(2);
}
const logger = pino({ level: config.logLevel, base: { svc: 'turn' } });
if (generated) {
  logger.warn({ event: 'secret-generated' }, 'TURN_SECRET not set; generated one for this run (set TURN_SECRET to keep credentials valid across restarts)');
  console.error(`TURN_SECRET=${secret}`);
}
const turn = await startTurnServer(config, { logger }).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
const metrics = createServer((req, res) => {
  if (req.url === '/metrics') {
    turn.registry.metrics().then((body) => {
      res.writeHead(200, { 'content-type': turn.registry.contentType });
      res.end(body);
    }, () => res.writeHead(500).end());
    return;
  }
  res.writeHead(404).end();
});
metrics.listen(config.metricsPort, () => logger.info({ event: 'metrics-listening', port: config.metricsPort }, 'metrics at /metrics'));

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'shutdown', signal: sig }, 'shutting down');
    metrics.close();
    turn.close().then(() => process.exit(0), () => process.exit(1));
  });
}
