// Rooms across nodes: two signaling nodes on one Redis (started here, inside the worker's test namespace when
// there is one), two browsers each loading the page from a different node, one room: they connect.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { startAppProcess, type AppProcess } from './support/app-process';
import { expect, test, withCallDefault } from './fixtures';

// Protected mode off: it refuses clients on a non-loopback address without a password; this one lives only in the
// worker's namespace.
async function startRedis(ns: string | null, host: string, port: number): Promise<ChildProcess> {
  const cmd = ['redis-server', '--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];
  const child = ns ? spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10000);
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
  });
  return child;
}

test('two browsers on different signaling nodes (one Redis) join one room and connect', async ({ browser, app }) => {
  const host = new URL(app.baseURL).hostname;
  const redisPort = 6390 + (test.info().workerIndex % 100);
  const redis = await startRedis(app.ns, host, redisPort);
  const nodes: AppProcess[] = [];
  try {
    for (const port of [8081, 8082]) {
      nodes.push(await startAppProcess({
        ns: app.ns ?? undefined,
        host,
        env: { PORT: app.ns ? String(port) : '0', TURN_ENABLED: 'false', REDIS_URL: `redis://${host}:${redisPort}`, DRAIN_TIMEOUT_S: '0' },
      }));
    }
    const roomId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    const pages = [];
    for (const node of nodes) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${node.baseURL}/r/${roomId}${withCallDefault('')}`);
      pages.push(page);
    }
    for (const page of pages) await expect(page.getByTestId('peer-state')).toContainText(/connected/i, { timeout: 20000 });
    // Each node holds one of the sockets: the room really spans both.
    for (const page of pages) {
      const status = await page.evaluate(async () => ((await (await fetch('/api/status')).json()) as { signaling: { sockets: number } }).signaling);
      expect(status.sockets).toBe(1);
    }
    for (const page of pages) await page.context().close();
  } finally {
    for (const node of nodes) await node.stop();
    const exited = once(redis, 'exit');
    redis.kill('SIGKILL');
    await exited;
  }
});
