// The PostgreSQL report store against a real, throwaway PostgreSQL: schema migrations (from an empty database,
// from the version before, two nodes starting at once, a newer schema refused), expiry cleanup run by two nodes at
// once, statement timeouts, and start errors a person can act on (one line naming DATABASE_URL).
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../turn/config-error';
import { LOCK_CLASS, LOCK_SAVE, migrate, REPORT_MIGRATIONS } from './pg-migrations';
import { PgReportStore } from './pg-report-store';
import { reportConfigFromEnv } from './report-config';
import { startTestPostgres, type TestPostgres } from './test-postgres';

let postgres: TestPostgres;
let dbCount = 0;
/** A fresh, empty database for one test. */
const freshDb = () => postgres.createDatabase(`t${++dbCount}`);

beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
}, 60_000);

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

const DAY = 86_400_000;

describe('PostgreSQL report store: migrations', () => {
  it('creates the schema in an empty database, each migration recorded once; opening again changes nothing', async () => {
    const url = await freshDb();
    const a = await PgReportStore.open({ url, ttlMs: DAY });
    await a.close();
    const b = await PgReportStore.open({ url, ttlMs: DAY });
    await b.close();
    expect(await sql(url, 'SELECT version, name FROM report_migrations ORDER BY version')).toEqual(REPORT_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const columns = await sql<{ column_name: string }>(url, `SELECT column_name FROM information_schema.columns WHERE table_name = 'reports' ORDER BY ordinal_position`);
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'created_at', 'expires_at', 'body', 'client']);
  });

  it('migrates a database at the version before: its reports stay readable and count for no client', async () => {
    const url = await freshDb();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    expect(await migrate(pool, REPORT_MIGRATIONS.slice(0, -1))).toEqual(REPORT_MIGRATIONS.slice(0, -1).map((m) => m.version));
    await pool.end();
    const oldId = 'B'.repeat(24);
    await sql(url, 'INSERT INTO reports (id, created_at, expires_at, body) VALUES ($1, $2, $3, $4)', [oldId, 0, 10_000, '{"saved":"before"}']);

    const store = await PgReportStore.open({ url, ttlMs: 10_000, maxPerClient: 1 });
    expect((await store.get(oldId, 10))?.body).toBe('{"saved":"before"}');
    expect((await store.save('{}', 10, '198.51.100.1')).ok).toBe(true);
    expect(await store.save('{}', 10, '198.51.100.1')).toMatchObject({ ok: false, code: 'too-many-reports' });
    await store.close();
    expect((await sql(url, 'SELECT max(version) AS v FROM report_migrations'))[0]!.v).toBe(REPORT_MIGRATIONS.length);
  });

  it('two nodes starting at once on an empty database both open it; each migration runs once', async () => {
    const url = await freshDb();
    const nodes = await Promise.all([PgReportStore.open({ url, ttlMs: DAY }), PgReportStore.open({ url, ttlMs: DAY }), PgReportStore.open({ url, ttlMs: DAY })]);
    const saved = await nodes[0].save('{"n":0}', 1);
    if (!saved.ok) throw new Error(saved.error);
    expect((await nodes[2].get(saved.id, 2))?.body).toBe('{"n":0}');
    await Promise.all(nodes.map((n) => n.close()));
    expect((await sql(url, 'SELECT count(*)::int AS n FROM report_migrations'))[0]!.n).toBe(REPORT_MIGRATIONS.length);
  });

  it('refuses a database migrated by a newer p2pcheck, naming DATABASE_URL and the fix', async () => {
    const url = await freshDb();
    const first = await PgReportStore.open({ url, ttlMs: DAY });
    await first.close();
    await sql(url, `INSERT INTO report_migrations (version, name) VALUES (${REPORT_MIGRATIONS.length + 1}, 'from the future')`);
    const err = await PgReportStore.open({ url, ttlMs: DAY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/^DATABASE_URL \(postgres@127\.0\.0\.1:\d+\/t\d+\): the database's report schema is at version 3, newer than this p2pcheck knows \(2\): run the newer p2pcheck/);
  });
});

describe('PostgreSQL report store: several nodes', () => {
  it('two nodes purging at once delete every expired report exactly once and keep the live ones', async () => {
    const url = await freshDb();
    const a = await PgReportStore.open({ url, ttlMs: 1000, purgeBatch: 100 });
    const b = await PgReportStore.open({ url, ttlMs: 1000, purgeBatch: 100 });
    await sql(url, `INSERT INTO reports (id, created_at, expires_at, body) SELECT 'x' || lpad(i::text, 23, '0'), 0, 500, '{}' FROM generate_series(1, 2000) AS i`);
    const live = await a.save('{"live":1}', 900);
    if (!live.ok) throw new Error(live.error);
    const [da, db] = await Promise.all([a.purge(1000), b.purge(1000)]);
    expect(da + db).toBe(2000);
    expect((await sql(url, 'SELECT count(*)::int AS n FROM reports'))[0]!.n).toBe(1);
    expect((await b.get(live.id, 1000))?.body).toBe('{"live":1}');
    await Promise.all([a.close(), b.close()]);
  });

  it('a save that cannot get the save lock within the statement timeout fails instead of waiting, and saves again once the lock is free', async () => {
    const url = await freshDb();
    const store = await PgReportStore.open({ url, ttlMs: DAY, statementTimeoutMs: 300 });
    const holder = new pg.Client(url);
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_SAVE]);
    await expect(store.save('{}', 1)).rejects.toThrow(/statement timeout/);
    await holder.query('ROLLBACK');
    await holder.end();
    expect((await store.save('{}', 1)).ok).toBe(true);
    await store.close();
  });
});

