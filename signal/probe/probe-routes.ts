// HTTP API of the probe peer, mounted through startApp's extra routes:
//   POST   /api/probe/offer      {sdp}                → {id, answer: {type, sdp}, sources, expiresInMs}
//   POST   /api/probe/<id>/run   {srflx?: {address, port}, waitMs?} → ProbeRunResult (after ≤ ~5 s)
//   DELETE /api/probe/<id>
//   GET    /api/probe/status     → {ready, sources, sessions, handled, ignored, sent, runs}
// Errors are {code, error} with 4xx/503 statuses; bad input never reaches the registry. Sessions are counted per
// client (clientKey of the address, through TRUST_PROXY): over the per-client cap → 429 too-many-probes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseBoundedJson } from '../../common/bounded-json';
import { clientKey } from '../../turn/security/client-key';
import { clientAddressOf, type TrustedProxies } from '../http/client-address';
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
  /** The candidate address from configuration (probe-address.ts), given the HTTP connection's local address. */
  candidateAddress: (localAddress: string | undefined) => Promise<string | null>;
  /** UDP port of the primary STUN endpoint, or null while the TURN server is not running. */
  primaryPort: () => number | null;
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY). */
  trustedProxies?: () => TrustedProxies;
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
      const address = await opts.candidateAddress(req.socket.localAddress);
      if (!address) return reply(res, 503, { code: 'no-host', error: 'the server cannot tell its own address for the network check: set ICE_HOST to its public IP or name' });
      const client = clientKey(clientAddressOf(req, opts.trustedProxies?.() ?? null));
      const created = opts.service.registry.create(body.value.sdp, { address, port }, Date.now(), client);
      if (!created.ok) {
        const status = created.code === 'busy' ? 503 : created.code === 'too-many-probes' ? 429 : 400;
        return reply(res, status, { code: created.code, error: created.error }, status === 429 ? { 'retry-after': String(Math.ceil(opts.service.registry.ttlMs / 1000)) } : {});
      }
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

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
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
  const json = parseBoundedJson(Buffer.concat(chunks).toString('utf8') || '{}', { maxBytes: MAX_BODY, maxDepth: 8 });
  if (!json.ok) return { ok: false, error: `request body ${json.code === 'malformed' ? 'is not valid JSON' : `is ${json.error}`}` };
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `invalid request${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'unknown'}` };
  }
  return { ok: true, value: parsed.data };
}
