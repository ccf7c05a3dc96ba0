// The saved-report store: one small interface, two engines. SQLite (sqlite-report-store.ts) is the embedded default,
// a file in DATA_DIR; PostgreSQL (pg-report-store.ts) is used when DATABASE_URL is set, so any node of a fleet opens a
// report that another node saved. Both keep the same limits: at most `maxReports` live reports, at most
// `maxPerClient` per client (a clientKey: IPv4 address or IPv6 /64), each report expiring `ttlMs` after saving.
import { randomBytes } from 'node:crypto';

export const REPORT_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;

/** 18 random bytes in base64url (144 bits): a link cannot be guessed. */
export const newReportId = () => randomBytes(18).toString('base64url');

export interface SavedReport {
  id: string;
  createdAt: number;
  expiresAt: number;
  /** The report JSON as saved. */
  body: string;
}

export interface ReportLimits {
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

export interface ReportStore {
  readonly engine: 'sqlite' | 'postgresql';
  readonly ttlMs: number;
  readonly maxReports: number;
  readonly maxPerClient: number;
  /** Saves a report for `client` (a clientKey; null = counted for no client); the limits hold however saves interleave. */
  save(body: string, now: number, client?: string | null): Promise<SaveResult>;
  /** Live reports `client` holds now. */
  liveCount(client: string, now: number): Promise<number>;
  /** The live report with this id, or null when unknown or expired. */
  get(id: string, now: number): Promise<SavedReport | null>;
  /** Deletes expired reports; returns how many this call deleted (safe to run from every node at once). */
  purge(now: number): Promise<number>;
  /** Resolves when the store can serve (for a readiness check); rejects with the reason otherwise. */
  ping(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** The refusal when `client` already holds `held` live reports, the oldest expiring at `oldestExpiry`. */
export function tooManyReports(held: number, max: number, oldestExpiry: number | null, now: number): SaveResult {
  return {
    ok: false,
    code: 'too-many-reports',
    error: `this address already has ${held} saved reports (at most ${max}); another can be saved when the oldest expires`,
    retryAfterSeconds: Math.max(1, Math.ceil(((oldestExpiry ?? now) - now) / 1000)),
  };
}

export function storeFull(max: number): SaveResult {
  return { ok: false, code: 'store-full', error: `the server keeps at most ${max} saved reports; try again after older ones expire` };
}
