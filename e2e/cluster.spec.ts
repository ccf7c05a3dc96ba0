// Rooms across nodes as people see them (issue 14): Redis, two signaling nodes and a small load balancer of our own
// (e2e/support/test-load-balancer.ts: /readyz health checks as a real one does, least connections for WebSockets),
// all in the worker's test namespace, and a PostgreSQL whose unix socket every node uses (the namespace does not
// matter to a unix socket). One of each for the whole file; the tests run in order and share them and the browser.
// Nodes run with REDIS_PRESENCE_TTL_MS=3000: a dead node is noticed within 3 s, and a node whose event loop stalls
// on a busy CI machine is not taken for dead.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { freePort, startTestPostgres, type TestPostgres } from '../signal/reports/test-postgres';
import { startTestRedis, type TestRedis } from '../signal/reports/test-redis';
import { startAppProcess, type AppProcess } from './support/app-process';
import { expect, readReport, test, withCallDefault } from './fixtures';

test.describe.configure({ mode: 'serial' });

const TTL_MS = 3000;
let redis: TestRedis | null = null;
let postgres: TestPostgres | null = null;
let lb: { child: ChildProcess; baseURL: string } | null = null;
let ns: string | null = null;
let host = '127.0.0.1';
let databaseUrl = '';
const ports: number[] = [];
const nodes: (AppProcess | null)[] = [null, null];
const contexts: BrowserContext[] = [];
let currentBrowser: Browser | null = null;
let nodeAKilled = false;

async function startNode(i: number): Promise<AppProcess> {
  const node = await startAppProcess({
    ns: ns ?? undefined,
    host,
    startTimeoutMs: 60_000, // tsx compiles the server at each start: slow when the two cores are busy
    env: {
      PORT: String(ports[i]), TURN_ENABLED: 'false', REDIS_URL: redis!.url, REDIS_PRESENCE_TTL_MS: String(TTL_MS),
      DATABASE_URL: databaseUrl, DRAIN_TIMEOUT_S: '120', // the drained node's running test must end first
    },
  });
  nodes[i] = node;
  return node;
}

async function startLoadBalancer(port: number, backends: string[]): Promise<{ child: ChildProcess; baseURL: string }> {
  const cmd = [process.execPath, '--import', 'tsx', 'e2e/support/test-load-balancer.ts', ns ? '0.0.0.0' : host, String(port), ...backends];
  const child = ns ? spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: ['ignore', 'pipe', 'inherit'] }) : spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`load balancer did not start within 15 s: ${out}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes('lb listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`load balancer exited ${code}: ${out}`)));
  });
  return { child, baseURL: `http://${host}:${port}` };
}

/** A page in a context of its own (the worker's browser); contexts left open are closed after the file. */
async function newPage(url: string): Promise<Page> {
  const context = await currentBrowser!.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const newRoomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');

/** What the load balancer sees, read from inside the namespace through a page on the balancer's origin. */
async function lbStatus(page: Page): Promise<{ ready: boolean; sockets: number }[]> {
  const body = await page.evaluate(async () => (await fetch('/__lb/status')).json());
  return (body as { backends: { ready: boolean; sockets: number }[] }).backends.map(({ ready, sockets }) => ({ ready, sockets }));
}

test.beforeAll(async ({ app, browser }, workerInfo) => {
  test.setTimeout(150_000);
  currentBrowser = browser;
  ns = app.ns;
  host = new URL(app.baseURL).hostname;
  postgres = await startTestPostgres();
  await postgres.createDatabase('cluster');
  // Local connections (the unix socket) need no password in the test server.
  databaseUrl = postgres.socketUrlFor('cluster');
  redis = ns ? await startTestRedis({ ns, host, port: 6390 + (workerInfo.workerIndex % 100) }) : await startTestRedis();
  ports.push(...(ns ? [8081, 8082, 8090] : [await freePort(), await freePort(), await freePort()]));
  await Promise.all([startNode(0), startNode(1)]);
  lb = await startLoadBalancer(ports[2]!, nodes.map((n) => n!.baseURL));
});

test.afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  for (const n of nodes) await n?.stop();
  if (lb) {
    const exited = once(lb.child, 'exit');
    lb.child.kill('SIGTERM');
    await exited;
  }
  await redis?.stop();
  await postgres?.stop();
});

