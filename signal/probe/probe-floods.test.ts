// The probe peer attacked over real sockets (HTTP + the TURN server's UDP sockets on loopback): a session flood
// from one client address, a flood of signed checks from one source, offers with odd Host headers. After each
// attack another client still completes a NAT check's probe session, and the service still serves a page, a room
// and a TURN allocation (signal/security/service-probe.ts). Two clients are two loopback source addresses (only
// 127.0.0.1 is a trusted proxy, whose X-Forwarded-For names the client).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app';
import { requestJson, type JsonAnswer } from '../security/raw-clients';
import { expectServiceWorks, serviceTargetOf, type ServiceTarget } from '../security/service-probe';
import { BROWSER_OFFER, fakeBrowserAgent, probeCredentials } from './fake-browser-agent';
import { createProbeFeature, type ProbeFeature } from './probe-feature';
import { DEFAULT_PROBE_LIMITS } from './probe-registry';

const ATTACKER = '127.0.0.2';
const VICTIM = '127.0.0.3';

let app: RunningApp;
let probe: ProbeFeature;
let target: ServiceTarget;
let staticDir: string;
const resolved: string[] = [];

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'p2pcheck-probe-floods-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>p2pcheck</title>');
  // Default limits, as a deployment runs them; a resolver spy proves no name is ever looked up.
  probe = createProbeFeature({ resolve: async (name) => (resolved.push(name), '192.0.2.1') });
  const env = {
    HOST: '127.0.0.1', PORT: '0', STATIC_DIR: staticDir, LOG_LEVEL: 'silent', TRUST_PROXY: '127.0.0.1',
    TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: '0', TURN_LISTEN_V6: 'off', TURN_TCP: 'off', TURN_SECRET: 'probe-floods-secret',
  };
  app = await startApp(env, [probe.route]);
  probe.attach(app, env);
  target = serviceTargetOf(app);
});

afterAll(async () => {
  probe?.detach();
  await app?.close();
  if (staticDir) rmSync(staticDir, { recursive: true, force: true });
});

/** A POST from a chosen loopback source address (and Host header), over a fresh connection. */
function post(path: string, body: unknown, opts: { from: string; host?: string; forwardedFor?: string }): Promise<JsonAnswer> {
  return requestJson(app.httpPort, path, {
    body: JSON.stringify(body),
    localAddress: opts.from,
    headers: { 'content-type': 'application/json', ...(opts.host ? { host: opts.host } : {}), ...(opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {}) },
  });
}

const status = async () => (await (await fetch(`http://127.0.0.1:${app.httpPort}/api/probe/status`)).json()) as { sessions: number; handled: number; limited?: number };

/** A complete probe session as the page runs it: offer, the browser's check, the filtering run, close. */
async function completeNatCheck(from: string): Promise<void> {
  const offer = await post('/api/probe/offer', { sdp: BROWSER_OFFER }, { from });
  expect(offer.status, JSON.stringify(offer.json)).toBe(200);
  const id = offer.json.id as string;
  const creds = probeCredentials((offer.json.answer as { sdp: string }).sdp);
  const browser = await fakeBrowserAgent(from);
  try {
    expect(await browser.check(creds, app.turn!.udpPort)).toBe(true);
    const run = await post(`/api/probe/${id}/run`, { srflx: null }, { from });
    expect(run.status, JSON.stringify(run.json)).toBe(200);
    expect((run.json.checks as { answered: boolean }[]).map((c) => c.answered)).toEqual([true, true]);
    expect((run.json.target as { address: string }).address).toBe(from);
  } finally {
    browser.close();
    await fetch(`http://127.0.0.1:${app.httpPort}/api/probe/${id}`, { method: 'DELETE' });
  }
}

