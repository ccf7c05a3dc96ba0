// The HTTP side: the built page, the small JSON API, /metrics, and the /ws upgrade.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServerInfo } from '../../common/messages';
import { buildIceServers, hostFromHeader, type TurnEndpoints } from './ice-servers';
import { createStaticHandler } from './static-files';
import type { SignalingServer } from '../ws/signaling-server';

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
}

export function createHttpServer(ctx: ApiContext): Server {
  const serveStatic = createStaticHandler(ctx.staticDir);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      ctx.logger.error({ err: err instanceof Error ? err.message : String(err), url: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    for (const route of ctx.routes ?? []) if (await route(req, res, url)) return;
    switch (url.pathname) {
      case '/api/ice-servers': {
        if (!ctx.turn) return sendJson(res, 200, { iceServers: [], ttl: 0 });
        const host = ctx.iceHost ?? hostFromHeader(req.headers.host);
        if (!host) return sendJson(res, 400, { error: 'cannot tell which host to put in the ICE URLs: send a Host header or set ICE_HOST' });
        const body = buildIceServers({ host, turn: ctx.turn, secret: ctx.turn.secret, ttlSeconds: ctx.iceTtlSeconds, nowMs: Date.now() });
        return sendJson(res, 200, body, { 'cache-control': 'no-store' });
      }
      case '/api/config': {
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
        };
        return sendJson(res, 200, info, { 'cache-control': 'no-store' });
      }
      case '/api/status':
        return sendJson(res, 200, { signaling: ctx.signaling.counters(), turn: ctx.turn?.counters() ?? null }, { 'cache-control': 'no-store' });
      case '/healthz':
        return sendJson(res, 200, { ok: true });
      case '/metrics': {
        const body = await ctx.registry.metrics();
        res.writeHead(200, { 'content-type': ctx.registry.contentType }).end(body);
        return;
      }
    }
    if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: `no such API: ${url.pathname}` });
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    await serveStatic(req, res, url.pathname);
  }

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    ctx.signaling.handleUpgrade(req, socket, head);
  });
  return server;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}