// Timeouts are generous for a busy CI machine (two cores); on a quiet one the whole file takes about a minute.
test("two pages on different nodes connect; the room's home node is killed: both rejoin through the other node and the same test completes", async () => {
  test.setTimeout(180_000);
  const roomId = newRoomId();
  const a = await newPage(`${lb!.baseURL}/r/${roomId}${withCallDefault('')}`);
  // The first page's socket is on a node before the second page comes: least connections puts them apart.
  await expect.poll(async () => (await lbStatus(a)).map((b) => b.sockets), { timeout: 15_000 }).toEqual([1, 0]);
  const b = await newPage(`${lb!.baseURL}/r/${roomId}${withCallDefault('')}`);
  for (const page of [a, b]) await expect(page.getByTestId('peer-state')).toHaveText('connected', { timeout: 60_000 });
  // The room spans both nodes; its home is node A, where the first join came in.
  expect(await lbStatus(b)).toEqual([{ ready: true, sockets: 1 }, { ready: true, sockets: 1 }]);
  const started = [(await readReport(a)).startedAt, (await readReport(b)).startedAt];

  expect(await nodes[0]!.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
  nodeAKilled = true;
  // Both pages' signaling ends up on node B (A's page reconnects through the balancer; B takes the room over and
  // asks its own page to rejoin there)...
  await expect.poll(async () => lbStatus(b), { timeout: 30_000 }).toEqual([{ ready: false, sockets: 0 }, { ready: true, sockets: 2 }]);
  for (const page of [a, b]) {
    await expect(page.getByTestId('signaling-reconnecting')).toHaveCount(0, { timeout: 15_000 });
    await expect(page.getByTestId('fatal')).toHaveCount(0);
  }
  // ...and the test that was running goes on to the end: measured, saved, still the same test on both sides.
  for (const [i, page] of [a, b].entries()) {
    await expect(page.getByTestId('permalink')).toHaveValue(/\/report\/[A-Za-z0-9_-]{24}$/, { timeout: 60_000 });
    const report = await readReport(page);
    expect(report.startedAt).toBe(started[i]);
    expect(report.quality?.status).toBe('done');
    await expect(page.getByTestId('peer-state')).toHaveText('connected');
  }
  for (const page of [a, b]) await page.context().close();
});

test('a node drained with SIGTERM: its running test finishes and its saved report opens through the other node; a new room goes to the other node', async () => {
  test.setTimeout(240_000);
  const nodeA = nodeAKilled ? await startNode(0) : nodes[0]!; // A again, on its old address
  const roomId = newRoomId();
  // This test's pair loads the page from each node directly, so the report of page `a` is saved through node A.
  const a = await newPage(`${nodeA.baseURL}/r/${roomId}${withCallDefault('')}`);
  const b = await newPage(`${nodes[1]!.baseURL}/r/${roomId}${withCallDefault('')}`);
  for (const page of [a, b]) await expect(page.getByTestId('peer-state')).toHaveText('connected', { timeout: 60_000 });

  const exited = nodeA.kill('SIGTERM');
  // A new room after the drain began: the balancer's health check has taken A out, the page lands on B, no error.
  const ops = await newPage(`${lb!.baseURL}/__lb/status`);
  await expect.poll(async () => (await lbStatus(ops))[0]!.ready, { timeout: 10_000 }).toBe(false);
  const late = await newPage(`${lb!.baseURL}/r/${newRoomId()}${withCallDefault('')}`);
  await expect.poll(async () => lbStatus(ops), { timeout: 15_000 }).toEqual([{ ready: false, sockets: 0 }, { ready: true, sockets: 1 }]);
  await expect(late.getByTestId('errors')).toHaveCount(0);
  await expect(late.getByTestId('signaling-reconnecting')).toHaveCount(0);

  // The running test finishes on the draining node and is saved through it...
  await expect(a.getByTestId('permalink')).toHaveValue(/\/report\/[A-Za-z0-9_-]{24}$/, { timeout: 60_000 });
  const saved = await readReport(a);
  // Finished: measured, or partial with the reason it shows (two busy cores can starve a measurement phase; the
  // drain must not be why — the first test requires 'done').
  expect(['done', 'partial']).toContain(saved.quality?.status);
  if (saved.quality?.status === 'partial') {
    expect(saved.quality.reason).toBeTruthy();
    // Cause still open (docs/deployment.md): say which phase stopped and why, so the next occurrence names it.
    const q = saved.quality;
    const note = { reason: q.reason, measured: { upload: q.upload !== null, download: q.download !== null, stream: q.streamIn !== null }, startedAt: q.startedAt, finishedAt: q.finishedAt, balancer: await lbStatus(ops).catch(() => null) };
    test.info().annotations.push({ type: 'drain test partial', description: JSON.stringify(note) });
    console.warn('[cluster drain] the running test ended partial:', JSON.stringify(note));
  }
  // ...and its permalink opens through node B (one PostgreSQL behind both).
  const id = (await a.getByTestId('permalink').inputValue()).split('/').pop()!;
  const viewer = await late.context().newPage();
  await viewer.goto(`${nodes[1]!.baseURL}/report/${id}`);
  await expect(viewer.getByTestId('saved-report')).toBeVisible();
  await expect(viewer.getByTestId('link-verdict')).toHaveText(saved.quality!.verdict!.label);

  // The drained node exits cleanly once its room has ended (both pages leave).
  for (const page of [a, b]) await page.context().close();
  expect(await exited).toEqual({ code: 0, signal: null });
});
