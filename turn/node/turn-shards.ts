// The sharded standalone TURN server (TURN_WORKERS > 1, Linux): one worker thread per CPU, each a full TURN
// server on its own SO_REUSEPORT listening sockets, so the kernel spreads clients over the workers and keeps each
// client on one. On Node ≥ 22.12 each worker binds its sockets with dgram's `reusePort` (worker 0 first, for the
// ports); on Node 20 reuseport-sockets.pl makes them before Node starts (see relaunchWithSharedPorts). The workers share one SharedLedger
// (total and per-user quotas, relayed ports for self-relay) and one nonce key; each keeps its own relay sockets.
// TCP and TLS listen in worker 0 only. The per-IP rate limit on unauthenticated replies is divided among the
// workers (one IP's source ports hash to different workers). Metrics are summed over the workers at scrape time.
// The probe peer (signal/probe) runs in the main thread: while it listens, every worker hands it the datagrams that
// may be its own (probe-hooks.ts isProbeTraffic: the kernel spreads a browser's checks and answers over the workers
// by 4-tuple) and handles as TURN what it gives back; its checks go out through worker 0's sockets, which share the
// ports with all the others.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { EndpointRole } from '../../common/net/endpoint-role';
import type { TransportAddress } from '../../common/net/transport-address';
import type { ProbeHooks, ProbeInterceptor } from './probe-hooks';
import { AggregatorRegistry, Registry } from 'prom-client';
import type { TurnServerConfig } from '../turn-config';
import { SharedLedger } from './shared-ledger';
import type { ShardOptions } from './turn-server';
import { listeningEndpoints } from './udp-listeners';
import { startTsWorker } from './ts-worker';

export interface ShardWorkerData {
  index: number;
  config: TurnServerConfig;
  sockets: ShardOptions['sockets'];
  ledgerBuffer: SharedArrayBuffer;
  nonceKey: Uint8Array;
}
export type ShardRequest =
  | { type: 'metrics'; id: number }
  | { type: 'close' }
  /** The main thread's probe peer listens (or stops): hand it the datagrams that may be its own. */
  | { type: 'probe-intercept'; on: boolean }
  /** A probe check to send from this worker's listening socket `via`. */
  | { type: 'probe-send'; via: EndpointRole; to: TransportAddress; packet: Uint8Array }
  /** A datagram the probe did not claim: handle it as TURN traffic. */
  | { type: 'probe-unclaimed'; via: EndpointRole; from: TransportAddress; packet: Uint8Array };
export type ShardReply =
  | { type: 'ready'; tcpPort: number | null; tlsPort: number | null; udpPort: number; altPort: number | null; ipv6: boolean }
  | { type: 'failed'; message: string }
  | { type: 'metrics'; id: number; metrics: object[]; error?: string }
  | { type: 'closed' }
  | { type: 'probe-packet'; via: EndpointRole; from: TransportAddress; packet: Uint8Array };

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

const LAUNCHER = fileURLToPath(new URL('./reuseport-sockets.pl', import.meta.url));
const MAX_HANDSHAKE_MS = 20_000;

/** The UDP endpoints every worker listens on, in the launcher's notation (family/via[?]/address/port|@via). */
function shardEndpoints(config: TurnServerConfig): string[] {
  return listeningEndpoints(config).map((e) => `${e.family}/${e.via}${e.optional ? '?' : ''}/${e.address}/${typeof e.port === 'number' ? e.port : `@${e.port}`}`);
}

/** Parses the launcher's TURN_SHARD_FDS into one `${family}/${via}` → fd map per worker, plus the bound ports. */
function parseShardFds(text: string, workers: number): { perWorker: Array<Record<string, number>>; ports: Record<string, number> } {
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

/**
 * True when this Node's dgram honours `reusePort` (Node ≥ 22.12 / 23.1 on Linux): two sockets bound to one loopback
 * port. Older versions ignore the option, so the second bind fails with EADDRINUSE.
 */
export async function dgramReusePortAvailable(): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  const { createSocket } = await import('node:dgram');
  const opened: Array<import('node:dgram').Socket> = [];
  const bind = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createSocket({ type: 'udp4', reusePort: true } as import('node:dgram').SocketOptions);
      opened.push(s);
      s.once('error', reject);
      s.bind({ address: '127.0.0.1', port, exclusive: true }, () => resolve(s.address().port));
    });
  try {
    await bind(await bind(0));
    return true;
  } catch {
    return false;
  } finally {
    for (const s of opened) s.close();
  }
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
  altPort: number | null;
  /** For the probe peer in this thread: the workers' listening sockets, as one server's (probe-hooks.ts). */
  probe: ProbeHooks;
  /** Prometheus text of all workers summed. */
  metrics(): Promise<string>;
  contentType: string;
  close(): Promise<void>;
}

