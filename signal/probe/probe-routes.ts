// HTTP API of the probe peer, mounted through startApp's extra routes:
//   POST   /api/probe/offer      {sdp}                → {id, answer: {type, sdp}, sources, expiresInMs}
//   POST   /api/probe/<id>/run   {srflx?: {address, port}, waitMs?} → ProbeRunResult (after ≤ ~5 s)
//   DELETE /api/probe/<id>
//   GET    /api/probe/status     → {ready, sources, sessions, handled, ignored, sent, runs}
// Errors are {code, error} with 4xx/503 statuses; bad input never reaches the registry.
import { lookup } from 'node:dns/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { z } from 'zod';
import { PROBE_ID_PATTERN } from './probe-registry';
import type { ProbeService } from './probe-service';

const MAX_BODY = 64 * 1024;

const offerBody = z.object({ sdp: z.string().min(1).max(MAX_BODY) });
const runBody = z.object({
  srflx: z.object({ address: z.string().max(64).refine((a) => isIP(a) !== 0, 'not an IP address'), port: z.number().int().min(1).max(65535) }).nullish(),
  /** How long to wait for the browser's first check before giving up (default 2500 ms). */
  waitMs: z.number().int().min(0).max(5000).optional(),
});

export interface ProbeRouteOptions {
  service: ProbeService;
  /** Host name or IP the page uses for STUN (ICE_HOST); null = the request's Host header. */
  iceHost: () => string | null;
  /** UDP port of the primary STUN endpoint, or null while the TURN server is not running. */
  primaryPort: () => number | null;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export function probeRoutes(opts: ProbeRouteOptions): Route {
  return async (req, res, url) => {
    if (!url.pathname.startsWith('/api/probe/')) return false;
    const rest = url.pathname.slice('/api/probe/'.length);
    if (rest === 'status') return reply(res, 200, { ready: opts.service.ready, sources: opts.service.vias(), ...opts.service.stats() });
    if (rest === 'offer') {
      if (req.method !== 'POST') return reply(res, 405, { code: 'method', error: 'use POST' });
      const port = opts.primaryPort();
      if (!opts.service.ready || port === null) return reply(res, 503, { code: 'no-probe', error: 'the bundled STUN server is not running, so the NAT tests are unavailable' });
      const body = await readJson(req, offerBody);
      if (!body.ok) return reply(res, 400, { code: 'bad-request', error: body.error });
      const address = await primaryAddress(opts.iceHost() ?? hostOnly(req.headers.host));
      if (!address) return reply(res, 400, { code: 'no-host', error: 'cannot tell the server\u2019s address: send a Host header with an IP or resolvable name, or set ICE_HOST' });
      const created = opts.service.registry.create(body.value.sdp, { address, port }, Date.now());
      if (!created.ok) return reply(res, created.code === 'busy' ? 503 : 400, { code: created.code, error: created.error });
      return reply(res, 200, {
        id: created.id,
        answer: { type: 'answer', sdp: created.answer },
        sources: opts.service.vias(),
        expiresInMs: opts.service.registry.ttlMs,
      });
    }
    const m = /^([^/]+)(\/run)?$/.exec(rest);
    if (!m || !PROBE_ID_PATTERN.test(m[1]!)) return reply(res, 404, { code: 'no-such-probe', error: `no such API: ${url.pathname}` });
    const id = m[1]!;
    if (m[2] === '/run') {
      if (req.method !== 'POST') return reply(res, 405, { code: 'method', error: 'use POST' });
      const body = await readJson(req, runBody);
      if (!body.ok) return reply(res, 400, { code: 'bad-request', error: body.error });
      const result = await opts.service.run(id, body.value.srflx ?? null, { waitForCheckMs: body.value.waitMs });
      if ('code' in result) {
        const status = result.code === 'no-such-probe' ? 404 : result.code === 'already-running' ? 409 : result.code === 'no-check-received' ? 422 : 400;
        return reply(res, status, result);
      }
      return reply(res, 200, result);
    }
    if (req.method !== 'DELETE') return reply(res, 405, { code: 'method', error: 'use DELETE' });
    opts.service.registry.delete(id);
    return reply(res, 204, null);
  };
}

function reply(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body === null ? undefined : JSON.stringify(body));
  return true;
}

async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return { ok: false, error: `request body larger than ${MAX_BODY} bytes` };
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return { ok: false, error: 'request body is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `invalid request${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'unknown'}` };
  }
  return { ok: true, value: parsed.data };
}

function hostOnly(header: string | undefined): string | null {
  if (!header) return null;
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1] ?? null;
  const plain = /^([A-Za-z0-9.-]{1,253})(?::\d+)?$/.exec(header);
  return plain ? (plain[1] ?? null) : null;
}

/** The probe's candidate must be an IP literal: resolve a host name once. */
async function primaryAddress(host: string | null): Promise<string | null> {
  if (!host) return null;
  if (isIP(host)) return host;
  try {
    return (await lookup(host)).address;
  } catch {
    return null;
  }
}
