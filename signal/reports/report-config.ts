// Settings of saved reports, from the environment (embedded defaults: SQLite in ./data, 30 days, fair shares per
// client). DATABASE_URL moves them to PostgreSQL, shared by every node.
import { ConfigError } from '../../turn/config-error';
import { intFromEnv } from '../config';
import type { ReportRoutesOptions } from './report-routes';

export interface DatabaseSettings {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface ReportConfig extends ReportRoutesOptions {
  /** PostgreSQL when DATABASE_URL is set; null = SQLite in dataDir. */
  database: DatabaseSettings | null;
}

export function reportConfigFromEnv(env: NodeJS.ProcessEnv): ReportConfig {
  return {
    dataDir: env.DATA_DIR || './data',
    ttlMs: intFromEnv(env, 'REPORT_TTL_DAYS', 30, 1, 3650) * 86_400_000,
    maxBytes: intFromEnv(env, 'REPORT_MAX_KB', 512, 16, 16_384) * 1024,
    maxReports: intFromEnv(env, 'REPORT_MAX_COUNT', 100_000, 1, 100_000_000),
    // Per client (IPv4 address or IPv6 /64, through TRUST_PROXY): live reports held, and saves a minute.
    maxPerClient: intFromEnv(env, 'REPORT_MAX_PER_IP', 1000, 0, 100_000_000),
    savesPerMinute: intFromEnv(env, 'REPORT_SAVES_PER_MINUTE', 30, 1, 100_000),
    trackedClients: intFromEnv(env, 'REPORT_TRACKED_CLIENTS', 100_000, 100, 10_000_000),
    // Masking parses every address-like span: bounded, so one save cannot hold the event loop for long.
    maxAddresses: intFromEnv(env, 'REPORT_MAX_ADDRESSES', 10_000, 100, 10_000_000),
    database: databaseFromEnv(env),
  };
}

function databaseFromEnv(env: NodeJS.ProcessEnv): DatabaseSettings | null {
  const url = env.DATABASE_URL?.trim();
  const poolMax = intFromEnv(env, 'DATABASE_POOL_MAX', 10, 1, 1000);
  const statementTimeoutMs = intFromEnv(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000);
  const connectTimeoutMs = intFromEnv(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000);
  if (!url) return null;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') || !parsed.hostname) {
    // The value may hold a password: it is not echoed.
    throw new ConfigError('DATABASE_URL', 'DATABASE_URL must be a postgres://user:password@host:5432/database URL (or unset for SQLite in DATA_DIR)');
  }
  return { url, poolMax, statementTimeoutMs, connectTimeoutMs };
}
