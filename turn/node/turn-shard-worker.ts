// One worker thread of a sharded TURN server (started by turn-shards.ts): a full TURN server on the listening
// sockets the launcher made for it (or that it binds with reusePort), sharing quotas, relayed ports and the nonce key with the other workers.
// Messages from the main thread: 'metrics' (answer: this worker's metrics as JSON), 'close' (graceful close), and
// the probe peer's (turn-shards.ts): 'probe-intercept', 'probe-send', 'probe-unclaimed'.
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
    } else if (m.type === 'probe-intercept') {
      // The probe peer is in the main thread: offer it what may be its own; it gives back what is not.
      turn.probe.setInterceptor(m.on ? (packet, from, via) => (reply({ type: 'probe-packet', via, from, packet: new Uint8Array(packet) }), true) : null);
    } else if (m.type === 'probe-send') {
      try {
        turn.probe.sendFrom(m.via, m.to, Buffer.from(m.packet.buffer, m.packet.byteOffset, m.packet.byteLength));
      } catch (err) {
        // An endpoint this server does not have: the check goes unanswered, as with one worker.
        logger.debug({ err, event: 'probe-send-failed' }, 'probe check not sent');
      }
    } else if (m.type === 'probe-unclaimed') {
      turn.probe.handleUnclaimed(Buffer.from(m.packet.buffer, m.packet.byteOffset, m.packet.byteLength), m.from, m.via);
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
