// HTTP API for saved reports, mounted through startApp's extra routes:
//   POST /api/reports        {report, redact?: boolean (default true)} → 201 {id, url: '/report/<id>', expiresAt, redacted}
//                            (report: a two-person room's report, or a lobby's with kind: 'lobby')
//   GET  /api/reports/<id>   → the saved report JSON; 404 when unknown or expired
// The body is size- and depth-limited and schema-checked before anything is written; errors are {code, error}.
// Per client (clientKey of the address, through TRUST_PROXY): saves are rate-limited (a token bucket per client,
// least recently seen client forgotten first) and the live reports it holds are capped (in the store).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseBoundedJson } from '../../common/bounded-json';
import { redactReport } from '../../common/redact-report';
import { lobbyReportSchema } from '../../common/lobby-report';
import type { SavedReportBody } from '../../common/lobby-report-kind';
import { reportSchema } from '../../common/report-schema';
import { clientKey } from '../../turn/security/client-key';
import { RateLimiter } from '../../turn/security/rate-limiter';
import { clientAddressOf, type TrustedProxies } from '../http/client-address';
import type { ReportStore } from './report-store';
import { SqliteReportStore, type SqliteReportStoreOptions } from './sqlite-report-store';

export const DEFAULT_MAX_REPORT_BYTES = 512 * 1024;
/** Address-like spans one report may hold (each costs a parse when masking; a real report holds < 5,000). */
export const DEFAULT_MAX_REPORT_ADDRESSES = 10_000;
/** Deepest nesting a report body may have (a report needs 7 levels). */
export const MAX_REPORT_DEPTH = 16;

const saveBody = z.object({ report: z.unknown(), redact: z.boolean().optional() });

/** A two-person report (common/report-schema.ts), or a lobby's (`kind: 'lobby'`, common/lobby-report.ts): same limits, same masking. */
function parseSavedReport(report: unknown): { ok: true; report: SavedReportBody } | { ok: false; error: string } {
  const lobby = typeof report === 'object' && report !== null && (report as { kind?: unknown }).kind === 'lobby';
  const parsed = lobby ? lobbyReportSchema.safeParse(report) : reportSchema.safeParse(report);
  if (parsed.success) return { ok: true, report: parsed.data as SavedReportBody };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `not a p2pcheck ${lobby ? 'lobby ' : ''}report at ${['report', ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'invalid'}` };
}

export interface ReportRoutesOptions extends SqliteReportStoreOptions {
  /** Where reports live; when absent, SQLite in `dataDir` with the limits above. The routes close it on close(). */
  store?: ReportStore;
  /** Told when a background purge fails (the database is down); the next one tries again. */
  onPurgeError?: (err: unknown) => void;
  maxBytes?: number;
  /** How often expired reports are deleted, ms (the timer never keeps the process alive). */
  purgeEveryMs?: number;
  /** Saves allowed per client (clientKey): burst and refill per minute. */
  savesPerMinute?: number;
  /** Address-like spans a report may hold; more is refused (400 too-many-addresses) before masking ends. */
  maxAddresses?: number;
  /** Clients the save limiter remembers at once (the least recently seen is forgotten first). */
  trackedClients?: number;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY); null = the socket's peer is the client. */
  trustedProxies?: TrustedProxies;
  now?: () => number;
}

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface ReportRoutes {
  route: Route;
  store: ReportStore;
  close(): Promise<void>;
}

