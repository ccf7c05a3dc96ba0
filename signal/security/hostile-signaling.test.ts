// The signaling relay and HTTP server attacked over real sockets, one test per class of attack; after each one a
// different client still gets the page, a room and a TURN allocation (service-probe.ts). One app for the file,
// on loopback with ephemeral ports; TRUST_PROXY=loopback lets X-Forwarded-For play distinct client addresses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../../common/messages';
import { startApp, type RunningApp } from '../app';
import { clientFrame, rawHttp, rawWebSocket, WS_OPCODE } from './raw-clients';
import { expectServiceWorks, httpGet, serviceTargetOf, type ServiceTarget } from './service-probe';

const METRICS_TOKEN = 'test-metrics-token-0123456789';
const WS_PER_CLIENT = 4;
const ICE_BURST = 5;
let app: RunningApp;
let target: ServiceTarget;
let staticDir: string;
let nextSource = 1;
/** A fresh client address for each probe or attacker (TEST-NET-2, through the trusted loopback proxy). */
const source = () => ({ headers: { 'x-forwarded-for': `198.51.100.${nextSource++}` } });

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'p2pcheck-hostile-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>p2pcheck</title>');
  app = await startApp(
    {
      HOST: '127.0.0.1', PORT: '0', STATIC_DIR: staticDir, LOG_LEVEL: 'silent',
      TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: '0', TURN_LISTEN_V6: 'off', TURN_TCP: 'off', TURN_SECRET: 'hostile-test-secret',
      TRUST_PROXY: 'loopback', METRICS_TOKEN, ALLOWED_ORIGINS: 'https://p2p.example.org',
      HEARTBEAT_MS: '300', WS_MAX_PER_CLIENT: String(WS_PER_CLIENT), WS_MAX_BUFFERED_KB: '256',
      ICE_CREDENTIALS_PER_MINUTE: '1', ICE_CREDENTIALS_BURST: String(ICE_BURST),
    },
    [(req, res, url) => {
      if (url.pathname !== '/api/test-throws') return false;
      throw new Error('a route failed');
    }],
  );
  target = serviceTargetOf(app);
});

afterAll(async () => {
  await app?.close();
  if (staticDir) rmSync(staticDir, { recursive: true, force: true });
});

