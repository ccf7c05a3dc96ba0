// Saved reports in SQLite (better-sqlite3, synchronous: one statement per call, each atomic, so a crash never
// leaves half a report), the embedded default. Reports expire `ttlMs` after saving; reads never return an expired
// one, and purge() deletes them for good. Each report remembers which client saved it, for the per-client limit.
// Databases from before that column get it added at open; their reports stay readable and count for no client.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { newReportId, REPORT_ID_PATTERN, storeFull, tooManyReports, type ReportLimits, type ReportStore, type SavedReport, type SaveResult } from './report-store';

export interface SqliteReportStoreOptions extends ReportLimits {
  /** Directory for reports.sqlite (created when missing); ':memory:' keeps everything in memory. */
  dataDir: string;
}

export class SqliteReportStore implements ReportStore {
  readonly engine = 'sqlite';
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, number, number, string, string | null]>;
  private readonly select: Database.Statement<[string, number], SavedReport>;
  private readonly deleteExpired: Database.Statement<[number]>;
  private readonly countLive: Database.Statement<[number], { n: number }>;
  private readonly countLiveFor: Database.Statement<[string, number], { n: number; oldest: number | null }>;
  private readonly saveChecked: (body: string, now: number, client: string | null) => SaveResult;
  readonly ttlMs: number;
  readonly maxReports: number;
  readonly maxPerClient: number;
  private closed = false;

  constructor(opts: SqliteReportStoreOptions) {
    this.ttlMs = opts.ttlMs;
    this.maxReports = opts.maxReports ?? 100_000;
    this.maxPerClient = opts.maxPerClient ?? 0;
    let file = ':memory:';
    if (opts.dataDir !== ':memory:') {
      mkdirSync(opts.dataDir, { recursive: true });
      file = join(opts.dataDir, 'reports.sqlite');
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS reports (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS reports_expires ON reports (expires_at);`);
    // Migration: the saving client's key (added for the per-client limit). Existing rows keep client NULL.
    const columns = this.db.prepare<[], { name: string }>('SELECT name FROM pragma_table_info(\'reports\')').all();
    if (!columns.some((c) => c.name === 'client')) this.db.exec('ALTER TABLE reports ADD COLUMN client TEXT');
    this.db.exec('CREATE INDEX IF NOT EXISTS reports_client ON reports (client, expires_at)');
    this.insert = this.db.prepare('INSERT INTO reports (id, created_at, expires_at, body, client) VALUES (?, ?, ?, ?, ?)');
    this.select = this.db.prepare('SELECT id, created_at AS createdAt, expires_at AS expiresAt, body FROM reports WHERE id = ? AND expires_at > ?');
    this.deleteExpired = this.db.prepare('DELETE FROM reports WHERE expires_at <= ?');
    this.countLive = this.db.prepare('SELECT count(*) AS n FROM reports WHERE expires_at > ?');
    this.countLiveFor = this.db.prepare('SELECT count(*) AS n, min(expires_at) AS oldest FROM reports WHERE client = ? AND expires_at > ?');
    // Count and insert in one transaction: the limits hold however saves interleave.
    this.saveChecked = this.db.transaction((body: string, now: number, client: string | null): SaveResult => {
      if (client !== null && this.maxPerClient > 0) {
        const mine = this.countLiveFor.get(client, now)!;
        if (mine.n >= this.maxPerClient) return tooManyReports(mine.n, this.maxPerClient, mine.oldest, now);
      }
      if (this.countLive.get(now)!.n >= this.maxReports) return storeFull(this.maxReports);
      const id = newReportId();
      const expiresAt = now + this.ttlMs;
      this.insert.run(id, now, expiresAt, body, client);
      return { ok: true, id, expiresAt };
    });
  }

  async save(body: string, now: number, client: string | null = null): Promise<SaveResult> {
    return this.saveChecked(body, now, client);
  }

  async liveCount(client: string, now: number): Promise<number> {
    return this.countLiveFor.get(client, now)!.n;
  }

  async get(id: string, now: number): Promise<SavedReport | null> {
    if (!REPORT_ID_PATTERN.test(id)) return null;
    return this.select.get(id, now) ?? null;
  }

  async purge(now: number): Promise<number> {
    return this.deleteExpired.run(now).changes;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the report store is closed');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