export function createReportRoutes(opts: ReportRoutesOptions): ReportRoutes {
  const now = opts.now ?? Date.now;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_REPORT_BYTES;
  const perMinute = opts.savesPerMinute ?? 30;
  const maxAddresses = opts.maxAddresses ?? DEFAULT_MAX_REPORT_ADDRESSES;
  const store = opts.store ?? new SqliteReportStore(opts);
  const purge = () => void store.purge(now()).catch((err: unknown) => opts.onPurgeError?.(err));
  purge();
  const timer = setInterval(purge, opts.purgeEveryMs ?? 3_600_000);
  timer.unref();
  const limiter = new RateLimiter(perMinute / 60, { burst: perMinute, maxTracked: opts.trackedClients ?? 100_000 });

  const route: Route = async (req, res, url) => {
    if (url.pathname !== '/api/reports' && !url.pathname.startsWith('/api/reports/')) return false;
    if (url.pathname === '/api/reports' || url.pathname === '/api/reports/') {
      if (req.method !== 'POST') return reply(res, 405, { code: 'method', error: 'use POST to save a report' });
      const client = clientKey(clientAddressOf(req, opts.trustedProxies ?? null));
      if (!limiter.take(client, now())) {
        req.resume();
        return reply(res, 429, { code: 'rate-limited', error: `too many saved reports from this address: at most ${perMinute} a minute; try again in a minute` }, {
          'retry-after': String(Math.max(1, limiter.retryAfterSeconds(client, now()))),
        });
      }
      const type = req.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(type)) return reply(res, 415, { code: 'content-type', error: 'send the report as application/json' });
      const body = await readBody(req, maxBytes);
      if (!body.ok) return reply(res, body.status, { code: body.code, error: body.error });
      const json = parseBoundedJson(body.text, { maxBytes, maxDepth: MAX_REPORT_DEPTH });
      if (!json.ok) {
        if (json.code === 'too-deep') return reply(res, 400, { code: 'too-deep', error: `the report is nested deeper than ${MAX_REPORT_DEPTH} levels` });
        if (json.code === 'too-large') return reply(res, 413, { code: 'too-large', error: `the report is larger than ${Math.round(maxBytes / 1024)} KB` });
        return reply(res, 400, { code: 'bad-json', error: 'the request body is not valid JSON' });
      }
      const parsed = saveBody.safeParse(json.value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return reply(res, 400, { code: 'bad-report', error: `not a p2pcheck report${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}` });
      }
      const checked = parseSavedReport(parsed.data.report);
      if (!checked.ok) return reply(res, 400, { code: 'bad-report', error: checked.error });
      const redact = parsed.data.redact !== false;
      // Save what was checked (fields the schema does not name are already dropped), masked unless asked not to.
      const report = redact ? redactReport(checked.report, maxAddresses) : { ...checked.report, redacted: false };
      if (!report) {
        return reply(res, 400, { code: 'too-many-addresses', error: `the report holds more than ${maxAddresses} addresses to check for masking; a real one holds a few thousand at most` });
      }
      let saved;
      try {
        saved = await store.save(JSON.stringify(report), now(), client);
      } catch {
        return unavailable(res);
      }
      if (!saved.ok) {
        if (saved.code === 'too-many-reports') return reply(res, 429, { code: saved.code, error: saved.error }, { 'retry-after': String(saved.retryAfterSeconds) });
        return reply(res, 503, { code: saved.code, error: saved.error });
      }
      return reply(res, 201, { id: saved.id, url: `/report/${saved.id}`, expiresAt: saved.expiresAt, redacted: redact });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, { code: 'method', error: 'use GET to read a saved report' });
    const id = url.pathname.slice('/api/reports/'.length);
    let found;
    try {
      found = await store.get(id, now());
    } catch {
      return unavailable(res);
    }
    if (!found) return reply(res, 404, { code: 'not-found', error: 'no such report: the link is wrong, or the report expired' });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'private, max-age=60',
      'x-report-expires-at': String(found.expiresAt),
    });
    res.end(req.method === 'HEAD' ? undefined : found.body);
    return true;
  };

  return {
    route,
    store,
    async close() {
      clearInterval(timer);
      await store.close();
    },
  };
}

/** The database did not answer (down, or a statement timed out): nothing was saved; the client may retry. */
function unavailable(res: ServerResponse): true {
  return reply(res, 503, { code: 'store-unavailable', error: 'saved reports are unavailable right now; try again in a minute' }, { 'retry-after': '60' });
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
  return true;
}

type BodyResult = { ok: true; text: string } | { ok: false; status: number; code: string; error: string };

async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(req, maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return tooLarge(req, maxBytes);
    chunks.push(chunk as Buffer);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

function tooLarge(req: IncomingMessage, maxBytes: number): BodyResult {
  // Stop reading; the reply goes out and the connection closes.
  req.resume();
  return { ok: false, status: 413, code: 'too-large', error: `the report is larger than ${Math.round(maxBytes / 1024)} KB` };
}
