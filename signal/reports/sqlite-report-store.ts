// Saved reports in SQLite (better-sqlite3, synchronous: one statement per call, each atomic, so a crash never
// leaves half a report). Ids are 18 random bytes in base64url (144 bits): a link cannot be guessed. Reports
// expire `ttlMs` after saving; reads never return an expired one, and purge() deletes them for good. Each report
// remembers which client saved it (a clientKey: IPv4 address or IPv6 /64), so one client can hold at most
// `maxPerClient` live reports. Databases from before that column get it added at open; their reports stay
// readable and count for no client.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPORT_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;

export const newReportId = () => randomBytes(18).toString('base64url');

export interface SavedReport {
  id: string;
  createdAt: number;
  expiresAt: number;
  /** The report JSON as saved. */
  body: string;
}

export interface ReportStoreOptions {
  /** Directory for reports.sqlite (created when missing); ':memory:' keeps everything in memory. */
  dataDir: string;
  ttlMs: number;
  /** Most reports kept; saving beyond it is refused until some expire. */
  maxReports?: number;
  /** Most live reports one client (clientKey) may hold; 0 = no per-client limit. */
  maxPerClient?: number;
}

export type SaveResult =
  | { ok: true; id: string; expiresAt: number }
  | { ok: false; code: 'store-full'; error: string }
  | { ok: false; code: 'too-many-reports'; error: string; retryAfterSeconds: number };

export class ReportStore {
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

  constructor(opts: ReportStoreOptions) {
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
        if (mine.n >= this.maxPerClient) {
          const retryAfterSeconds = Math.max(1, Math.ceil(((mine.oldest ?? now) - now) / 1000));
          return {
            ok: false,
            code: 'too-many-reports',
            error: `this address already has ${mine.n} saved reports (at most ${this.maxPerClient}); another can be saved when the oldest expires`,
            retryAfterSeconds,
          };
        }
      }
      if (this.countLive.get(now)!.n >= this.maxReports) {
        return { ok: false, code: 'store-full', error: `the server keeps at most ${this.maxReports} saved reports; try again after older ones expire` };
      }
      const id = newReportId();
      const expiresAt = now + this.ttlMs;
      this.insert.run(id, now, expiresAt, body, client);
      return { ok: true, id, expiresAt };
    });
  }

  /** Saves a report for `client` (a clientKey; null = counted for no client). */
  save(body: string, now: number, client: string | null = null): SaveResult {
    return this.saveChecked(body, now, client);
  }

  /** Live reports `client` holds now. */
  liveCount(client: string, now: number): number {
    return this.countLiveFor.get(client, now)!.n;
  }

  /** The live report with this id, or null when unknown or expired. */
  get(id: string, now: number): SavedReport | null {
    if (!REPORT_ID_PATTERN.test(id)) return null;
    return this.select.get(id, now) ?? null;
  }

  /** Deletes expired reports; returns how many. */
  purge(now: number): number {
    return this.deleteExpired.run(now).changes;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
