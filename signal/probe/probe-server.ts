// The probe peer on a listener of its own, for the standalone TURN server (`npm run turn`): a region is then one
// process — TURN/STUN plus the probe the page's NAT check talks to. The same probe feature as in `npm start`
// (probe-feature.ts), mounted behind CORS because the page comes from the signaling server's origin.
//
//   TURN_PROBE_PORT     port of the probe API (default 9642; off = no probe peer)
//   TURN_PROBE_ORIGINS  page origins allowed to call it (comma list, or * = any; default *)
// With TURN_TLS_CERT/TURN_TLS_KEY the listener speaks HTTPS with that certificate (a page on https:// can only
// fetch https://). Limits: PROBE_MAX_SESSIONS, PROBE_MAX_PER_IP, PROBE_CHECKS_PER_SECOND (probe-config.ts).
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError } from '../../turn/config-error';
import type { ProbeHooks } from '../../turn/node/probe-hooks';
import { parseAllowedOrigins, type OriginAllowList } from '../security/origin-policy';
import { probeLimitsFromEnv } from './probe-config';
import { createProbeFeature, type ProbeFeature } from './probe-feature';

export interface ProbeServerConfig {
  /** null = no probe peer (TURN_PROBE_PORT=off). */
  port: number | null;
  origins: OriginAllowList;
}

export function probeServerConfigFromEnv(env: NodeJS.ProcessEnv): ProbeServerConfig {
  const rawPort = env.TURN_PROBE_PORT?.trim() || '9642';
  let port: number | null = null;
  if (rawPort.toLowerCase() !== 'off') {
    if (!/^\d+$/.test(rawPort) || Number(rawPort) > 65535) throw new ConfigError('TURN_PROBE_PORT', `TURN_PROBE_PORT must be a port from 0 to 65535 or off (no probe peer), got "${rawPort}"`);
    port = Number(rawPort);
  }
  const origins = parseAllowedOrigins(env.TURN_PROBE_ORIGINS?.trim() || '*');
  if ('error' in origins) throw new ConfigError('TURN_PROBE_ORIGINS', `TURN_PROBE_ORIGINS: ${origins.error}; or * for any page`);
  // Checked here with the rest, so a bad limit stops the start instead of the first NAT check.
  probeLimitsFromEnv(env);
  return { port, origins };
}

/** What the probe needs of the running TURN server (structural: turn/node/turn-server.ts's RunningTurnServer). */
export interface ProbeTurn {
  udpPort: number;
  altPort: number | null;
  probe: ProbeHooks;
}

export interface RunningProbeServer {
  port: number;
  feature: ProbeFeature;
  close(): Promise<void>;
}

export async function startProbeServer(opts: {
  config: ProbeServerConfig & { port: number };
  turn: ProbeTurn;
  env: NodeJS.ProcessEnv;
  /** Address to listen on (the TURN server's TURN_LISTEN). */
  host: string;
  tls: { cert: string; key: string } | null;
  logger: Logger;
}): Promise<RunningProbeServer> {
  const feature = createProbeFeature({ limits: probeLimitsFromEnv(opts.env) });
  feature.attach({ config: { iceHost: opts.env.ICE_HOST?.trim() || null }, turn: opts.turn }, opts.env);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      opts.logger.error({ err, event: 'probe-error', url: req.url?.slice(0, 200) }, 'probe request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":"server-error","error":"internal error"}');
      else res.destroy();
    });
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && (opts.config.origins.any || opts.config.origins.origins.has(origin));
    if (allowed) {
      res.setHeader('access-control-allow-origin', opts.config.origins.any ? '*' : origin);
      res.setHeader('vary', 'origin');
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://probe');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.method === 'OPTIONS') {
      // CORS preflight of the JSON POSTs and the DELETE.
      if (!allowed) return void res.writeHead(403).end();
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST, DELETE', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' }).end();
      return;
    }
    if (origin !== undefined && !allowed) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"code":"origin","error":"this page may not use this probe (TURN_PROBE_ORIGINS)"}');
      return;
    }
    if (await feature.route(req, res, url)) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'not-found', error: `no such API: ${url.pathname.slice(0, 200)}` }));
  };
  const server: Server = opts.tls ? createHttpsServer({ cert: readFileSync(opts.tls.cert), key: readFileSync(opts.tls.key) }, handler) : createHttpServer(handler);
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      feature.detach();
      reject(new ConfigError('TURN_PROBE_PORT', `p2pcheck TURN: cannot serve the probe peer on port ${opts.config.port}: ${err.code ?? err.message} (set TURN_PROBE_PORT to a free port, or off)`));
    });
    server.listen(opts.config.port, opts.host, () => resolve());
  });
  server.on('error', (err) => opts.logger.warn({ err, event: 'probe-accept-error' }, 'probe listener error'));
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  return {
    port,
    feature,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        feature.detach();
        server.closeAllConnections();
        server.close(() => resolve());
      })),
  };
}
