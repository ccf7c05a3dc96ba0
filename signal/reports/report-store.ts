// Saved reports in SQLite (better-sqlite3, synchronous: one statement per call, each atomic, so a crash never
// leaves half a report). Ids are 18 random bytes in base64url (144 bits): a link cannot be guessed. Reports
// expire `ttlMs` after saving; reads never return an expired one, and purge() deletes them for good.
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
}

export type SaveResult = { ok: true; id: string; expiresAt: number } | { ok: false; code: 'store-full'; error: string };

export class ReportStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, number, number, string]>;
  private readonly select: Database.Statement<[string, number], SavedReport>;
  private readonly deleteExpired: Database.Statement<[number]>;
  private readonly countLive: Database.Statement<[number], { n: number }>;
  readonly ttlMs: number;
  readonly maxReports: number;
  private closed = false;

  constructor(opts: ReportStoreOptions) {
    this.ttlMs = opts.ttlMs;
    this.maxReports = opts.maxReports ?? 100_000;
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
    this.insert = this.db.prepare('INSERT INTO reports (id, created_at, expires_at, body) VALUES (?, ?, ?, ?)');
    this.select = this.db.prepare('SELECT id, created_at AS createdAt, expires_at AS expiresAt, body FROM reports WHERE id = ? AND expires_at > ?');
    this.deleteExpired = this.db.prepare('DELETE FROM reports WHERE expires_at <= ?');
    this.countLive = this.db.prepare('SELECT count(*) AS n FROM reports WHERE expires_at > ?');
  }

  save(body: string, now: number): SaveResult {
    if (this.countLive.get(now)!.n >= this.maxReports) {
      return { ok: false, code: 'store-full', error: `the server keeps at most ${this.maxReports} saved reports; try again after older ones expire` };
    }
    const id = newReportId();
    const expiresAt = now + this.ttlMs;
    this.insert.run(id, now, expiresAt, body);
    return { ok: true, id, expiresAt };
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
