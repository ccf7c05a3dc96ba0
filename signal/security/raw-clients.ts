// Raw-socket clients for the hostile-input tests: HTTP requests written byte for byte (targets and headers no
// well-behaved client library would send) and a WebSocket client that speaks the frame format itself, so it can
// do what browsers never do — stop reading while still answering the server's liveness checks.
import { once } from 'node:events';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface JsonAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON ({} when empty). */
  json: Record<string, unknown>;
}

/**
 * One HTTP request over a fresh connection (no keep-alive agent) with a raw body, optionally from a chosen local
 * address; the answer's body parsed as JSON. Fails after `timeoutMs` without an answer.
 */
export function requestJson(
  port: number,
  path: string,
  opts: { method?: string; body?: string; headers?: Record<string, string | number>; localAddress?: string; timeoutMs?: number } = {},
): Promise<JsonAnswer> {
  const body = opts.body ?? '';
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1', port, path, method: opts.method ?? 'POST', localAddress: opts.localAddress, agent: false, timeout: timeoutMs,
        headers: { 'content-length': Buffer.byteLength(body), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `request` as is and collects the answer until the server closes (bounded by `timeoutMs`). */
export async function rawHttp(port: number, request: string, opts: { host?: string; localAddress?: string; timeoutMs?: number } = {}): Promise<{ status: number; headers: Record<string, string>; body: string; raw: string }> {
  const socket = connect({ host: opts.host ?? '127.0.0.1', port, localAddress: opts.localAddress });
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  socket.write(request);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${opts.timeoutMs ?? 3000} ms; got: ${Buffer.concat(chunks).toString('latin1').slice(0, 300)}`));
    }, opts.timeoutMs ?? 3000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const raw = Buffer.concat(chunks).toString('utf8');
  const [head = '', body = ''] = raw.split('\r\n\r\n', 2) as [string?, string?];
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const text = headers['transfer-encoding'] === 'chunked' ? dechunk(body) : body;
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: text, raw };
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (eol < 0 || !size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

export const WS_OPCODE = { text: 0x1, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One masked client frame (RFC 6455 §5.2); the mask key is random enough for a test and keeps frames valid. */
export function clientFrame(opcode: number, payload: Buffer | string): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const len = data.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : len < 65536 ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff]) : null;
  if (!head) throw new Error('test frames stay below 64 KiB');
  const masked = Buffer.alloc(len);
  for (let i = 0; i < len; i++) masked[i] = data[i]! ^ mask[i % 4]!;
  return Buffer.concat([head, mask, masked]);
}

/**
 * A WebSocket opened by hand on /ws. After the handshake it reads nothing more unless asked (`socket.pause()`
 * was never undone), which is the slow reader: the kernel buffers fill and the server has to queue.
 */
export async function rawWebSocket(port: number, headers: Record<string, string> = {}): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  socket.on('error', () => {});
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
  );
  // Read the 101 answer's head, then stop reading.
  const got = await new Promise<Buffer>((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error('no handshake answer within 3 s')), 3000);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      if (!seen.includes('\r\n\r\n')) return;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.pause();
      resolve(seen);
    };
    socket.on('data', onData);
  });
  if (!got.toString('latin1').startsWith('HTTP/1.1 101')) throw new Error(`handshake refused: ${got.toString('latin1').split('\r\n')[0]}`);
  return socket;
}
