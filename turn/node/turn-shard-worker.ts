// One worker thread of a sharded TURN server (started by turn-shards.ts): a full TURN server on the listening
// sockets the launcher made for it (or that it binds with reusePort), sharing quotas, relayed ports and the nonce key with the other workers.
// Messages from the main thread: 'metrics' (answer: this worker's metrics as JSON), 'close' (graceful close).
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import type { TurnServerConfig } from '../turn-config';
import { startTurnServer } from './turn-server';
import type { ShardWorkerData, ShardReply, ShardRequest } from './turn-shards';

const data = workerData as ShardWorkerData;
const config: TurnServerConfig = data.config;
const logger = pino({ level: config.logLevel, base: { svc: 'turn', worker: data.index } });
const port = parentPort!;
const reply = (m: ShardReply) => port.postMessage(m);

try {
  const turn = await startTurnServer(config, {
    logger,
    shard: { sockets: data.sockets, ledgerBuffer: data.ledgerBuffer, nonceKey: Buffer.from(data.nonceKey) },
  });
  port.on('message', (m: ShardRequest) => {
    if (m.type === 'metrics') {
      turn.registry.getMetricsAsJSON().then(
        (metrics) => reply({ type: 'metrics', id: m.id, metrics }),
        (err: Error) => reply({ type: 'metrics', id: m.id, metrics: [], error: err.message }),
      );
    } else if (m.type === 'close') {
      turn.close().then(() => {
        reply({ type: 'closed' });
        port.close();
      });
    }
  });
  reply({ type: 'ready', tcpPort: turn.tcpPort, tlsPort: turn.tlsPort, udpPort: turn.udpPort, altPort: turn.altPort, ipv6: turn.udpBound.ipv6 });
} catch (err) {
  reply({ type: 'failed', message: (err as Error).message });
}
