// `npm run turn`'s entry as an operator meets it: a bad setting is one line naming the variable (no stack trace,
// exit 2); the README's public-deployment step (TURN_ALT_IP with the default TURN_LISTEN) starts.
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { spawnTurnMain } from './testing/turn-main-process';

function runMain(env: Record<string, string>) {
  return spawnTurnMain({ TURN_SECRET: 'main-test', ...env });
}

describe('turn/main.ts', () => {
  it('refuses a bad setting with one line naming the variable and the fix, exit 2, no stack trace', async () => {
    const run = runMain({ TURN_RELAY_MIN_PORT: '60000', TURN_RELAY_MAX_PORT: '50000' });
    const [code] = await run.exited;
    expect(code).toBe(2);
    expect(run.stderr()).toBe('p2pcheck TURN: TURN_RELAY_MIN_PORT (60000) must be below TURN_RELAY_MAX_PORT (50000): set a range such as 49152 and 65535\n');
  }, 30_000);

  it('a metrics port in use: one line naming TURN_METRICS_PORT, exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, r));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const run = runMain({ TURN_METRICS_PORT: String(port) });
      const [code] = await run.exited;
      expect(code).toBe(1);
      expect(run.stderr()).toBe(`p2pcheck TURN: cannot serve /metrics on port ${port}: EADDRINUSE (set TURN_METRICS_PORT to a free port)\n`);
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('starts with TURN_ALT_IP and the default TURN_LISTEN (the specific addresses, not the wildcard, are bound)', async () => {
    const run = runMain({ TURN_ALT_IP: '127.0.0.2' });
    const deadline = Date.now() + 25_000;
    while (!run.lines.some((l) => l.event === 'metrics-listening') && run.child.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const listening = run.lines.find((l) => l.event === 'turn-listening');
    run.child.kill('SIGTERM');
    const [code] = await run.exited;
    expect(run.stderr()).not.toMatch(/EADDRINUSE/);
    expect(listening).toMatchObject({ listen: '127.0.0.1', altIp: '127.0.0.2' });
    expect(code).toBe(0);
  }, 30_000);
});
