// A tiny load balancer for the cluster e2e test, run as its own process (inside the worker's namespace, where the
// nodes and browsers are): what an operator puts in front of p2pcheck nodes, reduced to what the test needs.
// - Health check as a real LB does it: GET /readyz on every backend every 200 ms (3 s timeout); two failures in a
//   row take a backend out (HAProxy's `fall`), one success puts it back; only ready backends get new requests and
//   new WebSockets (a draining node answers 503, so it gets none).
// - Passive check: a backend that refuses a connection is marked down at once and the next ready one is tried.
// - WebSocket upgrades go to the ready backend with the fewest open sockets (least connections, as HAProxy's
//   `balance leastconn` advises for long-lived connections); plain HTTP round-robins over ready backends.
// - GET /__lb/status answers {"backends":[{"url","ready","sockets"}]}: which node holds how many sockets.
// Usage: node --import tsx e2e/support/test-load-balancer.ts <host> <port> <backend-url>...
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

const [host = '127.0.0.1', portArg = '0', ...urls] = process.argv.slice(2);
if (urls.length === 0) {
  console.error('usage: test-load-balancer.ts <host> <port> <backend-url>...');
  process.exit(2);
}
const backends = urls.map((u) => ({ url: new URL(u), ready: false, sockets: 0, fails: 0, checking: false }));
type Backend = (typeof backends)[number];
let rr = 0;

function check(b: Backend): void {
  if (b.checking) return; // one check at a time per backend
  b.checking = true;
  const result = (ok: boolean) => {
    b.checking = false;
    b.fails = ok ? 0 : b.fails + 1;
    if (ok) b.ready = true;
    else if (b.fails >= 2) b.ready = false;
  };
  const req = request({ host: b.url.hostname, port: b.url.port, path: '/readyz', timeout: 3000, agent: false }, (res) => {
    result(res.statusCode === 200);
    res.resume();
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => b.checking && result(false));
  req.end();
}
const checkAll = () => backends.forEach(check);
setInterval(checkAll, 200);

const ready = () => backends.filter((b) => b.ready);

function proxyHttp(req: IncomingMessage, res: import('node:http').ServerResponse, tried: Set<Backend>): void {
  const candidates = ready().filter((b) => !tried.has(b));
  if (candidates.length === 0) {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('no ready backend');
    return;
  }
  const b = candidates[rr++ % candidates.length]!;
  tried.add(b);
  const up = request({ host: b.url.hostname, port: b.url.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
    upRes.pipe(res);
  });
  up.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNREFUSED' && !res.headersSent) {
      b.ready = false; // passive health check
      proxyHttp(req, res, tried);
      return;
    }
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  req.pipe(up);
}

const server = createServer((req, res) => {
  if (req.url === '/__lb/status') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ backends: backends.map((b) => ({ url: b.url.origin, ready: b.ready, sockets: b.sockets })) }));
    return;
  }
  proxyHttp(req, res, new Set());
});

function proxyUpgrade(req: IncomingMessage, client: Socket, head: Buffer, tried: Set<Backend>): void {
  const candidates = ready().filter((b) => !tried.has(b)).sort((x, y) => x.sockets - y.sockets);
  const b = candidates[0];
  if (!b) {
    client.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  tried.add(b);
  const up = connect({ host: b.url.hostname, port: Number(b.url.port) });
  let counted = false;
  let retried = false;
  up.once('connect', () => {
    counted = true;
    b.sockets++;
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(lines.join('\r\n') + '\r\n\r\n');
    if (head.length) up.write(head);
    up.pipe(client);
    client.pipe(up);
  });
  up.on('error', (err: NodeJS.ErrnoException) => {
    if (!counted && err.code === 'ECONNREFUSED') {
      b.ready = false; // passive health check: the next ready backend gets this client
      retried = true;
      proxyUpgrade(req, client, head, tried);
      return;
    }
    client.destroy();
  });
  up.on('close', () => {
    if (counted) b.sockets--;
    counted = false;
    if (!retried) client.destroy();
  });
  client.on('error', () => up.destroy());
  client.on('close', () => up.destroy());
  client.setMaxListeners(0); // one pair of listeners per attempt (at most one per backend)
}

server.on('upgrade', (req, socket, head) => proxyUpgrade(req, socket as Socket, head, new Set()));
server.listen(Number(portArg), host, () => {
  checkAll();
  const addr = server.address() as { port: number };
  console.log(`lb listening on http://${host}:${addr.port}`);
});
process.on('SIGTERM', () => process.exit(0));
