// Starts the two servers under test on loopback with equivalent settings: p2pcheck's TURN server (its standalone
// entry, own process) and coturn's turnserver (Debian package). Both: REST secret, realm p2pcheck, no TLS/DTLS,
// loopback peers allowed (bench only), no quotas or bandwidth caps, separate relay port ranges. With `cpu` set,
// the server runs under `taskset -c <cpu>` (all its threads on that one CPU; coturn keeps its default threads);
// p2pcheck runs `workers` worker threads (TURN_WORKERS; 1 when pinned).
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { stopChild } from '../e2e/support/stop-child';
import { bindingRequest } from '../turn/testing/client-messages';

export const BENCH_SECRET = 'bench-secret';

export interface ServerUnderTest {
  name: 'p2pcheck' | 'coturn';
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function answersBinding(port: number, timeoutMs: number): Promise<boolean> {
  const s = createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      s.send(bindingRequest(), port, '127.0.0.1');
      const got = await Promise.race([once(s, 'message').then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 200))]);
      if (got) return true;
    }
    return false;
  } finally {
    s.close();
  }
}

/** `[cmd, args]` prefixed with `taskset -c <cpu>` when pinned (taskset execs: the pid stays the server's). */
function pinned(cpu: number | null, cmd: string, args: string[]): [string, string[]] {
  return cpu === null ? [cmd, args] : ['taskset', ['-c', String(cpu), cmd, ...args]];
}

const stopper = (child: ChildProcess) => () => stopChild(child);

/** The process doing the work: with TURN_WORKERS > 1 `turn/main.ts` re-runs itself under the SO_REUSEPORT launcher,
 *  and the workers live in that child (the first process only waits for it). */
function workingPid(pid: number, workers: number): number {
  if (workers <= 1) return pid;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  if (children.length !== 1) throw new Error(`expected one launcher child of p2pcheck's process ${pid}, found ${children.length}`);
  return children[0]!;
}

export async function startP2pcheck(port: number, relay: [number, number], cpu: number | null, workers = 1, nodeFlags: string[] = []): Promise<ServerUnderTest> {
  // Same command line as `npm run turn` (a small young generation keeps idle allocations small in RSS).
  const child = spawn(...pinned(cpu, process.execPath, ['--max-semi-space-size=1', ...nodeFlags, '--import', 'tsx', 'turn/main.ts']), {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, TURN_SECRET: BENCH_SECRET, TURN_LISTEN: '127.0.0.1', TURN_LISTEN_V6: 'off', TURN_PORT: String(port),
      TURN_ALT_PORT: 'off', TURN_RELAY_MIN_PORT: String(relay[0]), TURN_RELAY_MAX_PORT: String(relay[1]),
      TURN_ALLOW_PEERS: '127.0.0.0/8', TURN_USER_QUOTA: '0', TURN_TOTAL_QUOTA: '0', TURN_MAX_ALLOCATIONS_PER_IP: '0', TURN_MAX_BPS: '0', TURN_UNAUTH_RATE: '0',
      TURN_METRICS_PORT: '0', TURN_PROBE_PORT: 'off', TURN_LOG_LEVEL: 'warn', TURN_WORKERS: String(workers),
    },
  });
  if (!(await answersBinding(port, 30_000))) {
    await stopper(child)();
    throw new Error('p2pcheck TURN server did not answer Binding within 30 s');
  }
  return { name: 'p2pcheck', port, pid: workingPid(child.pid!, workers), stop: stopper(child) };
}

export const COTURN = '/usr/bin/turnserver';

export async function startCoturn(port: number, relay: [number, number], cpu: number | null): Promise<ServerUnderTest> {
  if (!existsSync(COTURN)) throw new Error(`${COTURN} not found: apt install coturn`);
  const child = spawn(...pinned(cpu, COTURN, [
    '-n', '--listening-ip=127.0.0.1', `--listening-port=${port}`, '--relay-ip=127.0.0.1', `--min-port=${relay[0]}`, `--max-port=${relay[1]}`,
    '--use-auth-secret', `--static-auth-secret=${BENCH_SECRET}`, '--realm=p2pcheck', '--no-tls', '--no-dtls', '--allow-loopback-peers',
    '--no-cli', '--no-rfc5780', '--log-file=/dev/null', '--simple-log', '--no-stdout-log', '--total-quota=0', '--user-quota=0',
    `--pidfile=/tmp/p2pcheck-bench-coturn-${port}.pid`,
  ]), { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!(await answersBinding(port, 15_000))) {
    await stopper(child)();
    throw new Error('coturn did not answer Binding within 15 s');
  }
  return { name: 'coturn', port, pid: child.pid!, stop: stopper(child) };
}
