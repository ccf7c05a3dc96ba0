import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../../common/messages';
import { Incidents } from '../security/incidents';
import { rawHttp } from '../security/raw-clients';
import { SignalingServer } from './signaling-server';

const ROOM = 'roomroomroomroomroom01';
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function startServer(opts: Partial<ConstructorParameters<typeof SignalingServer>[0]> = {}) {
  const signaling = new SignalingServer({ heartbeatMs: 60000, logger: pino({ level: 'silent' }), ...opts });
  const http: Server = createServer();
  http.on('upgrade', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  cleanup.push(async () => {
    await signaling.close();
    await new Promise((r) => http.close(r));
  });
  return { signaling, url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws` };
}

/** A test client that queues what it receives. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  const inbox: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    inbox.push(JSON.parse(String(data)) as ServerMessage);
    waiters.splice(0).forEach((w) => w());
  });
  await once(ws, 'open');
  cleanup.push(async () => ws.close());
  return {
    ws,
    send: (msg: unknown) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    async next(): Promise<ServerMessage> {
      while (inbox.length === 0) await new Promise<void>((r) => waiters.push(r));
      return inbox.shift()!;
    },
  };
}

describe('SignalingServer over a real socket', () => {
  it('relays an offer between the two peers of a room', async () => {
    const { url } = await startServer();
    const a = await connect(url);
    a.send({ type: 'join', roomId: ROOM });
    expect(await a.next()).toMatchObject({ type: 'joined', peers: [] });
    const b = await connect(url);
    b.send({ type: 'join', roomId: ROOM });
    const joined = await b.next();
    expect(joined).toMatchObject({ type: 'joined' });
    expect(await a.next()).toMatchObject({ type: 'peer-joined' });
    b.send({ type: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(await a.next()).toMatchObject({ type: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } });
  });

  it('answers malformed and oversized messages with an error and keeps serving the socket', async () => {
    const { url, signaling } = await startServer();
    const a = await connect(url);
    a.send('this is not json');
    expect(await a.next()).toMatchObject({ type: 'error', code: 'malformed' });
    a.send({ type: 'join', roomId: '../../etc/passwd' });
    expect(await a.next()).toMatchObject({ type: 'error', code: 'malformed' });
    a.send(JSON.stringify({ type: 'peer-info', info: { x: 'y'.repeat(MAX_MESSAGE_BYTES) } }));
    expect(await a.next()).toMatchObject({ type: 'error', code: 'too-large' });
    a.ws.send(Buffer.from([1, 2, 3]));
    expect(await a.next()).toMatchObject({ type: 'error', code: 'malformed' });
    a.send({ type: 'ping', ts: 42 });
    expect(await a.next()).toEqual({ type: 'pong', ts: 42 });
    expect(signaling.counters().rejected).toBe(4);
  });

  it('closes a socket that sends a frame beyond the hard payload cap, and the server goes on', async () => {
    const { url } = await startServer();
    const a = await connect(url);
    const closed = once(a.ws, 'close');
    a.send('x'.repeat(MAX_MESSAGE_BYTES * 2 + 10));
    const [code] = await closed;
    expect(code).toBe(1009);
    const b = await connect(url);
    b.send({ type: 'ping', ts: 1 });
    expect(await b.next()).toEqual({ type: 'pong', ts: 1 });
  });

  it('rate-limits a flooding socket', async () => {
    const { url } = await startServer({ rate: { perSecond: 1, burst: 5 } });
    const a = await connect(url);
    for (let i = 0; i < 8; i++) a.send({ type: 'ping', ts: i });
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await a.next());
    expect(replies.filter((m) => m.type === 'pong')).toHaveLength(5);
    expect(replies.filter((m) => m.type === 'error' && m.code === 'rate-limited')).toHaveLength(3);
  });

  it('announces to the other peer when a peer disconnects', async () => {
    const { url } = await startServer();
    const a = await connect(url);
    a.send({ type: 'join', roomId: ROOM });
    await a.next();
    const b = await connect(url);
    b.send({ type: 'join', roomId: ROOM });
    await b.next();
    await a.next();
    b.ws.close();
    expect(await a.next()).toMatchObject({ type: 'peer-left', reason: 'disconnected' });
  });

  it('contains an exception in its own message handling: that socket is told and closed, the others go on', async () => {
    const incidents = new Incidents(pino({ level: 'silent' }));
    const { url, signaling } = await startServer({ incidents });
    const broken = signaling.rooms.handle.bind(signaling.rooms);
    signaling.rooms.handle = (peerId, msg) => {
      if (msg.type === 'ping' && msg.ts === 666) throw new Error('a bug in the room logic');
      return broken(peerId, msg);
    };
    const a = await connect(url);
    const closed = once(a.ws, 'close');
    a.send({ type: 'ping', ts: 666 });
    expect(await a.next()).toMatchObject({ type: 'error', code: 'server-error' });
    expect((await closed)[0]).toBe(1011);
    expect(await incidents.handlerErrorCount('ws-message')).toBe(1);
    const b = await connect(url);
    b.send({ type: 'ping', ts: 1 });
    expect(await b.next()).toEqual({ type: 'pong', ts: 1 });
  });

  it('does not queue pongs for a client that pings without reading: pings share the message budget', async () => {
    const { url } = await startServer({ rate: { perSecond: 1, burst: 3 } });
    const a = await connect(url);
    const pongs: Buffer[] = [];
    a.ws.on('pong', (d) => pongs.push(d));
    for (let i = 0; i < 10; i++) a.ws.ping(String(i));
    a.send({ type: 'ping', ts: 1 }); // answered after the pings (same socket, in order) — or refused by the budget
    expect(await a.next()).toMatchObject({ type: 'error', code: 'rate-limited' });
    expect(pongs.map(String)).toEqual(['0', '1', '2']);
  });

  it('over the per-client cap: told why and closed with 1013; a failed handshake holds no slot', async () => {
    const { url } = await startServer({ maxPerClient: 1 });
    const held = await connect(url);
    const port = Number(new URL(url).port);
    for (let i = 0; i < 3; i++) {
      // Over the cap and not even a valid handshake (no key): answered 400, and nothing is left counted.
      const answer = await rawHttp(port, 'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n');
      expect(answer.status).toBe(400);
    }
    const over = await connect(url);
    const closed = once(over.ws, 'close');
    expect(await over.next()).toMatchObject({ type: 'error', code: 'too-many-connections' });
    expect((await closed)[0]).toBe(1013);
    held.ws.close();
    await once(held.ws, 'close');
    await expect
      .poll(async () => {
        const again = await connect(url);
        again.send({ type: 'ping', ts: 3 });
        const m = await again.next();
        again.ws.terminate();
        return m.type;
      })
      .toBe('pong');
  });

  it('drops a socket that stops answering heartbeats and tells its peer', async () => {
    const { url, signaling } = await startServer({ heartbeatMs: 100 });
    const a = await connect(url);
    a.send({ type: 'join', roomId: ROOM });
    await a.next();
    const b = await connect(url);
    b.send({ type: 'join', roomId: ROOM });
    await b.next();
    await a.next();
    // A dead peer: its TCP connection stays open but it reads nothing, so it never answers a ping.
    (b.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    expect(await a.next()).toMatchObject({ type: 'peer-left', peerId: expect.any(String) });
    expect(signaling.counters().sockets).toBe(1);
  });

  it('a lobby over real sockets: directed offers reach only their recipient, peer-info reaches all, a dropped page rejoins under its id', async () => {
    const { url, signaling } = await startServer();
    const lobbyJoin = (clientId?: string) => ({ type: 'join', roomId: ROOM, version: 2, lobby: true, ...(clientId ? { clientId } : {}) });
    const a = await connect(url);
    a.send(lobbyJoin());
    const aId = ((await a.next()) as Extract<ServerMessage, { type: 'joined' }>).peerId;
    const b = await connect(url);
    b.send(lobbyJoin('page-b-client-key-0001'));
    const bJoined = await b.next();
    expect(bJoined).toMatchObject({ type: 'joined', peers: [aId], lobby: true, capacity: 8 });
    const bId = (bJoined as Extract<ServerMessage, { type: 'joined' }>).peerId;
    expect(await a.next()).toEqual({ type: 'peer-joined', peerId: bId });
    const c = await connect(url);
    c.send(lobbyJoin());
    const cId = ((await c.next()) as Extract<ServerMessage, { type: 'joined' }>).peerId;
    await a.next();
    await b.next();
    expect(signaling.counters()).toMatchObject({ rooms: 0, lobbies: 1, peers: 3 });

    c.send({ type: 'description', to: bId, description: { type: 'offer', sdp: 'v=0\r\n' } });
    c.send({ type: 'description', description: { type: 'offer', sdp: 'v=0\r\n' } });
    c.send({ type: 'peer-info', info: { name: 'Carol' } });
    expect(await b.next()).toEqual({ type: 'description', from: cId, description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'malformed', message: 'in a lobby, description must name its recipient (to)' });
    // a saw no offer: the broadcast peer-info is the next thing it reads.
    expect(await a.next()).toEqual({ type: 'peer-info', from: cId, info: { name: 'Carol' } });
    expect(await b.next()).toEqual({ type: 'peer-info', from: cId, info: { name: 'Carol' } });

    // b's socket drops; its page comes back with its clientId and is b again for everyone.
    b.ws.terminate();
    expect(await a.next()).toMatchObject({ type: 'peer-left', peerId: bId });
    expect(await c.next()).toMatchObject({ type: 'peer-left', peerId: bId });
    const b2 = await connect(url);
    b2.send(lobbyJoin('page-b-client-key-0001'));
    expect(await b2.next()).toMatchObject({ type: 'joined', peerId: bId, peers: [aId, cId] });
    expect(await a.next()).toEqual({ type: 'peer-joined', peerId: bId });
    a.send({ type: 'candidate', to: bId, candidate: null });
    expect(await b2.next()).toEqual({ type: 'candidate', from: aId, candidate: null });
  });

  it('in a lobby a broadcast costs one message per recipient from the sender\'s budget', async () => {
    const { url } = await startServer({ rate: { perSecond: 0.01, burst: 4 } });
    const peers = [];
    for (let i = 0; i < 4; i++) {
      const p = await connect(url);
      p.send({ type: 'join', roomId: ROOM, version: 2, lobby: true });
      expect(await p.next()).toMatchObject({ type: 'joined' });
      for (const earlier of peers) expect(await earlier.next()).toMatchObject({ type: 'peer-joined' });
      peers.push(p);
    }
    const [first, ...rest] = peers as [Awaited<ReturnType<typeof connect>>, ...Awaited<ReturnType<typeof connect>>[]];
    // The first joined alone (1 of 4 tokens); a peer-info to the 3 others costs 3: the budget is spent.
    first.send({ type: 'peer-info', info: { name: 'Ann' } });
    for (const p of rest) expect(await p.next()).toMatchObject({ type: 'peer-info', info: { name: 'Ann' } });
    first.send({ type: 'ping', ts: 1 });
    expect(await first.next()).toMatchObject({ type: 'error', code: 'rate-limited' });
  });
});
