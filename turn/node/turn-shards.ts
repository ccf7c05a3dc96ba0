// The sharded standalone TURN server (TURN_WORKERS > 1, Linux): one worker thread per CPU, each a full TURN
// server on its own SO_REUSEPORT listening sockets (made by reuseport-sockets.pl, see relaunchWithSharedPorts), so
// the kernel spreads clients over the workers and keeps each client on one. The workers share one SharedLedger
// (total and per-user quotas, relayed ports for self-relay) and one nonce key; each keeps its own relay sockets.
// TCP and TLS listen in worker 0 only. The per-IP rate limit on unauthenticated replies is divided among the
// workers (one IP's source ports hash to different workers). Metrics are summed over the workers at scrape time.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { AggregatorRegistry, Registry } from 'prom-client';
import type { TurnServerConfig } from '../turn-config';
import { SharedLedger } from './shared-ledger';
import { listeningEndpoints } from './turn-server';
import { startTsWorker } from './ts-worker';

export interface ShardWorkerData {
  index: number;
  config: TurnServerConfig;
  fds: Record<string, number>;
  ledgerBuffer: SharedArrayBuffer;
  nonceKey: Uint8Array;
}
export type ShardRequest = { type: 'metrics'; id: number } | { type: 'close' };
export type ShardReply =
  | { type: 'ready'; tcpPort: number | null; tlsPort: number | null }
  | { type: 'failed'; message: string }
  | { type: 'metrics'; id: number; metrics: object[]; error?: string }
  | { type: 'closed' };

const LAUNCHER = fileURLToPath(new URL('./reuseport-sockets.pl', import.meta.url));
const MAX_HANDSHAKE_MS = 20_000;

/** The UDP endpoints every worker listens on, in the launcher's notation (family/via[?]/address/port|@via). */
export function shardEndpoints(config: TurnServerConfig): string[] {
  return listeningEndpoints(config).map((e) => `${e.family}/${e.via}${e.optional ? '?' : ''}/${e.address}/${typeof e.port === 'number' ? e.port : `@${e.port}`}`);
}

/** Parses the launcher's TURN_SHARD_FDS into one `${family}/${via}` → fd map per worker, plus the bound ports. */
export function parseShardFds(text: string, workers: number): { perWorker: Array<Record<string, number>>; ports: Record<string, number> } {
  const perWorker = Array.from({ length: workers }, () => ({}) as Record<string, number>);
  const ports: Record<string, number> = {};
  for (const part of text.split(';').filter(Boolean)) {
    const m = /^([46])\/([a-z-]+)\/(\d+)\/([\d,]+)$/.exec(part);
    const fds = m?.[4]!.split(',').map(Number) ?? [];
    if (!m || fds.length !== workers) throw new Error(`TURN_SHARD_FDS: bad entry "${part}" for ${workers} workers`);
    ports[`${m[1]}/${m[2]}`] = Number(m[3]);
    fds.forEach((fd, i) => (perWorker[i]![`${m[1]}/${m[2]}`] = fd));
  }
  return { perWorker, ports };
}

/** True when the launcher can run here (perl with SO_REUSEPORT, Linux). */
export function launcherAvailable(): boolean {
  if (process.platform !== 'linux') return false;
  const r = spawnSync('perl', ['-MSocket=SO_REUSEPORT', '-e', 'exit 0'], { stdio: 'ignore' });
  return r.status === 0;
}

/**
 * Re-runs this process under the launcher, which opens the shared listening ports and execs the same command
 * line with TURN_SHARD_FDS set. Resolves with the child's exit code; SIGINT/SIGTERM are passed on.
 */
export function relaunchWithSharedPorts(config: TurnServerConfig, env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn('perl', [LAUNCHER, String(config.workers), ...shardEndpoints(config), '--', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env,
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

export interface RunningShards {
  workers: number;
  tcpPort: number | null;
  tlsPort: number | null;
  udpPort: number;
  /** Prometheus text of all workers summed. */
  metrics(): Promise<string>;
  contentType: string;
  close(): Promise<void>;
}

export async function startTurnShards(config: TurnServerConfig, shardFds: string, logger: Logger): Promise<RunningShards> {
  const { perWorker, ports } = parseShardFds(shardFds, config.workers);
  const family = config.listen.includes(':') ? 6 : 4;
  const udpPort = ports[`${family}/primary`]!;
  // Every worker sees the ports the launcher bound (0 → ephemeral) and only the endpoints it made.
  const shared: TurnServerConfig = {
    ...config,
    port: udpPort,
    altPort: config.altPort === null ? null : ports[`${family}/alt-port`]!,
    listenV6: ports['6/primary'] !== undefined && family === 4 ? config.listenV6 : null,
    unauthRate: config.unauthRate === 0 ? 0 : Math.max(1, Math.ceil(config.unauthRate / config.workers)),
  };
  const ledgerBuffer = SharedLedger.createBuffer({ total: config.totalQuota, perUser: config.userQuota, perSource: config.maxAllocationsPerIp });
  const nonceKey = randomBytes(32);
  const workers: Worker[] = [];
  const waiting = new Map<number, (m: object[]) => void>();
  let nextId = 0;

  const started = perWorker.map((fds, index) => {
    const worker = startTsWorker(new URL('./turn-shard-worker.ts', import.meta.url), {
      index,
      config: index === 0 ? shared : { ...shared, tcp: false, tlsCert: null, tlsKey: null },
      fds,
      ledgerBuffer,
      nonceKey,
    } satisfies ShardWorkerData);
    workers.push(worker);
    return new Promise<ShardReply & { type: 'ready' }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`TURN worker ${index} did not start within ${MAX_HANDSHAKE_MS / 1000} s`)), MAX_HANDSHAKE_MS);
      worker.on('message', (m: ShardReply) => {
        if (m.type === 'ready') resolve(m);
        else if (m.type === 'failed') reject(new Error(m.message));
        else if (m.type === 'metrics') waiting.get(m.id)?.(m.metrics);
        if (m.type !== 'metrics') clearTimeout(timer);
      });
      worker.on('error', (err) => {
        clearTimeout(timer);
        logger.error({ err, worker: index }, 'TURN worker failed');
        reject(err);
      });
      worker.on('exit', (code) => {
        clearTimeout(timer);
        if (!closing) {
          logger.fatal({ worker: index, code }, 'TURN worker exited; stopping the server');
          process.exitCode = 1;
          void close().then(() => process.exit(1));
        }
        reject(new Error(`TURN worker ${index} exited (${code})`));
      });
    });
  });

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void w.terminate().then(() => resolve()), 5000);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            w.postMessage({ type: 'close' } satisfies ShardRequest);
          }),
      ),
    ).then(() => undefined));

  let ready: Array<ShardReply & { type: 'ready' }>;
  try {
    ready = await Promise.all(started);
  } catch (err) {
    await close();
    throw err;
  }

  const workerMetrics = (w: Worker) =>
    new Promise<object[]>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve([]);
      }, 2000);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(m);
      });
      w.postMessage({ type: 'metrics', id } satisfies ShardRequest);
    });

  return {
    workers: workers.length,
    udpPort,
    tcpPort: ready[0]!.tcpPort,
    tlsPort: ready[0]!.tlsPort,
    contentType: Registry.PROMETHEUS_CONTENT_TYPE,
    async metrics() {
      const all = await Promise.all(workers.map(workerMetrics));
      return AggregatorRegistry.aggregate(all).metrics();
    },
    close,
  };
}
