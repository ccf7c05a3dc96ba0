// Test support (not a test): a real, throwaway Redis for tests and benchmarks — Debian's `redis-server` on a
// private port with no persistence (`--save '' --appendonly no`), optionally inside a network namespace (then bound
// to that namespace's address, protected mode off: it refuses non-loopback clients without a password, and this
// one is reachable only inside the test namespace). stop() kills it; restart() brings it back on the same port
// (empty: nothing was persisted). The one home for starting redis-server in this project.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './test-postgres';

export interface TestRedis {
  host: string;
  port: number;
  /** redis://host:port */
  url: string;
  /** Kills it (SIGKILL, as a crash would) and waits for the exit; idempotent. */
  stop(): Promise<void>;
  /** Stops it if running and starts a fresh one on the same host and port. */
  restart(): Promise<void>;
}

async function spawnRedis(ns: string | null, host: string, port: number): Promise<ChildProcess> {
  const cmd = ['redis-server', '--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', ...(ns ? ['--protected-mode', 'no'] : [])];
  const child = ns ? spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s: ${out}`)), 10_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += String(d);
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`redis-server could not be started (${err.message}): apt-get install redis-server`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited ${code}: ${out}`));
      });
    });
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw err;
  }
  child.stdout!.resume(); // keep draining its log so it never blocks on a full pipe
  return child;
}

/**
 * Starts redis-server on `host` (127.0.0.1) and `port` (a free one; inside a namespace the caller picks it, since a
 * free port cannot be probed from outside).
 */
export async function startTestRedis(opts: { ns?: string | null; host?: string; port?: number } = {}): Promise<TestRedis> {
  const ns = opts.ns ?? null;
  const host = opts.host ?? '127.0.0.1';
  if (ns && !opts.port) throw new Error('startTestRedis: give a port when running inside a namespace');
  const port = opts.port ?? (await freePort(host));
  let child: ChildProcess | null = await spawnRedis(ns, host, port);
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    c.kill('SIGKILL');
    await exited;
  };
  return {
    host,
    port,
    url: `redis://${host}:${port}`,
    stop,
    async restart() {
      await stop();
      child = await spawnRedis(ns, host, port);
    },
  };
}
