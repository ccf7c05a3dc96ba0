// "Does the service still work?" — what every hostile-input test asserts after its attack: a real client can load
// the page, meet another peer in a room and relay a message there, and get TURN credentials and allocate a relay.
// Everything goes over real sockets; every step is bounded in time; everything opened is closed (the allocation is
// released with a zero-lifetime Refresh, so probes never eat into a per-source allocation cap).
//
// Exported API (tests of other features may import it):
//   interface ServiceTarget { host: string; httpPort: number }    where the app listens (HTTP, /ws, /api)
//   serviceTargetOf(app: { httpPort: number }, host = '127.0.0.1'): ServiceTarget
//   interface ProbeSource { localAddress?: string; headers?: Record<string, string> }
//       who the probe is: a loopback source address (e.g. '127.0.0.3') and/or extra request headers
//       (e.g. { 'x-forwarded-for': '198.51.100.7' } with TRUST_PROXY=loopback) — so a probe can be a second client
//       while the attacker's source is being limited.
//   probePage(target, source?): Promise<void>            GET / → 200 with text/html
//   probeRoom(target, source?): Promise<void>            two /ws clients join one fresh room; a peer-info relays
//   probeTurnAllocation(target, source?): Promise<void>  /api/ice-servers credentials → UDP Allocate → success
//   expectServiceWorks(target, source?): Promise<void>   all three; rejects with an Error naming what failed
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { parseServerMessage, type ClientMessage, type IceServersResponse, type ServerMessage } from '../../common/messages';
import { StunClass } from '../../turn/stun/constants';
import { allocateRequest, parseMessage, refreshRequest, type Credentials } from '../../turn/testing/client-messages';
import { UdpTestClient } from '../../turn/testing/socket-clients';

export interface ServiceTarget {
  host: string;
  httpPort: number;
}

export interface ProbeSource {
  /** Local address the probe's sockets bind to (any 127.x.y.z works on Linux loopback). */
  localAddress?: string;
  /** Extra headers on every HTTP request and WebSocket handshake. */
  headers?: Record<string, string>;
}

const STEP_TIMEOUT_MS = 3000;

export function serviceTargetOf(app: { httpPort: number }, host = '127.0.0.1'): ServiceTarget {
  return { host, httpPort: app.httpPort };
}

function hostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** One HTTP GET over a real socket: status, headers and the body as text. */
export function httpGet(target: ServiceTarget, path: string, source: ProbeSource = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.host, port: target.httpPort, path, method: 'GET', localAddress: source.localAddress, headers: source.headers, timeout: STEP_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within ${STEP_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function probePage(target: ServiceTarget, source: ProbeSource = {}): Promise<void> {
  const res = await httpGet(target, '/', source);
  const type = String(res.headers['content-type'] ?? '');
  if (res.status !== 200 || !type.startsWith('text/html')) throw new Error(`page: GET / answered ${res.status} ${type}`);
}

/** A /ws client that queues what it receives; `next` waits (bounded) for the first message that matches. */
class ProbeClient {
  private readonly inbox: ServerMessage[] = [];
  private wake: (() => void) | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const parsed = parseServerMessage(String(data));
      if (parsed.ok) this.inbox.push(parsed.message);
      this.wake?.();
    });
    ws.on('close', () => this.wake?.());
  }

  static open(target: ServiceTarget, source: ProbeSource): Promise<ProbeClient> {
    const ws = new WebSocket(`ws://${hostPart(target.host)}:${target.httpPort}/ws`, {
      localAddress: source.localAddress,
      headers: source.headers,
      handshakeTimeout: STEP_TIMEOUT_MS,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ProbeClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`room: /ws upgrade answered HTTP ${res.statusCode}`)));
    });
  }

  send(msg: ClientMessage): void {
    this.ws.send(JSON.stringify(msg));
  }

  async next<T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type || m.type === 'error');
      if (i >= 0) {
        const m = this.inbox.splice(i, 1)[0]!;
        if (m.type === 'error' && type !== 'error') throw new Error(`room: server answered error ${m.code}: ${m.message}`);
        return m as Extract<ServerMessage, { type: T }>;
      }
      if (this.ws.readyState !== WebSocket.OPEN) throw new Error(`room: socket closed while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`room: no ${type} within ${STEP_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

export async function probeRoom(target: ServiceTarget, source: ProbeSource = {}): Promise<void> {
  const roomId = randomBytes(18).toString('base64url');
  const opened: ProbeClient[] = [];
  try {
    const a = await ProbeClient.open(target, source);
    opened.push(a);
    a.send({ type: 'join', roomId });
    await a.next('joined');
    const b = await ProbeClient.open(target, source);
    opened.push(b);
    b.send({ type: 'join', roomId });
    const joined = await b.next('joined');
    if (joined.peers.length !== 1) throw new Error(`room: the second peer saw ${joined.peers.length} peers`);
    await a.next('peer-joined');
    a.send({ type: 'peer-info', info: { relayOnly: true } });
    const relayed = await b.next('peer-info');
    if (relayed.info.relayOnly !== true) throw new Error('room: the relayed peer-info lost its content');
  } finally {
    for (const c of opened) c.close();
  }
}

/** TURN credentials and the UDP port from `/api/ice-servers`, as the page gets them. */
async function iceCredentials(target: ServiceTarget, source: ProbeSource): Promise<{ username: string; password: string; port: number }> {
  const res = await httpGet(target, '/api/ice-servers', source);
  if (res.status !== 200) throw new Error(`turn: /api/ice-servers answered ${res.status}: ${res.body.slice(0, 200)}`);
  const body = JSON.parse(res.body) as IceServersResponse;
  const turn = body.iceServers.find((s) => s.username && s.credential);
  const udp = turn?.urls.map((u) => /^turn:.*:(\d+)\?transport=udp$/.exec(u)).find(Boolean);
  if (!turn?.username || !turn.credential || !udp) throw new Error('turn: /api/ice-servers has no TURN credential with a UDP URL');
  return { username: turn.username, password: turn.credential, port: Number(udp[1]) };
}

export async function probeTurnAllocation(target: ServiceTarget, source: ProbeSource = {}): Promise<void> {
  const cred = await iceCredentials(target, source);
  const client = await UdpTestClient.open(source.localAddress ?? (target.host.includes(':') ? '::1' : '127.0.0.1'));
  try {
    client.send(allocateRequest(), cred.port, target.host);
    const challenge = parseMessage(await client.next(() => true, STEP_TIMEOUT_MS));
    if (challenge.error !== 401 || !challenge.realm || !challenge.nonce) throw new Error(`turn: unauthenticated Allocate answered ${challenge.error ?? 'success'}`);
    const auth: Credentials = { username: cred.username, password: cred.password, realm: challenge.realm, nonce: challenge.nonce };
    client.send(allocateRequest(auth), cred.port, target.host);
    const answer = parseMessage(await client.next(() => true, STEP_TIMEOUT_MS));
    if (answer.cls !== StunClass.success || !answer.relayed) throw new Error(`turn: Allocate answered error ${answer.error ?? '?'}`);
    // Release it: a probe must not hold allocations against any cap.
    client.send(refreshRequest(auth, 0), cred.port, target.host);
    await client.next(() => true, STEP_TIMEOUT_MS);
  } finally {
    await client.close();
  }
}

export async function expectServiceWorks(target: ServiceTarget, source: ProbeSource = {}): Promise<void> {
  await probePage(target, source);
  await probeRoom(target, source);
  await probeTurnAllocation(target, source);
}
