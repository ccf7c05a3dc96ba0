// Saved reports in PostgreSQL (pg), used when DATABASE_URL is set: every node of a fleet reads and writes one
// database, so a report saved through one node opens through any other. Same API and limits as the SQLite store.
// The schema is created and migrated at open (pg-migrations.ts). Saves take one transaction-scoped advisory lock,
// so the count-then-insert of the limits holds across nodes as SQLite's single writer holds it in one process.
// purge() deletes in bounded batches with SKIP LOCKED: every node may run it at once, each row deleted once.
import pg from 'pg';
import { ConfigError } from '../../turn/config-error';
import { LOCK_CLASS, LOCK_SAVE, migrate, MigrationError, type Migration, REPORT_MIGRATIONS } from './pg-migrations';
import { newReportId, REPORT_ID_PATTERN, storeFull, tooManyReports, type ReportLimits, type ReportStore, type SavedReport, type SaveResult } from './report-store';

export interface PgReportStoreOptions extends ReportLimits {
  /** postgres://user:password@host:port/database (DATABASE_URL). */
  url: string;
  /** Most connections this node holds (DATABASE_POOL_MAX). */
  poolMax?: number;
  /** Longest one statement may run, ms (DATABASE_STATEMENT_TIMEOUT_MS); also bounds waiting for the save lock. */
  statementTimeoutMs?: number;
  /** Longest a new connection may take, ms (DATABASE_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** Rows one purge statement deletes; purge() repeats it at most `purgeMaxBatches` times. */
  purgeBatch?: number;
  purgeMaxBatches?: number;
  /** Told when an idle pooled connection fails (the pool replaces it). */
  onPoolError?: (err: Error) => void;
  /** For tests of older schemas; the default is every migration. */
  migrations?: readonly Migration[];
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

export class PgReportStore implements ReportStore {
  readonly engine = 'postgresql';
  readonly ttlMs: number;
  readonly maxReports: number;
  readonly maxPerClient: number;
  private readonly purgeBatch: number;
  private readonly purgeMaxBatches: number;
  private closed: Promise<void> | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    opts: PgReportStoreOptions,
  ) {
    this.ttlMs = opts.ttlMs;
    this.maxReports = opts.maxReports ?? 100_000;
    this.maxPerClient = opts.maxPerClient ?? 0;
    this.purgeBatch = opts.purgeBatch ?? 1000;
    this.purgeMaxBatches = opts.purgeMaxBatches ?? 1000;
  }

  /** Connects, migrates the schema, and returns the store; start errors are one line naming DATABASE_URL. */
  static async open(opts: PgReportStoreOptions): Promise<PgReportStore> {
    const statementTimeout = opts.statementTimeoutMs ?? 5000;
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolMax ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      statement_timeout: statementTimeout,
      // Client-side too, for a server that stops answering altogether.
      query_timeout: statementTimeout + 1000,
      application_name: 'p2pcheck',
    });
    // An idle connection that breaks (server restarted) is dropped by the pool; without a listener it would crash us.
    pool.on('error', (err) => opts.onPoolError?.(err));
    try {
      await migrate(pool, opts.migrations ?? REPORT_MIGRATIONS);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw startError(err, opts.url);
    }
    return new PgReportStore(pool, opts);
  }

  async save(body: string, now: number, client: string | null = null): Promise<SaveResult> {
    const conn = await this.pool.connect();
    let broken = false;
    try {
      await conn.query('BEGIN');
      try {
        await conn.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_SAVE]);
        let result: SaveResult | null = null;
        if (client !== null && this.maxPerClient > 0) {
          const mine = (await conn.query<{ n: number; oldest: string | null }>('SELECT count(*)::int AS n, min(expires_at) AS oldest FROM reports WHERE client = $1 AND expires_at > $2', [client, now])).rows[0]!;
          if (mine.n >= this.maxPerClient) result = tooManyReports(mine.n, this.maxPerClient, num(mine.oldest), now);
        }
        if (!result) {
          const live = (await conn.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE expires_at > $1', [now])).rows[0]!.n;
          if (live >= this.maxReports) result = storeFull(this.maxReports);
        }
        if (!result) {
          const id = newReportId();
          const expiresAt = now + this.ttlMs;
          await conn.query('INSERT INTO reports (id, created_at, expires_at, body, client) VALUES ($1, $2, $3, $4, $5)', [id, now, expiresAt, body, client]);
          result = { ok: true, id, expiresAt };
        }
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw err;
      }
    } finally {
      conn.release(broken);
    }
  }

  async liveCount(client: string, now: number): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE client = $1 AND expires_at > $2', [client, now])).rows[0]!.n;
  }

  async get(id: string, now: number): Promise<SavedReport | null> {
    if (!REPORT_ID_PATTERN.test(id)) return null;
    const row = (await this.pool.query<{ id: string; created_at: string; expires_at: string; body: string }>('SELECT id, created_at, expires_at, body FROM reports WHERE id = $1 AND expires_at > $2', [id, now])).rows[0];
    return row ? { id: row.id, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at), body: row.body } : null;
  }

  async purge(now: number): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < this.purgeMaxBatches; i++) {
      // Rows another node is deleting right now are skipped, not waited for: that node deletes them.
      const res = await this.pool.query(
        `DELETE FROM reports WHERE id IN (
          SELECT id FROM reports WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [now, this.purgeBatch],
      );
      deleted += res.rowCount ?? 0;
      if ((res.rowCount ?? 0) < this.purgeBatch) break;
    }
    return deleted;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}

/** Where DATABASE_URL points, without the password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** The one line a failed start prints: what went wrong, where, and what to do; never the password. */
export function startError(err: unknown, url: string): ConfigError {
  const where = describeDatabaseUrl(url);
  const e = err as { code?: string; message?: string };
  const msg = String(e.message ?? err);
  if (err instanceof MigrationError) return new ConfigError('DATABASE_URL', `DATABASE_URL (${where}): ${msg}`);
  if (e.code === '28P01' || e.code === '28000' || /password|SASL|authentication/i.test(msg)) {
    return new ConfigError('DATABASE_URL', `DATABASE_URL (${where}): PostgreSQL refused the login (authentication failed): fix the user and password in DATABASE_URL or the server's pg_hba.conf`);
  }
  if (e.code === '3D000') return new ConfigError('DATABASE_URL', `DATABASE_URL (${where}): the database does not exist: create it (createdb) or fix the name in DATABASE_URL`);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'EHOSTUNREACH' || e.code === 'ETIMEDOUT' || /timeout|terminated/i.test(msg)) {
    return new ConfigError('DATABASE_URL', `DATABASE_URL (${where}): cannot reach PostgreSQL (${e.code ?? msg.split('\n')[0]}): start it, or fix the host and port in DATABASE_URL`);
  }
  return new ConfigError('DATABASE_URL', `DATABASE_URL (${where}): cannot open the report store: ${msg.split('\n')[0]}`);
}