const metrics = async () => (await httpGet(target, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body;
const metricValue = (text: string, name: string, label: string) => Number(new RegExp(`^${name}\\{${label}\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);

function expectSecurityHeaders(headers: Record<string, string | string[] | undefined>): void {
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

/** A signaling client with a queue; `next` waits (bounded) for the next message. */
async function wsClient(opts: { headers?: Record<string, string>; origin?: string } = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${app.httpPort}/ws`, { headers: opts.headers ?? source().headers, origin: opts.origin });
  const inbox: ServerMessage[] = [];
  let wake: (() => void) | null = null;
  ws.on('message', (d) => {
    inbox.push(JSON.parse(String(d)) as ServerMessage);
    wake?.();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    send: (msg: unknown) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    async next(timeoutMs = 3000): Promise<ServerMessage> {
      const deadline = Date.now() + timeoutMs;
      while (inbox.length === 0) {
        if (Date.now() > deadline) throw new Error('no message in time');
        await new Promise<void>((r) => {
          const t = setTimeout(r, deadline - Date.now());
          wake = () => (clearTimeout(t), r());
        });
      }
      return inbox.shift()!;
    },
  };
}

async function roomOfTwo() {
  const roomId = `hostile-${nextSource++}-room-abcdefghijkl`;
  const a = await wsClient();
  a.send({ type: 'join', roomId });
  expect(await a.next()).toMatchObject({ type: 'joined' });
  const b = await wsClient();
  b.send({ type: 'join', roomId });
  expect(await b.next()).toMatchObject({ type: 'joined' });
  expect(await a.next()).toMatchObject({ type: 'peer-joined' });
  return { a, b, close: () => (a.ws.terminate(), b.ws.terminate()) };
}

const HANDSHAKE = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

describe('hostile input against the signaling relay and HTTP server', () => {
  it('crafted HTTP and upgrade requests get an answer with our headers, and the process goes on', async () => {
    const port = app.httpPort;
    const cases: [name: string, request: string, status: number][] = [
      ['an upgrade whose target new URL() cannot parse', `GET //[ HTTP/1.1\r\nHost: x\r\n${HANDSHAKE}\r\n`, 400],
      ['a plain request with that target', 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
      ['an upgrade elsewhere than /ws', `GET /api/config HTTP/1.1\r\nHost: x\r\n${HANDSHAKE}\r\n`, 404],
      ['a /ws upgrade without a key', 'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n', 400],
      ['a /ws upgrade with POST', `POST /ws HTTP/1.1\r\nHost: x\r\n${HANDSHAKE}\r\n`, 400],
      ['bytes that are not HTTP', 'HELLO THERE\r\n\r\n', 400],
      ['a header larger than Node reads', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ['an unknown API', 'GET /api/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404],
      ['a POST to a read-only API', 'POST /api/ice-servers HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 405],
      ['a route that throws', 'GET /api/test-throws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 500],
    ];
    for (const [name, request, status] of cases) {
      const res = await rawHttp(port, request);
      expect(res.status, name).toBe(status);
      expectSecurityHeaders(res.headers);
      expect(JSON.parse(res.body), name).toMatchObject({ code: expect.any(String), error: expect.any(String) });
    }
    const m = await metrics();
    expect(metricValue(m, 'p2pcheck_handler_errors_total', 'where="http"')).toBe(1);
    expect(metricValue(m, 'p2pcheck_refusals_total', 'reason="bad-request"')).toBeGreaterThanOrEqual(3);
    await expectServiceWorks(target, source());
  });

  it('a nested, oversized or unknown peer-info is refused with an error and not relayed', async () => {
    const { a, b, close } = await roomOfTwo();
    try {
      // Built as text: JSON.stringify itself overflows the stack on such values, which is what the relay did.
      const nested = (levels: number) => `{"type":"peer-info","info":{"relayOnly":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}`;
      const refused: [unknown, string][] = [
        [nested(2500), 'too-deep'],
        [nested(10_000), 'too-deep'],
        ['['.repeat(30_000) + ']'.repeat(30_000), 'too-deep'],
        [{ type: 'peer-info', info: { relayOnly: true, pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }, 'too-large'],
        [{ type: 'peer-info', info: { anything: { you: 'like' } } }, 'malformed'],
        [{ type: 'peer-info', info: { selectedPair: { local: { type: 'relay', protocol: 'udp', extra: 1 }, relayOnly: false } } }, 'malformed'],
        [{ type: 'peer-info', info: { diagnosis: { version: 1, hostAddresses: new Array(1000).fill('10.0.0.1') } } }, 'malformed'],
      ];
      for (const [msg, code] of refused) {
        a.send(msg);
        expect(await a.next()).toMatchObject({ type: 'error', code });
      }
      // The first thing b hears is the good message sent after all the bad ones: none of those was relayed.
      a.send({ type: 'peer-info', info: { relayOnly: false } });
      expect(await b.next()).toEqual({ type: 'peer-info', from: expect.any(String), info: { relayOnly: false } });
    } finally {
      close();
    }
    await expectServiceWorks(target, source());
  });

  it('a peer that reads nothing (but answers pings) is dropped once its send buffer passes the bound', async () => {
    const roomId = 'hostile-slow-reader-room-abcdef';
    const slow = await rawWebSocket(app.httpPort, source().headers);
    slow.write(clientFrame(WS_OPCODE.text, JSON.stringify({ type: 'join', roomId })));
    // Answers the heartbeat blindly (an unsolicited pong counts), without reading a byte.
    const ponger = setInterval(() => slow.write(clientFrame(WS_OPCODE.pong, '')), 50);
    const sender = await wsClient();
    try {
      sender.send({ type: 'join', roomId });
      expect(await sender.next()).toMatchObject({ type: 'joined', peers: [expect.any(String)] });
      const sdp = `v=0\r\n${'a=x'.repeat(20_000)}`; // ~60 KB per message
      let peerLeft = false;
      const deadline = Date.now() + 10_000;
      // Send until the server gives up on the slow peer (bounded by time and count).
      for (let i = 0; i < 400 && !peerLeft && Date.now() < deadline; i++) {
        sender.send({ type: 'description', description: { type: 'offer', sdp } });
        await new Promise((r) => setTimeout(r, 10));
        for (;;) {
          const m = await sender.next(1).catch(() => null);
          if (!m) break;
          if (m.type === 'peer-left') peerLeft = true;
        }
      }
      expect(peerLeft).toBe(true);
      expect(metricValue(await metrics(), 'p2pcheck_refusals_total', 'reason="ws-send-buffer"')).toBeGreaterThanOrEqual(1);
    } finally {
      clearInterval(ponger);
      slow.destroy();
      sender.ws.terminate();
    }
    await expectServiceWorks(target, source());
  });

  it('a credential flood from one source gets 429 with Retry-After while another source still gets credentials', async () => {
    const attacker = source();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof httpGet>> | null = null;
    for (let i = 0; i < 30; i++) {
      const res = await httpGet(target, '/api/ice-servers', attacker);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(ICE_BURST);
    expect(limited).not.toBeNull();
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expectSecurityHeaders(limited!.headers);
    expect(JSON.parse(limited!.body)).toEqual({ code: 'rate-limited', error: expect.stringMatching(/try again/), retryAfter: Number(limited!.headers['retry-after']) });
    await expectServiceWorks(target, source());
  });

  it('a connection flood from one source is capped; the page learns why; other sources still connect', async () => {
    const attacker = source();
    const held = await Promise.all(Array.from({ length: WS_PER_CLIENT }, () => wsClient({ headers: attacker.headers })));
    try {
      // One over the cap: accepted just to say why, then closed with 1013.
      const over = await wsClient({ headers: attacker.headers });
      const closed = new Promise<number>((r) => over.ws.once('close', (code) => r(code)));
      expect(await over.next()).toMatchObject({ type: 'error', code: 'too-many-connections' });
      expect(await closed).toBe(1013);
      // A burst far over the cap: every extra socket is refused — told why (then closed), or 429 on the upgrade once
      // as many refusals are still closing as the cap.
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(`ws://127.0.0.1:${app.httpPort}/ws`, { headers: attacker.headers });
            ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
            ws.on('message', (d) => resolve(String(d).includes('"too-many-connections"') ? 'told' : `message ${String(d)}`));
            ws.on('close', (code) => resolve(`close ${code}`));
            ws.on('error', () => {});
          }),
        ),
      );
      expect(outcomes.every((o) => o === 'http 429' || o === 'told'), outcomes.join(',')).toBe(true);
      const status = JSON.parse((await httpGet(target, '/api/status', source())).body) as { signaling: { sockets: number } };
      expect(status.signaling.sockets).toBeLessThanOrEqual(WS_PER_CLIENT);
      await expectServiceWorks(target, source());
    } finally {
      for (const c of held) c.ws.terminate();
    }
    // The slots come back once the attacker's sockets close: a ping is answered instead of a refusal.
    await expect
      .poll(
        async () => {
          const c = await wsClient({ headers: attacker.headers });
          c.send({ type: 'ping', ts: 7 });
          const m = await c.next();
          c.ws.terminate();
          return m.type;
        },
        { timeout: 3000, interval: 100 },
      )
      .toBe('pong');
  });

  it('/ws accepts its own origin, listed origins and non-browsers, and refuses other pages with 403', async () => {
    const own = `http://127.0.0.1:${app.httpPort}`;
    for (const origin of [own, 'https://p2p.example.org', undefined]) {
      const c = await wsClient({ origin });
      c.ws.close();
    }
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${app.httpPort + 1}`, 'https://p2p.example.org.evil.example']) {
      const refused = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${app.httpPort}/ws`, { origin });
        ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        ws.on('open', () => reject(new Error(`a page of ${origin} was let in`)));
        ws.on('error', () => {});
      });
      expect(refused.status, origin).toBe(403);
      expectSecurityHeaders(refused.headers);
    }
    await expectServiceWorks(target, source());
  });

  it('/metrics needs the bearer token', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: METRICS_TOKEN }];
    for (const headers of attempts) {
      const res = await httpGet(target, '/metrics', { headers });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expectSecurityHeaders(res.headers);
      expect(res.body).not.toMatch(/p2pcheck_/);
    }
    expect(await metrics()).toMatch(/^p2pcheck_refusals_total\{reason="metrics-token"\} 3$/m);
    await expectServiceWorks(target, source());
  });
});
