// The HTTP side: the built page, the small JSON API, /metrics, and the /ws upgrade. Every handler contains its
// errors: the request is answered (400/500 JSON, or a refusal on the raw socket for upgrades), the error is
// counted and logged once (Incidents), and the process goes on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ErrorCode, type IceServersResponse, type ServerInfo } from '../../common/messages';
import { clientKey } from '../../turn/security/client-key';
import type { RateLimiter } from '../../turn/security/rate-limiter';
import type { Incidents } from '../security/incidents';
import type { SignalingServer } from '../ws/signaling-server';
import { clientAddressOf, type TrustedProxies } from './client-address';
import type { IceRegion } from '../regions/region-config';
import { regionInfo } from '../regions/region-config';
import { buildIceServers, buildRegionIceServers, hostFromHeader, type TurnEndpoints } from './ice-servers';
import { createMetricsHandler } from './metrics-route';
import type { Readiness } from './readiness';
import { refuseOnSocket, sendError, sendJson } from './responses';
import { createStaticHandler } from './static-files';

export { sendJson } from './responses';

export interface ApiContext {
  logger: Logger;
  signaling: SignalingServer;
  staticDir: string;
  iceHost: string | null;
  iceTtlSeconds: number;
  turn: (TurnEndpoints & { secret: string; altPort: number | null; altHost: string | null; counters: () => object }) | null;
  registry: Registry;
  version: string;
  /** Extra routes mounted by later features (reports, probes); return true when handled. */
  routes?: ((req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean)[];
  incidents: Incidents;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: TrustedProxies;
  /** TURN credentials from /api/ice-servers per client key. */
  iceLimiter: RateLimiter;
  /** /metrics on this port: its bearer token (null = open); `onMainPort` false when it has its own listener. */
  metrics: { token: string | null; onMainPort: boolean };
  /** /readyz: draining flag and dependency checks (absent = always ready). */
  readiness?: Readiness;
  /** ICE_REGIONS (signal/regions); empty or absent = the bundled server is the one region. */
  regions?: readonly IceRegion[];
  /** Origins besides this host's the page may fetch from (the regions' probe peers), for the page's CSP. */
  connectOrigins?: readonly string[];
}

/** The request target as a URL, or null when it cannot be parsed (e.g. `//[`). */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

/** The key per-client limits count under: the client's address (through trusted proxies), IPv6 by /64. */
function clientOf(req: IncomingMessage, proxies: TrustedProxies): string {
  return clientKey(clientAddressOf(req, proxies));
}

export function createHttpServer(ctx: ApiContext): Server {
  const serveStatic = createStaticHandler(ctx.staticDir, ctx.connectOrigins ?? []);
  const serveMetrics = createMetricsHandler(ctx.registry, ctx.metrics.token, ctx.incidents);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      ctx.incidents.handlerError('http', err, { method: req.method, url: req.url?.slice(0, 200) });
      try {
        if (!res.headersSent) sendError(res, 500, ErrorCode.serverError, 'internal error');
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
  });

