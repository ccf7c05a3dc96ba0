// Settings of saved reports, from the environment (embedded defaults: ./data, 30 days, fair shares per client).
import { intFromEnv } from '../config';
import type { ReportRoutesOptions } from './report-routes';

export function reportConfigFromEnv(env: NodeJS.ProcessEnv): ReportRoutesOptions {
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
  };
}
