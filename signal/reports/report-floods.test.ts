// Saved reports attacked over real sockets, through the whole app (page, /ws, TURN, the report routes) on
// loopback: save floods from one client while another still saves, a client filling the store, a spray of
// addresses trying to make the limiter forget, nested / oversized / unknown-field bodies. After each attack the
// service still serves a page, a room and a TURN allocation (signal/security/service-probe.ts). TRUST_PROXY=loopback
// lets X-Forwarded-For play distinct client addresses; the report routes get a fake clock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleReport } from '../../common/testdata/sample-report';
import { startApp, type RunningApp } from '../app';
import { parseTrustedProxies, type TrustedProxies } from '../http/client-address';
import { requestJson, type JsonAnswer } from '../security/raw-clients';
import { expectServiceWorks, serviceTargetOf, type ServiceTarget } from '../security/service-probe';
import { createReportRoutes, type ReportRoutes } from './report-routes';

const SAVES_PER_MINUTE = 5;
const MAX_PER_CLIENT = 3;
const TTL_MS = 86_400_000;
const MAX_KB = 64;
const MAX_ADDRESSES = 2000;

let app: RunningApp;
let reports: ReportRoutes;
let target: ServiceTarget;
let dir: string;
let clock = 1_764_000_000_000;
let nextClient = 1;
/** A fresh client address (TEST-NET-3, through the trusted loopback proxy). */
const client = () => `203.0.113.${nextClient++}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'p2pcheck-report-floods-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>p2pcheck</title>');
  reports = createReportRoutes({
    dataDir: join(dir, 'data'), ttlMs: TTL_MS, maxBytes: MAX_KB * 1024, savesPerMinute: SAVES_PER_MINUTE, maxPerClient: MAX_PER_CLIENT,
    maxAddresses: MAX_ADDRESSES, trackedClients: 50, trustedProxies: parseTrustedProxies('loopback') as TrustedProxies, now: () => clock,
  });
  app = await startApp(
    {
      HOST: '127.0.0.1', PORT: '0', STATIC_DIR: dir, LOG_LEVEL: 'silent', TRUST_PROXY: 'loopback',
      TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_LISTEN_V6: 'off', TURN_TCP: 'off', TURN_SECRET: 'report-floods-secret',
    },
    [reports.route],
  );
  target = serviceTargetOf(app);
});

afterAll(async () => {
  await app?.close();
  await reports?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** POST /api/reports from `from` (X-Forwarded-For) with a raw body. */
function save(from: string, body: string, contentType = 'application/json'): Promise<JsonAnswer> {
  return requestJson(app.httpPort, '/api/reports', { body, headers: { 'content-type': contentType, 'x-forwarded-for': from } });
}

const goodBody = () => JSON.stringify({ report: sampleReport() });
const live = (c: string) => reports.store.liveCount(c, clock);

describe('saved reports under attack', () => {
  it('a save flood from one client gets 429 rate-limited with Retry-After; another client still saves', async () => {
    const attacker = client();
    const statuses: number[] = [];
    let refusal: Awaited<ReturnType<typeof save>> | null = null;
    for (let i = 0; i < 40; i++) {
      const res = await save(attacker, goodBody());
      statuses.push(res.status);
      if (res.status === 429) refusal ??= res;
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_PER_CLIENT); // its live-report share, within the burst
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - MAX_PER_CLIENT);
    expect(refusal!.json.error).toMatch(/at most|already has/);
    expect(Number(refusal!.headers['retry-after'])).toBeGreaterThan(0);
    expect((await save(client(), goodBody())).status).toBe(201);
    await expectServiceWorks(target, { headers: { 'x-forwarded-for': client() } });
  }, 60_000);

  it('one client holds at most REPORT_MAX_PER_IP live reports (429 too-many-reports); once they expire it saves again', async () => {
    const filler = client();
    for (let i = 0; i < MAX_PER_CLIENT; i++) expect((await save(filler, goodBody())).status).toBe(201);
    clock += 60_000; // its saves-per-minute bucket is full again: only the store's cap can refuse now
    const full = await save(filler, goodBody());
    expect(full.status).toBe(429);
    expect(full.json.code).toBe('too-many-reports');
    expect(full.json.error).toMatch(new RegExp(`already has ${MAX_PER_CLIENT} saved reports \\(at most ${MAX_PER_CLIENT}\\)`));
    expect(Number(full.headers['retry-after'])).toBeGreaterThan(60);
    expect(await live(filler)).toBe(MAX_PER_CLIENT);
    expect((await save(client(), goodBody())).status).toBe(201);
    clock += TTL_MS;
    expect((await save(filler, goodBody())).status).toBe(201);
    await expectServiceWorks(target, { headers: { 'x-forwarded-for': client() } });
  }, 60_000);

  it('a spray of fresh addresses neither makes the limiter forget the limited client nor is limited as one', async () => {
    clock += 60_000;
    const attacker = client();
    for (let i = 0; i < SAVES_PER_MINUTE; i++) await save(attacker, '{}'); // spends its tokens (400: not a report)
    expect((await save(attacker, goodBody())).status).toBe(429);
    const sprayed: number[] = [];
    for (let i = 0; i < 80; i++) {
      sprayed.push((await save(`198.18.${i >> 8}.${i & 255}`, goodBody())).status);
      if (i % 10 === 0) expect((await save(attacker, goodBody())).status, `after ${i} other clients`).toBe(429);
    }
    expect(sprayed.every((s) => s === 201)).toBe(true); // each address is its own client
    await expectServiceWorks(target, { headers: { 'x-forwarded-for': client() } });
  }, 60_000);

  it('nested, oversized and unknown-field bodies: a clear 4xx and nothing stored (unknown fields are dropped)', async () => {
    const attacker = client();
    const deep = `{"report":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const nested = await save(attacker, deep);
    expect(nested.status).toBe(400);
    expect(nested.json).toMatchObject({ code: 'too-deep' });
    const deepInside = JSON.stringify({ report: { ...sampleReport(), zz: 'HOLE' } }).replace('"HOLE"', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    expect((await save(client(), deepInside)).json).toMatchObject({ code: 'too-deep' });
    const big = await save(attacker, JSON.stringify({ report: sampleReport(), pad: 'x'.repeat(MAX_KB * 1024) }));
    expect(big.status).toBe(413);
    expect(big.json.code).toBe('too-large');
    expect(await live(attacker)).toBe(0);

    const other = client();
    const blob = 'B'.repeat(15_000);
    const unknown = await save(other, JSON.stringify({ report: { ...sampleReport(), zzBlob: blob, path: { ...sampleReport().path, zzInner: blob } }, zzOuter: blob }));
    expect(unknown.status).toBe(201);
    const stored = (await reports.store.get(unknown.json.id as string, clock))!.body;
    expect(stored).not.toContain('zz');
    expect(stored).not.toContain('BBBB');
    expect(stored.length).toBeLessThan(8000);
    await expectServiceWorks(target, { headers: { 'x-forwarded-for': client() } });
  }, 60_000);

  it('a report crammed with addresses (each costs a parse when masking) is refused, nothing stored; a real one passes', async () => {
    const attacker = client();
    const r = sampleReport();
    r.errors = Array.from({ length: 40 }, (_, i) => ({ at: i, source: 'ice', code: 701, message: 'fd00::1:5000 10.0.0.1 '.repeat(60) }));
    const res = await save(attacker, JSON.stringify({ report: r }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'too-many-addresses' });
    expect(res.json.error).toMatch(/more than 2000 addresses/);
    expect(await live(attacker)).toBe(0);
    expect((await save(attacker, goodBody())).status).toBe(201);
    await expectServiceWorks(target, { headers: { 'x-forwarded-for': client() } });
  }, 60_000);
});