/** How the workers get their listening sockets: the launcher's descriptors (TURN_SHARD_FDS) or `reusePort`. */
export type ShardSockets = { kind: 'fds'; text: string } | { kind: 'reusePort' };

export async function startTurnShards(config: TurnServerConfig, sockets: ShardSockets, logger: Logger): Promise<RunningShards> {
  const family = config.listen.includes(':') ? 6 : 4;
  const unauthRate = config.unauthRate === 0 ? 0 : Math.max(1, Math.ceil(config.unauthRate / config.workers));
  const ledgerBuffer = SharedLedger.createBuffer({ total: config.totalQuota, perUser: config.userQuota, perSource: config.maxAllocationsPerIp });
  const nonceKey = randomBytes(32);
  const workers: Worker[] = [];
  const waiting = new Map<number, (m: object[]) => void>();
  let nextId = 0;
  let interceptor: ProbeInterceptor | null = null;

  const startWorker = (index: number, workerConfig: TurnServerConfig, workerSockets: ShardOptions['sockets']) => {
    const worker = startTsWorker(new URL('./turn-shard-worker.ts', import.meta.url), {
      index,
      config: index === 0 ? workerConfig : { ...workerConfig, tcp: false, tlsCert: null, tlsKey: null },
      sockets: workerSockets,
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
        else if (m.type === 'probe-packet') {
          const packet = asBuffer(m.packet);
          let claimed = false;
          try {
            claimed = interceptor !== null && interceptor(packet, m.from, m.via);
          } catch (err) {
            // As in a worker's socket handler (handler-guard.ts): the datagram is dropped, nothing else.
            logger.warn({ err, event: 'probe-interceptor-error' }, 'probe interceptor failed on a datagram');
            return;
          }
          if (!claimed) worker.postMessage({ type: 'probe-unclaimed', via: m.via, from: m.from, packet: m.packet } satisfies ShardRequest);
          return;
        }
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
  };

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
    if (sockets.kind === 'fds') {
      const { perWorker, ports } = parseShardFds(sockets.text, config.workers);
      // Every worker sees the ports the launcher bound (0 → ephemeral) and only the endpoints it made.
      const shared: TurnServerConfig = {
        ...config,
        port: ports[`${family}/primary`]!,
        altPort: config.altPort === null ? null : ports[`${family}/alt-port`]!,
        listenV6: ports['6/primary'] !== undefined && family === 4 ? config.listenV6 : null,
        unauthRate,
      };
      ready = await Promise.all(perWorker.map((fds, index) => startWorker(index, shared, { kind: 'fds', fds })));
    } else {
      // Worker 0 binds first (port 0 → the ephemeral ports it got); the others join those ports, and skip the
      // optional IPv6 listener if worker 0 could not bind it.
      const first = await startWorker(0, { ...config, unauthRate }, { kind: 'reusePort' });
      const shared: TurnServerConfig = { ...config, unauthRate, port: first.udpPort, altPort: first.altPort, listenV6: first.ipv6 ? config.listenV6 : null };
      const rest = await Promise.all(Array.from({ length: config.workers - 1 }, (_, i) => startWorker(i + 1, shared, { kind: 'reusePort' })));
      ready = [first, ...rest];
    }
  } catch (err) {
    await close();
    throw err;
  }
  const udpPort = ready[0]!.udpPort;

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

  const post = (w: Worker | undefined, m: ShardRequest) => {
    if (w && !closing) w.postMessage(m);
  };
  return {
    workers: workers.length,
    udpPort,
    altPort: ready[0]!.altPort,
    probe: {
      sendFrom(via, to, packet) {
        post(workers[0], { type: 'probe-send', via, to, packet: new Uint8Array(packet) });
      },
      setInterceptor(fn) {
        interceptor = fn;
        for (const w of workers) post(w, { type: 'probe-intercept', on: fn !== null });
      },
    },
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
