import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleLobbyReport } from '../../common/testdata/sample-lobby-report';
import { sampleReport } from '../../common/testdata/sample-report';
import { createReportRoutes, type ReportRoutes } from './report-routes';
import Database from 'better-sqlite3';
import { SqliteReportStore as ReportStore } from './sqlite-report-store';

let dir: string;
let clock: number;
let routes: ReportRoutes;
let server: Server;
let base: string;

async function start(opts: { maxBytes?: number; maxReports?: number; savesPerMinute?: number } = {}) {
  routes = createReportRoutes({ dataDir: dir, ttlMs: 86_400_000, now: () => clock, ...opts });
  server = createServer((req, res) => {
    void routes.route(req, res, new URL(req.url ?? '/', 'http://x')).then((handled) => {
      if (!handled) res.writeHead(404).end('not mine');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${base}/api/reports`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'p2pcheck-reports-'));
  clock = 1_764_000_000_000;
  await start();
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await routes.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('saved reports over HTTP', () => {
  it('saves a report with private addresses masked and serves it at an unguessable id', async () => {
    const res = await post({ report: sampleReport() });
    expect(res.status).toBe(201);
    const { id, url, redacted } = (await res.json()) as { id: string; url: string; redacted: boolean };
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/); // 144 bits
    expect(url).toBe(`/report/${id}`);
    expect(redacted).toBe(true);
    const got = await fetch(`${base}/api/reports/${id}`);
    expect(got.status).toBe(200);
    const text = await got.text();
    expect(text).not.toContain('10.200.');
    const saved = JSON.parse(text);
    expect(saved.localCandidates[0].address).toBe('10.x.x.x');
    expect(saved.localCandidates[1].address).toBe('203.0.113.5');
    expect(saved.path).toEqual(sampleReport().path);
    expect(saved.redacted).toBe(true);
  });

  it('keeps addresses when asked not to redact', async () => {
    const { id } = (await (await post({ report: sampleReport(), redact: false })).json()) as { id: string };
    const saved = await (await fetch(`${base}/api/reports/${id}`)).json();
    expect(saved.localCandidates[0].address).toBe('10.200.11.1');
    expect(saved.redacted).toBe(false);
  });

  it('ids differ for the same report', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add(((await (await post({ report: sampleReport() })).json()) as { id: string }).id);
    expect(ids.size).toBe(5);
  });

  it('refuses bad input with a clear error and saves nothing', async () => {
    const cases: [unknown, Record<string, string> | undefined, number, string][] = [
      ['{not json', undefined, 400, 'bad-json'],
      [{ report: { ...sampleReport(), version: 7 } }, undefined, 400, 'bad-report'],
      [{ nothing: true }, undefined, 400, 'bad-report'],
      [{ report: sampleReport() }, { 'content-type': 'text/plain' }, 415, 'content-type'],
    ];
    for (const [body, headers, status, code] of cases) {
      const res = await post(body, headers);
      expect(res.status).toBe(status);
      const json = (await res.json()) as { code: string; error: string };
      expect(json.code).toBe(code);
      expect(json.error.length).toBeGreaterThan(10);
    }
    expect(await routes.store.purge(Number.MAX_SAFE_INTEGER)).toBe(0);
  });

  it('refuses a report over the size limit', async () => {
    await new Promise((r) => server.close(r));
    routes.close();
    await start({ maxBytes: 4096 });
    const big = { report: { ...sampleReport(), errors: Array.from({ length: 100 }, (_, i) => ({ at: i, source: 'x', code: null, message: 'y'.repeat(100) })) } };
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('too-large');
    expect(await routes.store.purge(Number.MAX_SAFE_INTEGER)).toBe(0);
  });

  it('answers 404 for unknown, malformed and expired ids; expired ones are purged', async () => {
    const { id } = (await (await post({ report: sampleReport() })).json()) as { id: string };
    expect((await fetch(`${base}/api/reports/AAAAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await fetch(`${base}/api/reports/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/api/reports/${id}`)).status).toBe(200);
    clock += 86_400_000;
    const gone = await fetch(`${base}/api/reports/${id}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: string }).error).toMatch(/expired/);
    expect(await routes.store.purge(clock)).toBe(1);
  });

  it('rate-limits saves per address', async () => {
    await new Promise((r) => server.close(r));
    routes.close();
    await start({ savesPerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post({ report: sampleReport() })).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('a store that fails (database down) answers 503 store-unavailable for saves and opens', async () => {
    const saved = await (await post({ report: sampleReport() })).json();
    await routes.store.close();
    const save = await post({ report: sampleReport() });
    expect(save.status).toBe(503);
    expect(save.headers.get('retry-after')).toBe('60');
    expect(await save.json()).toEqual({ code: 'store-unavailable', error: 'saved reports are unavailable right now; try again in a minute' });
    const open = await fetch(`${base}/api/reports/${saved.id}`);
    expect(open.status).toBe(503);
  });

  it('does not handle other paths, and only POST/GET', async () => {
    expect(await (await fetch(`${base}/api/other`)).text()).toBe('not mine');
    expect((await fetch(`${base}/api/reports`)).status).toBe(405);
    expect((await fetch(`${base}/api/reports/x`, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('saved lobby reports over HTTP', () => {
  it('saves a lobby report with every address masked — members\u2019 diagnoses and every pair report — and serves it back whole', async () => {
    const res = await post({ report: sampleLobbyReport() });
    expect(res.status).toBe(201);
    const { id, url, redacted } = (await res.json()) as { id: string; url: string; redacted: boolean };
    expect(url).toBe(`/report/${id}`);
    expect(redacted).toBe(true);
    const text = await (await fetch(`${base}/api/reports/${id}`)).text();
    expect(text).not.toMatch(/10\.200\.|192\.168\.1\.20|fd00::1|3f0c1a2b-1111/);
    const saved = JSON.parse(text);
    expect(saved.kind).toBe('lobby');
    expect(saved.redacted).toBe(true);
    expect(saved.members[0].diagnosis.hostAddresses).toEqual(['10.x.x.x', 'fdxx::x', 'x.local']);
    expect(saved.members[1].diagnosis.hostAddresses).toEqual(['192.168.x.x']);
    expect(saved.pairs[0].report.localCandidates[0].address).toBe('10.x.x.x');
    expect(saved.pairs[1].report.localCandidates[1].address).toBe('203.0.113.5');
    // Everything but the masked addresses comes back as sent.
    const sent = sampleLobbyReport();
    expect(saved.cells).toEqual(sent.cells);
    expect(saved.links).toEqual(sent.links);
    expect(saved.members.map((m: { name: string }) => m.name)).toEqual(sent.members.map((m) => m.name));
  });

  it('refuses a bad lobby report naming the field, and saves nothing', async () => {
    const bad = sampleLobbyReport();
    bad.cells[2]!.b = 'nobody';
    const res = await post({ report: bad });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'bad-report', error: 'not a p2pcheck lobby report at report.cells.2.b: "nobody" is not a member of this lobby report' });
    const old = await post({ report: { ...sampleReport(), version: 7 } });
    expect(((await old.json()) as { error: string }).error).toMatch(/^not a p2pcheck report at report\.version: /);
    expect(await routes.store.purge(Number.MAX_SAFE_INTEGER)).toBe(0);
  });

  it('holds a lobby report to the same size limit as any report', async () => {
    await new Promise((r) => server.close(r));
    routes.close();
    await start({ maxBytes: 16 * 1024 });
    expect(JSON.stringify({ report: sampleReport() }).length).toBeLessThan(16 * 1024);
    const res = await post({ report: sampleLobbyReport() });
    expect(res.status).toBe(413);
    expect((await post({ report: sampleReport() })).status).toBe(201);
  });

  it('a two-person report saved before lobbies existed still opens', async () => {
    // Saved bodies are served as stored: an old row (no `kind`) comes back unchanged.
    const old = JSON.stringify({ ...sampleReport(), redacted: true });
    const saved = await routes.store.save(old, clock);
    if (!saved.ok) throw new Error(saved.error);
    const got = await fetch(`${base}/api/reports/${saved.id}`);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe(old);
  });
});

describe('report store', () => {
  it('survives a restart (reports are on disk) and refuses to grow past its limit', async () => {
    const a = new ReportStore({ dataDir: dir, ttlMs: 1000, maxReports: 2 });
    const s1 = await a.save('{"a":1}', 0);
    expect(s1.ok).toBe(true);
    await a.close();
    const b = new ReportStore({ dataDir: dir, ttlMs: 1000, maxReports: 2 });
    expect((await b.get((s1 as { id: string }).id, 10))?.body).toBe('{"a":1}');
    // The routes' own store already holds nothing live at time 0… fill to the limit.
    expect((await b.save('{}', 10)).ok).toBe(true);
    const full = await b.save('{}', 10);
    expect(full).toMatchObject({ ok: false, code: 'store-full' });
    expect((await b.save('{}', 5000)).ok).toBe(true); // after the others expired
    await b.close();
  });

  it('opens a database from before the client column without losing a saved report, then counts per client', async () => {
    // The table exactly as it was created before the per-client limit, in a directory of its own.
    const oldDir = join(dir, 'old');
    mkdirSync(oldDir);
    const old = new Database(join(oldDir, 'reports.sqlite'));
    old.exec(`CREATE TABLE reports (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, body TEXT NOT NULL) STRICT;
      CREATE INDEX reports_expires ON reports (expires_at);`);
    old.prepare('INSERT INTO reports VALUES (?, ?, ?, ?)').run('A'.repeat(24), 0, 1000, '{"saved":"before"}');
    old.close();
    const store = new ReportStore({ dataDir: oldDir, ttlMs: 1000, maxPerClient: 1 });
    expect((await store.get('A'.repeat(24), 10))?.body).toBe('{"saved":"before"}');
    expect((await store.save('{}', 10, '198.51.100.1')).ok).toBe(true);
    expect(await store.save('{}', 10, '198.51.100.1')).toMatchObject({ ok: false, code: 'too-many-reports' });
    expect((await store.save('{}', 10, '198.51.100.2')).ok).toBe(true);
    expect(await store.liveCount('198.51.100.1', 10)).toBe(1);
    await store.close();
    // Opening again (column already there) changes nothing.
    const again = new ReportStore({ dataDir: oldDir, ttlMs: 1000, maxPerClient: 1 });
    expect((await again.get('A'.repeat(24), 10))?.body).toBe('{"saved":"before"}');
    expect(await again.liveCount('198.51.100.2', 10)).toBe(1);
    await again.close();
  });
});
