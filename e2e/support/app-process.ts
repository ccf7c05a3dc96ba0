// Starts p2pcheck (`signal/main.ts`) as a child process, inside a test namespace when one is given,
// and stops it again. Readiness = the "p2pcheck is running" line the server prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from './stop-child';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AppProcess {
  baseURL: string;
  output: () => string;
  /** Sends a signal (SIGKILL: a crash, SIGTERM: a drain) and resolves with how the process exited. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export async function startAppProcess(opts: { ns?: string; host: string; env?: Record<string, string>; startTimeoutMs?: number }): Promise<AppProcess> {
  // Saved reports go to a throw-away folder, never into the checkout's ./data.
  const dataDir = mkdtempSync(join(tmpdir(), 'p2pcheck-e2e-data-'));
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    HOST: opts.ns ? '0.0.0.0' : '127.0.0.1',
    PORT: opts.ns ? '8080' : '0',
    TURN_LISTEN: opts.ns ? '0.0.0.0' : '127.0.0.1',
    TURN_PORT: opts.ns ? '3478' : '0',
    TURN_ALT_PORT: opts.ns ? '3479' : '0',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const cmd = [process.execPath, '--import', 'tsx', 'signal/main.ts'];
  const child: ChildProcess = opts.ns
    ? spawn('ip', ['netns', 'exec', opts.ns, ...cmd], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    const startTimeoutMs = opts.startTimeoutMs ?? 20000;
    const timer = setTimeout(() => reject(new Error(`p2pcheck did not start within ${startTimeoutMs / 1000} s:\n${output}`)), startTimeoutMs);
    const check = () => {
      const m = /open http:\/\/[^:]+:(\d+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`p2pcheck exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    baseURL: `http://${opts.host}:${port}`,
    output: () => output,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        rmSync(dataDir, { recursive: true, force: true });
        return;
      }
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
