// `npm run turn`'s entry (turn/main.ts) as a child process for tests: ephemeral ports, one worker, IPv4 only, JSON
// log lines collected, stderr kept. The caller adds the secret and whatever the test is about.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const ROOT = new URL('../..', import.meta.url).pathname;

export function spawnTurnMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'turn/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, TURN_WORKERS: '1', TURN_LISTEN_V6: 'off', TURN_PORT: '0', TURN_ALT_PORT: '0', TURN_RELAY_MIN_PORT: '0',
      TURN_METRICS_PORT: '0', TURN_PROBE_PORT: '0', TURN_LOG_LEVEL: 'info', ...env,
    },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const lines: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    try {
      lines.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      /* not a log line */
    }
  });
  return { child, lines, stderr: () => stderr, exited: once(child, 'exit') as Promise<[number | null, string | null]> };
}
