// `npm start` entry: one process serving the page, /ws signaling, the API and the bundled STUN/TURN server.
import { networkInterfaces } from 'node:os';
import { ConfigError } from '../turn/config-error';
import { signalConfigFromEnv } from './config';
import { startApp } from './app';
import { createProbeFeature } from './probe/probe-feature';
import { probeLimitsFromEnv } from './probe/probe-config';
import { reportConfigFromEnv } from './reports/report-config';
import { createReportRoutes } from './reports/report-routes';
import { openReportStore } from './reports/open-report-store';

// Last resort only: every request, upgrade, socket and message handler contains its own errors (Incidents). An
// exception that still gets here means the process state is unknown, so it is logged loudly and the process exits
// non-zero for the supervisor (systemd, Docker) to restart it — never swallowed and carried on with.
function fatal(kind: string, err: unknown): never {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  console.error(`p2pcheck: FATAL ${kind}, exiting: ${text}`);
  process.exit(70); // EX_SOFTWARE
}
process.on('uncaughtException', (err) => fatal('uncaught exception', err));
process.on('unhandledRejection', (reason) => fatal('unhandled promise rejection', reason));

async function main(): Promise<void> {
  // The NAT-diagnosis probe peer: HTTP route now, TURN socket hooks once the server runs.
  const probe = createProbeFeature({ limits: probeLimitsFromEnv(process.env) });
  // Saved reports with permalinks: SQLite in DATA_DIR, or PostgreSQL when DATABASE_URL is set.
  const reportConfig = reportConfigFromEnv(process.env);
  const warn = (what: string, err: unknown) => console.error(`p2pcheck: saved reports: ${what}: ${err instanceof Error ? err.message : String(err)}`);
  const store = await openReportStore(reportConfig, warn);
  const reports = createReportRoutes({ ...reportConfig, store, onPurgeError: (err) => warn('purging expired reports failed', err), trustedProxies: signalConfigFromEnv(process.env).trustProxy });
  const app = await startApp(process.env, [probe.route, reports.route]);
  probe.attach(app, process.env);
  // /readyz is false while the shared report database does not answer (SQLite in DATA_DIR needs no check).
  if (store.engine === 'postgresql') app.readiness.add('postgres', () => store.ping());
  const { host } = app.config;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const lines = [`p2pcheck is running: open http://${shown}:${app.httpPort}/`];
  if (host === '0.0.0.0' || host === '::') {
    for (const addrs of Object.values(networkInterfaces())) {
      for (const a of addrs ?? []) {
        if (!a.internal && a.family === 'IPv4') lines.push(`  on your network: http://${a.address}:${app.httpPort}/`);
      }
    }
  }
  if (app.turn) {
    lines.push(`STUN/TURN on UDP${app.turn.tcpPort ? '+TCP' : ''} port ${app.turn.udpPort}${app.turn.tlsPort ? `, TLS port ${app.turn.tlsPort}` : ''}`);
    if (app.secretGenerated) lines.push('TURN_SECRET not set: generated a random one for this run (set TURN_SECRET to keep credentials valid across restarts).');
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    // SIGTERM drains (readiness false, no new rooms, running ones get DRAIN_TIMEOUT_S); SIGINT closes at once.
    const drain = signal === 'SIGTERM';
    const force = setTimeout(() => process.exit(1), 5000 + (drain ? app.config.drainTimeoutS * 1000 : 0));
    force.unref();
    (drain ? app.drain() : app.close()).then(
      () => reports.close().then(() => process.exit(0), () => process.exit(1)),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    // One line naming the setting and the fix; no stack trace.
    console.error(`p2pcheck: configuration error: ${err.message.split('\n')[0]}`);
  } else {
    console.error('p2pcheck failed to start:', err);
  }
  process.exit(1);
});