describe('PostgreSQL report store: start errors', () => {
  it('unreachable server: one line naming DATABASE_URL, where it points (no password) and the fix', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const err = await PgReportStore.open({ url: `postgres://app:s3cret@127.0.0.1:${closed}/reports`, ttlMs: DAY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(`DATABASE_URL (app@127.0.0.1:${closed}/reports): cannot reach PostgreSQL (ECONNREFUSED): start it, or fix the host and port in DATABASE_URL`);
  });

  it('wrong password: authentication failed, password not shown', async () => {
    const url = postgres.urlFor('postgres').replace(encodeURIComponent(postgres.password), 'wrong-password');
    const err = await PgReportStore.open({ url, ttlMs: DAY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^DATABASE_URL \(postgres@127\.0\.0\.1:\d+\/postgres\): PostgreSQL refused the login \(authentication failed\): fix the user and password/);
    expect((err as Error).message).not.toContain('wrong-password');
  });

  it('missing database: says so', async () => {
    const err = await PgReportStore.open({ url: postgres.urlFor('no_such_db'), ttlMs: DAY }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/no_such_db\): the database does not exist: create it/);
  });

  it('a DATABASE_URL that is not a postgres URL is refused at start without echoing it; the pool settings are validated', () => {
    for (const bad of ['mysql://u:pw@h/db', 'not a url', 'postgres://']) {
      expect(() => reportConfigFromEnv({ DATABASE_URL: bad })).toThrow(/^DATABASE_URL must be a postgres:\/\/user:password@host:5432\/database URL/);
    }
    expect(() => reportConfigFromEnv({ DATABASE_URL: 'postgres://h/db', DATABASE_POOL_MAX: '0' })).toThrow(/^DATABASE_POOL_MAX must be an integer from 1 to 1000/);
    expect(reportConfigFromEnv({}).database).toBeNull();
    expect(reportConfigFromEnv({ DATABASE_URL: 'postgresql://u:p@db.internal:5433/p2p' }).database).toEqual({ url: 'postgresql://u:p@db.internal:5433/p2p', poolMax: 10, statementTimeoutMs: 5000, connectTimeoutMs: 5000 });
  });
});
