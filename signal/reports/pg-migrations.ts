// Versioned schema migrations of the PostgreSQL report store. Each runs once, in order, in its own transaction,
// recorded in report_migrations. A session advisory lock makes nodes that start at once take turns: the first
// migrates, the others then find nothing left to do. Never edit a migration that has shipped: add the next one.
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const REPORT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'reports table',
    sql: `CREATE TABLE reports (
      id text PRIMARY KEY,
      created_at bigint NOT NULL,
      expires_at bigint NOT NULL,
      body text NOT NULL
    );
    CREATE INDEX reports_expires ON reports (expires_at);`,
  },
  {
    version: 2,
    name: 'saving client, for the per-client limit (older rows count for no client)',
    sql: `ALTER TABLE reports ADD COLUMN client text;
    CREATE INDEX reports_client ON reports (client, expires_at);`,
  },
];

/** Advisory lock keys (classid, objid): 'p2pc' and what is locked. */
export const LOCK_CLASS = 0x70327063;
export const LOCK_MIGRATE = 1;
export const LOCK_SAVE = 2;

/** Longest a start waits for another node's migration (a session setting of the migrating connection only). */
const MIGRATION_TIMEOUT = '120s';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Applies the migrations the database lacks; returns the versions applied by this call. */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = REPORT_MIGRATIONS): Promise<number[]> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration ${i + 1} is numbered ${m.version}: versions must run 1, 2, 3…`);
  });
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query(`SELECT set_config('statement_timeout', $1, false)`, [MIGRATION_TIMEOUT]);
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, LOCK_MIGRATE]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS report_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM report_migrations')).rows.map((r) => r.version));
      const newest = Math.max(0, ...done);
      if (newest > migrations.length) {
        throw new MigrationError(`the database's report schema is at version ${newest}, newer than this p2pcheck knows (${migrations.length}): run the newer p2pcheck, or point DATABASE_URL at another database`);
      }
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO report_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new MigrationError(`report schema migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
        }
        applied.push(m.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, LOCK_MIGRATE]).catch(() => undefined);
    }
  } finally {
    // The session settings (the long statement timeout) must not leak into the pool: discard this connection.
    client.release(true);
  }
  return applied;
}
