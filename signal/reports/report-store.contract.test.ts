// One contract, two engines: the SQLite store (the embedded default) and the PostgreSQL store (DATABASE_URL) save,
// open, expire and limit reports alike. PostgreSQL is real: a throwaway server started for this file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleLobbyReport } from '../../common/testdata/sample-lobby-report';
import { sampleReport } from '../../common/testdata/sample-report';
import { PgReportStore } from './pg-report-store';
import type { ReportLimits, ReportStore } from './report-store';
import { SqliteReportStore } from './sqlite-report-store';
import { startTestPostgres, type TestPostgres } from './test-postgres';

let postgres: TestPostgres;
let pgUrl: string;
beforeAll(async () => {
  postgres = await startTestPostgres();
  pgUrl = await postgres.createDatabase('contract');
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
}, 60_000);

interface Engine {
  name: string;
  open(limits: ReportLimits): Promise<ReportStore>;
  cleanup(): Promise<void>;
}

const sqlite = (): Engine => {
  let dir = '';
  return {
    name: 'SQLite',
    async open(limits) {
      dir ||= mkdtempSync(join(tmpdir(), 'p2pcheck-contract-'));
      return new SqliteReportStore({ dataDir: dir, ...limits });
    },
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = '';
    },
  };
};

const postgresql = (): Engine => ({
  name: 'PostgreSQL',
  async open(limits) {
    return PgReportStore.open({ url: pgUrl, poolMax: 4, ...limits });
  },
  async cleanup() {
    const c = new pg.Client(pgUrl);
    await c.connect();
    await c.query('TRUNCATE reports');
    await c.end();
  },
});

const T0 = 1_764_000_000_000;
const DAY = 86_400_000;

describe.each([sqlite(), postgresql()])('report store contract: $name', (engine) => {
  const open: ReportStore[] = [];
  const store = async (limits: ReportLimits) => {
    const s = await engine.open(limits);
    open.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await engine.cleanup();
  });

  it('saves a report and opens it by id, byte for byte, until it expires', async () => {
    const s = await store({ ttlMs: DAY });
    const body = JSON.stringify({ ...sampleReport(), redacted: true });
    const saved = await s.save(body, T0, '198.51.100.7');
    if (!saved.ok) throw new Error(saved.error);
    expect(saved.id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(saved.expiresAt).toBe(T0 + DAY);
    expect(await s.get(saved.id, T0 + 1)).toEqual({ id: saved.id, createdAt: T0, expiresAt: T0 + DAY, body });
    expect(await s.get(saved.id, T0 + DAY - 1)).not.toBeNull();
    expect(await s.get(saved.id, T0 + DAY)).toBeNull();
  });

  it('a lobby report is kept as saved', async () => {
    const s = await store({ ttlMs: DAY });
    const body = JSON.stringify({ ...sampleLobbyReport(), redacted: true });
    const saved = await s.save(body, T0);
    if (!saved.ok) throw new Error(saved.error);
    expect((await s.get(saved.id, T0))?.body).toBe(body);
    expect(JSON.parse((await s.get(saved.id, T0))!.body).kind).toBe('lobby');
  });

  it('unknown, malformed and injected ids open nothing', async () => {
    const s = await store({ ttlMs: DAY });
    await s.save('{}', T0);
    expect(await s.get('A'.repeat(24), T0)).toBeNull();
    expect(await s.get("' OR '1'='1", T0)).toBeNull();
    expect(await s.get('', T0)).toBeNull();
  });

  it('reopening the store keeps saved reports', async () => {
    const a = await store({ ttlMs: DAY });
    const saved = await a.save('{"a":1}', T0);
    if (!saved.ok) throw new Error(saved.error);
    await a.close();
    const b = await store({ ttlMs: DAY });
    expect((await b.get(saved.id, T0))?.body).toBe('{"a":1}');
  });

  it('purge deletes expired reports only, and counts them once', async () => {
    const s = await store({ ttlMs: 1000 });
    const old = await s.save('{"old":1}', T0);
    const fresh = await s.save('{"fresh":1}', T0 + 600);
    expect(await s.purge(T0 + 999)).toBe(0);
    expect(await s.purge(T0 + 1000)).toBe(1);
    expect(await s.purge(T0 + 1000)).toBe(0);
    expect(await s.get((old as { id: string }).id, T0 + 500)).toBeNull(); // gone for good, even for an earlier clock
    expect(await s.get((fresh as { id: string }).id, T0 + 1000)).not.toBeNull();
  });

  it('refuses to grow past maxReports until some expire', async () => {
    const s = await store({ ttlMs: 1000, maxReports: 2 });
    expect((await s.save('{}', T0)).ok).toBe(true);
    expect((await s.save('{}', T0 + 10)).ok).toBe(true);
    expect(await s.save('{}', T0 + 20)).toMatchObject({ ok: false, code: 'store-full' });
    expect((await s.save('{}', T0 + 1000)).ok).toBe(true); // the first expired
  });

  it('one client holds at most maxPerClient live reports, told when the oldest expires; others and no-client saves are unaffected', async () => {
    const s = await store({ ttlMs: 10_000, maxPerClient: 2 });
    expect((await s.save('{}', T0, '198.51.100.1')).ok).toBe(true);
    expect((await s.save('{}', T0 + 3000, '198.51.100.1')).ok).toBe(true);
    expect(await s.save('{}', T0 + 4000, '198.51.100.1')).toEqual({
      ok: false,
      code: 'too-many-reports',
      error: 'this address already has 2 saved reports (at most 2); another can be saved when the oldest expires',
      retryAfterSeconds: 6,
    });
    expect((await s.save('{}', T0 + 4000, '198.51.100.2')).ok).toBe(true);
    expect((await s.save('{}', T0 + 4000, null)).ok).toBe(true);
    expect(await s.liveCount('198.51.100.1', T0 + 4000)).toBe(2);
    expect(await s.liveCount('198.51.100.1', T0 + 10_000)).toBe(1);
    expect((await s.save('{}', T0 + 10_000, '198.51.100.1')).ok).toBe(true);
  });

  it('the limits hold when many saves arrive at once', async () => {
    const s = await store({ ttlMs: DAY, maxPerClient: 3, maxReports: 5 });
    const results = await Promise.all(Array.from({ length: 8 }, () => s.save('{}', T0, '198.51.100.9')));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const others = await Promise.all(Array.from({ length: 6 }, (_, i) => s.save('{}', T0, `203.0.113.${i}`)));
    expect(others.filter((r) => r.ok)).toHaveLength(2);
    expect(others.filter((r) => !r.ok && r.code === 'store-full')).toHaveLength(4);
  });
});
