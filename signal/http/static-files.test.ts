// The static server over a real socket: what a browser gets for the page, an asset, a saved report's page,
// a missing file and a bad path — each with the security headers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, pageSecurityHeaders, SECURITY_HEADERS } from './security-headers';
import { createStaticHandler } from './static-files';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request path (not normalised by URL), so traversal and bad escapes reach the handler as sent. */
function get(server: Server, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function serve(dir: string): Promise<Server> {
  const handler = createStaticHandler(dir);
  const server = createServer((req, res) => void handler(req, res, (req.url ?? '/').split('?')[0]!));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** What the page (index.html) carries from this server: the same headers, its WebSocket origin in connect-src. */
const pageHeaders = (s: Server) => pageSecurityHeaders(`127.0.0.1:${(s.address() as AddressInfo).port}`);

const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

function expectSecurityHeaders(a: Answer, expected: Readonly<Record<string, string>> = SECURITY_HEADERS): void {
  for (const [name, value] of Object.entries(expected)) expect(a.headers[name], name).toBe(value);
}

describe('static files', () => {
  let dir: string;
  let server: Server;
  let unbuilt: Server;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'p2pcheck-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>p2pcheck</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    server = await serve(dir);
    unbuilt = await serve(join(dir, 'no-such-dir'));
  });
  afterAll(async () => {
    await close(server);
    await close(unbuilt);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['/', 200, 'text/html'],
    ['/r/AAAAAAAAAAAAAAAAAAAAAA', 200, 'text/html'],
    ['/report/AbCdEfGhIjKlMnOp', 200, 'text/html'],
    ['/assets/index-abc.js', 200, 'text/javascript'],
  ])('%s: %i %s with every security header', async (path, status, type) => {
    const a = await get(server, path);
    expect(a.status).toBe(status);
    expect(a.headers['content-type']).toContain(type);
    expectSecurityHeaders(a, type === 'text/html' ? pageHeaders(server) : SECURITY_HEADERS);
  });

  it('the page’s CSP names its own WebSocket origin (Safari before 16 does not count it as self), and only a plain host', async () => {
    const page = await get(server, '/', 'GET', { host: 'p2pcheck.example:8443' });
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' ws://p2pcheck.example:8443 wss://p2pcheck.example:8443;");
    const v6 = await get(server, '/', 'GET', { host: '[2001:db8::1]:8080' });
    expect(v6.headers['content-security-policy']).toContain("connect-src 'self' ws://[2001:db8::1]:8080 wss://[2001:db8::1]:8080;");
    // A Host header that tries to add sources gets the plain policy.
    const evil = await get(server, '/', 'GET', { host: "evil.example; script-src 'unsafe-inline'" });
    expect(evil.status).toBe(200);
    expect(evil.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('a missing asset or file is a 404 with the headers, not the page served as script', async () => {
    for (const path of ['/assets/gone-123.js', '/favicon.ico', '/robots.txt']) {
      const a = await get(server, path);
      expect(a.status, path).toBe(404);
      expect(a.body).not.toContain('<!doctype');
      expectSecurityHeaders(a);
    }
  });

  it('a bad escape is a 400, traversal stays inside the folder, an unbuilt page is a 503 — all with the headers', async () => {
    const bad = await get(server, '/%E0%A4%A');
    expect(bad.status).toBe(400);
    expectSecurityHeaders(bad);
    const traversal = await get(server, '/..%2f..%2f..%2fetc%2fpasswd');
    expect(traversal.body).not.toContain('root:');
    expectSecurityHeaders(traversal, pageHeaders(server));
    const notBuilt = await get(unbuilt, '/');
    expect(notBuilt.status).toBe(503);
    expectSecurityHeaders(notBuilt);
  });

  it('HEAD answers the headers without a body', async () => {
    const a = await get(server, '/', 'HEAD');
    expect(a.status).toBe(200);
    expect(a.body).toBe('');
    expectSecurityHeaders(a, pageHeaders(server));
  });
});

describe('the content security policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name!, values] as const;
  }));

  it('allows no inline or eval script, no inline style, no framing, no plugins', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(SECURITY_HEADERS['referrer-policy']).toBe('no-referrer');
    expect(SECURITY_HEADERS['x-content-type-options']).toBe('nosniff');
  });
});
