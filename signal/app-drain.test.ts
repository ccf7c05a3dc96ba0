// Node operations over real sockets: /healthz, /readyz with registered dependency checks, and the SIGTERM drain
// (not ready at once, no new rooms, running rooms go on until they end or DRAIN_TIMEOUT_S passes, then close).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { startApp, type RunningApp } from './app';
import { connectInbox } from './ws/test-inbox-client';

const ROOM = 'drainroomdrainroom0001';
const NEW_ROOM = 'drainroomdrainroom0002';
let apps: RunningApp[] = [];
let sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets) ws.terminate();
  for (const app of apps) await app.close();
  apps = [];
  sockets = [];
});

async function start(env: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
  const staticDir = mkdtempSync(join(tmpdir(), 'p2pcheck-drain-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>p2pcheck</title>');
  const app = await startApp({ HOST: '127.0.0.1', PORT: '0', STATIC_DIR: staticDir, LOG_LEVEL: 'silent', TURN_ENABLED: 'false', ...env });
  apps.push(app);
  return app;
}

async function get(app: RunningApp, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${app.httpPort}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const connect = (app: RunningApp) => connectInbox(app.httpPort, { track: sockets });

async function roomOfTwo(app: RunningApp) {
  const a = await connect(app);
  a.send({ type: 'join', roomId: ROOM });
  expect(await a.next()).toMatchObject({ type: 'joined' });
  const b = await connect(app);
  b.send({ type: 'join', roomId: ROOM });
  expect(await b.next()).toMatchObject({ type: 'joined' });
  expect(await a.next()).toMatchObject({ type: 'peer-joined' });
  return { a, b };
}

describe('health and readiness', () => {
  it('/healthz says alive; /readyz is 200 while every registered check passes and 503 naming the one that fails', async () => {
    const app = await start();
    expect(await get(app, '/healthz')).toEqual({ status: 200, body: { ok: true } });
    let redisUp = true;
    app.readiness.add('redis', async () => {
      if (!redisUp) throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
    });
    expect(await get(app, '/readyz')).toEqual({ status: 200, body: { ready: true, draining: false, checks: { redis: 'ok' } } });
    redisUp = false;
    expect(await get(app, '/readyz')).toEqual({ status: 503, body: { ready: false, draining: false, checks: { redis: 'connect ECONNREFUSED 127.0.0.1:6390' } } });
    expect((await get(app, '/healthz')).status).toBe(200);
    expect(() => app.readiness.add('redis', async () => {})).toThrow(/already registered/);
  });
});

describe('SIGTERM drain', () => {
  it('is not ready at once, refuses new rooms with draining + 1012, lets the running room go on, and closes when it ends', async () => {
    const app = await start({ DRAIN_TIMEOUT_S: '60' });
    const { a, b } = await roomOfTwo(app);
    let drained = false;
    const draining = app.drain().then(() => {
      drained = true;
    });
    expect(await get(app, '/readyz')).toMatchObject({ status: 503, body: { ready: false, draining: true } });
    expect((await get(app, '/healthz')).status).toBe(200);

    const late = await connect(app);
    late.send({ type: 'join', roomId: NEW_ROOM });
    expect(await late.next()).toMatchObject({ type: 'error', code: 'draining' });
    expect(await late.closed).toEqual({ code: 1012, reason: 'draining' });

    // The running room still relays both ways.
    b.send({ type: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(await a.next()).toMatchObject({ type: 'description', from: expect.any(String) });
    a.send({ type: 'description', description: { type: 'answer', sdp: 'v=0\r\n' } });
    expect(await b.next()).toMatchObject({ type: 'description' });
    expect(drained).toBe(false);

    a.send({ type: 'leave' });
    b.send({ type: 'leave' });
    await draining; // well before the 60 s timeout (the test's own timeout is far shorter)
    expect(drained).toBe(true);
    await expect(fetch(`http://127.0.0.1:${app.httpPort}/healthz`)).rejects.toThrow();
  });

  it('closes the node with its rooms still running once DRAIN_TIMEOUT_S has passed', async () => {
    const app = await start({ DRAIN_TIMEOUT_S: '1' });
    const { a, b } = await roomOfTwo(app);
    const startedAt = Date.now();
    await app.drain();
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect((await a.closed).code).toBe(1006);
    expect((await b.closed).code).toBe(1006);
  });
});
