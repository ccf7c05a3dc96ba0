// Chooses the report store at start: PostgreSQL when DATABASE_URL is set, else SQLite in DATA_DIR (the default).
import { PgReportStore } from './pg-report-store';
import type { ReportConfig } from './report-config';
import type { ReportStore } from './report-store';
import { SqliteReportStore } from './sqlite-report-store';

export async function openReportStore(config: ReportConfig, onError: (what: string, err: unknown) => void = () => undefined): Promise<ReportStore> {
  if (!config.database) return new SqliteReportStore(config);
  return PgReportStore.open({ ...config, ...config.database, onPoolError: (err) => onError('idle PostgreSQL connection failed', err) });
}