describe('probe peer under attack', () => {
  it('a session flood from one address gets 429 after its share; another client still completes a NAT check', async () => {
    const perClient = DEFAULT_PROBE_LIMITS.maxPerClient;
    const flood = DEFAULT_PROBE_LIMITS.maxSessions + 20; // more than the global cap: before the per-client cap it took all
    const statuses: number[] = [];
    let refusal: { status: number; headers: Record<string, unknown>; json: Record<string, unknown> } | null = null;
    for (let i = 0; i < flood; i++) {
      const res = await post('/api/probe/offer', { sdp: BROWSER_OFFER }, { from: ATTACKER });
      statuses.push(res.status);
      if (res.status !== 200) refusal ??= res;
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(perClient);
    expect(statuses.filter((s) => s === 429)).toHaveLength(flood - perClient);
    expect(refusal!.json.code).toBe('too-many-probes');
    expect(refusal!.json.error).toMatch(/this address already has \d+ network checks running/);
    expect(Number(refusal!.headers['retry-after'])).toBeGreaterThan(0);
    expect((await status()).sessions).toBe(perClient);

    await completeNatCheck(VICTIM);
    await expectServiceWorks(target, { localAddress: VICTIM });
  }, 60_000);

  it('signed checks from one source are answered at most PROBE_CHECKS_PER_SECOND (bursts of twice that); another source still is', async () => {
    const offer = await post('/api/probe/offer', { sdp: BROWSER_OFFER }, { from: '127.0.0.4' });
    expect(offer.status).toBe(200);
    const creds = probeCredentials((offer.json.answer as { sdp: string }).sdp);
    const attacker = await fakeBrowserAgent('127.0.0.4');
    const before = await status();
    const started = performance.now();
    const sent = 1000;
    const seen = (now: Awaited<ReturnType<typeof status>>) => now.handled + (now.limited ?? 0) - before.handled - (before.limited ?? 0);
    let now = before;
    try {
      // In batches the loopback socket buffers can hold, each waited for (bounded) until the probe has seen it.
      for (let batch = 0; batch < sent / 100; batch++) {
        for (let i = 0; i < 100; i++) attacker.sendCheck(creds, app.turn!.udpPort, batch * 100 + i);
        const deadline = Date.now() + 2000;
        do {
          await new Promise((r) => setTimeout(r, 10));
          now = await status();
        } while (seen(now) < (batch + 1) * 100 && Date.now() < deadline);
      }
      expect(seen(now)).toBe(sent);
      const elapsedS = (performance.now() - started) / 1000;
      const rate = DEFAULT_PROBE_LIMITS.checksPerSecond;
      const allowed = 2 * rate + Math.ceil(rate * elapsedS) + 1;
      const handled = now.handled - before.handled;
      expect(handled).toBeGreaterThan(0);
      expect(handled).toBeLessThanOrEqual(allowed);
      expect((now.limited ?? 0) - (before.limited ?? 0)).toBe(sent - handled);
      expect(attacker.answered()).toBeLessThanOrEqual(handled);
    } finally {
      attacker.close();
      await fetch(`http://127.0.0.1:${app.httpPort}/api/probe/${offer.json.id as string}`, { method: 'DELETE' });
    }
    await completeNatCheck(VICTIM);
    await expectServiceWorks(target, { localAddress: VICTIM });
  }, 60_000);

  it('the answer never depends on the Host header, and no name is ever resolved', async () => {
    const candidates = new Set<string>();
    for (const host of ['localhost', `127.0.0.2:${app.httpPort}`, 'internal-only.invalid', '[::1]:80', 'x'.repeat(300)]) {
      const res = await post('/api/probe/offer', { sdp: BROWSER_OFFER }, { from: '127.0.0.5', host });
      expect(res.status, host).toBe(200);
      const sdp = (res.json.answer as { sdp: string }).sdp;
      candidates.add(/a=candidate:\S+ 1 udp \d+ (\S+) \d+ typ host/.exec(sdp)![1]!);
      await fetch(`http://127.0.0.1:${app.httpPort}/api/probe/${res.json.id as string}`, { method: 'DELETE' });
    }
    expect([...candidates]).toEqual(['127.0.0.1']); // TURN_LISTEN: where the STUN socket really is
    expect(resolved).toEqual([]);
    await expectServiceWorks(target, { localAddress: VICTIM });
  }, 60_000);

  it('behind a trusted proxy (TRUST_PROXY), each X-Forwarded-For address has its own share', async () => {
    const ids: string[] = [];
    const offer = async (forwardedFor: string) => {
      const res = await post('/api/probe/offer', { sdp: BROWSER_OFFER }, { from: '127.0.0.1', forwardedFor });
      if (res.status === 200) ids.push(res.json.id as string);
      return res.status;
    };
    const first: number[] = [];
    for (let i = 0; i <= DEFAULT_PROBE_LIMITS.maxPerClient; i++) first.push(await offer('198.51.100.1'));
    expect(first.at(-1)).toBe(429);
    expect(first.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(await offer('198.51.100.2')).toBe(200);
    expect(await offer('2001:db8:1:2::1')).toBe(200);
    for (const id of ids) await fetch(`http://127.0.0.1:${app.httpPort}/api/probe/${id}`, { method: 'DELETE' });
    expect(await offer('198.51.100.1')).toBe(200); // closed sessions give the share back
  }, 60_000);
});
