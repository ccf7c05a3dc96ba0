// /metrics (Prometheus). Open by default, like the rest of the API; for a public deployment either ask for a
// bearer token (METRICS_TOKEN: scrape with `authorization: Bearer <token>`) or serve it on its own listener
// (METRICS_PORT on METRICS_HOST, default 127.0.0.1 — then the main port answers 404 for /metrics), or both.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { ErrorCode } from '../../common/messages';
import type { Incidents } from '../security/incidents';
import { sendError } from './responses';
import { SECURITY_HEADERS } from './security-headers';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** True when the request carries `authorization: Bearer <token>` (compared in constant time). */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}

export function createMetricsHandler(registry: Registry, token: string | null, incidents: Incidents) {
  return async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(res, 405, ErrorCode.methodNotAllowed, 'method not allowed: use GET', { headers: { allow: 'GET, HEAD' } });
    }
    if (token !== null && !bearerMatches(req, token)) {
      incidents.refused('metrics-token');
      return sendError(res, 401, ErrorCode.unauthorized, 'metrics need the bearer token (METRICS_TOKEN)', { headers: { 'www-authenticate': 'Bearer realm="p2pcheck metrics"' } });
    }
    const body = await registry.metrics();
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
  };
}

/** The own listener of METRICS_PORT: /metrics and nothing else. */
export function createMetricsServer(registry: Registry, token: string | null, incidents: Incidents): Server {
  const serve = createMetricsHandler(registry, token, incidents);
  return createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const answer = path === '/metrics' ? serve(req, res) : Promise.resolve(sendError(res, 404, ErrorCode.notFound, 'only /metrics is served here'));
    answer.catch((err: unknown) => {
      incidents.handlerError('metrics', err);
      if (!res.headersSent) sendError(res, 500, ErrorCode.serverError, 'internal error');
      else res.destroy();
    });
  });
}