  const readOnly = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    sendError(res, 405, ErrorCode.methodNotAllowed, 'method not allowed: use GET', { headers: { allow: 'GET, HEAD' } });
    return false;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) {
      ctx.incidents.refused('bad-request', { url: req.url?.slice(0, 200) });
      return sendError(res, 400, ErrorCode.badRequest, 'the request target is not a valid path');
    }
    for (const route of ctx.routes ?? []) if (await route(req, res, url)) return;
    switch (url.pathname) {
      case '/api/ice-servers': {
        if (!readOnly(req, res)) return;
        const regions = ctx.regions ?? [];
        if (!ctx.turn && regions.length === 0) return sendJson(res, 200, { iceServers: [], ttl: 0 }, { 'cache-control': 'no-store' });
        const client = clientOf(req, ctx.trustProxy);
        const now = Date.now();
        if (!ctx.iceLimiter.take(client, now)) {
          const retryAfter = Math.max(1, ctx.iceLimiter.retryAfterSeconds(client, now));
          ctx.incidents.refused('ice-credentials-rate', { client });
          return sendError(res, 429, ErrorCode.rateLimited, `too many TURN credential requests from your address; try again in ${retryAfter} s`, { retryAfter });
        }
        if (regions.length > 0) {
          // With regions the first one is the default until the page has ranked them (it then uses `regions`).
          const perRegion = buildRegionIceServers(regions, ctx.iceTtlSeconds, now);
          const body: IceServersResponse = { iceServers: perRegion[0]!.iceServers, ttl: ctx.iceTtlSeconds, regions: perRegion };
          return sendJson(res, 200, body, { 'cache-control': 'no-store' });
        }
        const host = ctx.iceHost ?? hostFromHeader(req.headers.host);
        if (!host) return sendError(res, 400, ErrorCode.badRequest, 'cannot tell which host to put in the ICE URLs: send a Host header or set ICE_HOST');
        const body = buildIceServers({ host, turn: ctx.turn!, secret: ctx.turn!.secret, ttlSeconds: ctx.iceTtlSeconds, nowMs: now });
        return sendJson(res, 200, body, { 'cache-control': 'no-store' });
      }
      case '/api/config': {
        if (!readOnly(req, res)) return;
        const host = ctx.iceHost ?? hostFromHeader(req.headers.host);
        const info: ServerInfo = {
          version: ctx.version,
          turn: {
            enabled: ctx.turn !== null,
            primary: ctx.turn && host ? { host, port: ctx.turn.udpPort } : null,
            alternatePort: ctx.turn?.altPort ?? null,
            alternateHost: ctx.turn?.altHost ?? null,
            tcp: ctx.turn?.tcpPort != null,
            tls: ctx.turn?.tlsPort != null,
          },
          ...(ctx.regions?.length ? { regions: ctx.regions.map(regionInfo) } : {}),
        };
        return sendJson(res, 200, info, { 'cache-control': 'no-store' });
      }
      case '/api/status':
        if (!readOnly(req, res)) return;
        return sendJson(res, 200, { signaling: ctx.signaling.counters(), turn: ctx.turn?.counters() ?? null }, { 'cache-control': 'no-store' });
      case '/healthz':
        if (!readOnly(req, res)) return;
        return sendJson(res, 200, { ok: true }, { 'cache-control': 'no-store' });
      case '/readyz': {
        if (!readOnly(req, res)) return;
        const report = ctx.readiness ? await ctx.readiness.report() : { ready: true, draining: false, checks: {} };
        return sendJson(res, report.ready ? 200 : 503, report, { 'cache-control': 'no-store' });
      }
      case '/metrics':
        if (ctx.metrics.onMainPort) return serveMetrics(req, res);
        return sendError(res, 404, ErrorCode.notFound, 'no such path: /metrics');
    }
    if (url.pathname.startsWith('/api/')) return sendError(res, 404, ErrorCode.notFound, `no such API: ${url.pathname.slice(0, 200)}`);
    if (!readOnly(req, res)) return;
    await serveStatic(req, res, url.pathname);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = requestUrl(req);
      if (!url) {
        ctx.incidents.refused('bad-request', { url: req.url?.slice(0, 200), upgrade: true });
        refuseOnSocket(socket, 400, ErrorCode.badRequest, 'the request target is not a valid path');
        return;
      }
      if (url.pathname !== '/ws') {
        refuseOnSocket(socket, 404, ErrorCode.notFound, 'nothing to upgrade here; signaling is at /ws');
        return;
      }
      ctx.signaling.handleUpgrade(req, socket, head, clientOf(req, ctx.trustProxy));
    } catch (err) {
      ctx.incidents.handlerError('upgrade', err, { url: req.url?.slice(0, 200) });
      refuseOnSocket(socket, 500, ErrorCode.serverError, 'internal error');
    }
  });

  // Requests Node cannot parse as HTTP: answered like Node does by default, but with our headers and error shape.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    ctx.incidents.refused('bad-request', { detail: err.code });
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    refuseOnSocket(socket, status, ErrorCode.badRequest, 'the request could not be read as HTTP');
  });
  return server;
}
