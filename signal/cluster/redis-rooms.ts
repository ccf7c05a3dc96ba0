// Rooms across nodes on Redis (REDIS_URL). The room rules stay in ONE place, the pure RoomRegistry: every room
// has one home node that runs it (claimed atomically with SET NX on `room:<id>`, kept alive with a TTL the home
// refreshes), so seats, capacity, kind, clientId reconnect and peer-left are decided by one single-threaded
// registry and a join race can never overfill a room. The node holding a peer's socket forwards that peer's
// messages to the room's home over the home's own pub/sub channel; the home sends each envelope to the channel of
// the node holding the recipient's socket. Presence: each node keeps `node:<id>` alive with a short TTL; a home
// that sees a member's node gone drops its members (peer-left), and a node that sees a room's home gone closes
// its sockets in that room with 1012 so the pages reconnect and rejoin (on a new home).
// A home that died without a goodbye (crash, SIGKILL) stops listening at once, but its presence lives on for up to
// one TTL: a message PUBLISHed to it reaches nobody (PUBLISH answers 0 receivers). A join that finds its home deaf
// waits for that presence to lapse and then claims the room itself (another node takes over within the TTL); any
// other message closes its socket with 1012 so the page rejoins the same way. A home whose claim was taken over
// while it was cut off from Redis (its presence lapsed) gives the room up: its peers rejoin the new home.
// Pub/sub, not streams: envelopes are live signaling for sockets that exist now; a node that is gone cannot use
// a backlog, and the page's own reconnect/rejoin already recovers what a lost message would have carried.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ErrorCode, type ClientMessage } from '../../common/messages';
import { RoomRegistry, type Envelope, type RoomCounts } from '../rooms/room-registry';

/** What the socket side offers the router (SignalingServer). */
export interface RouterSink {
  /** Sends envelopes to local sockets; `charge` is extra fan-out cost for the local sender (token budget). */
  deliver(envelopes: Envelope[], charge?: { conn: string; tokens: number }): void;
  /** Refuses a join of a new room while draining (error 'draining', close 1012). */
  refuseDraining(conn: string): void;
  /** The room's home node went away: close the socket with 1012 so the page reconnects and rejoins. */
  restart(conn: string): void;
  draining(): boolean;
}

export interface RoomRouter {
  handle(conn: string, msg: ClientMessage): void;
  disconnect(conn: string): void;
  counts(): RoomCounts;
  /** Rooms this node is home of (what a drain waits for). */
  homedRooms(): number;
  close(): Promise<void>;
}

export interface ClusterOptions {
  url: string;
  logger: Logger;
  /** Milliseconds presence keys live without refresh; peers of a dead node are seen gone within about this. */
  presenceTtlMs?: number;
  /** Counts cross-node messages and Redis command latency (metrics). */
  onCrossNode?: () => void;
  onRedisLatency?: (seconds: number) => void;
}

type Wire =
  | { k: 'msg'; node: string; conn: string; room: string; msg: ClientMessage }
  | { k: 'gone'; conn: string; room: string }
  | { k: 'env'; envelopes: Envelope[]; charge?: { conn: string; tokens: number } }
  /** The room these connections were in moved to another home: close them with 1012 so their pages rejoin it. */
  | { k: 'restart'; conns: string[] };

const PREFIX = 'p2pcheck:';
const channelOf = (node: string) => `${PREFIX}node:${node}`;
const roomKey = (room: string) => `${PREFIX}room:${room}`;
const nodeKey = (node: string) => `${PREFIX}alive:${node}`;
const REFUSED_JOIN = new Set<string>([ErrorCode.roomFull, ErrorCode.roomKindMismatch, ErrorCode.unsupportedVersion, ErrorCode.badRoomId]);
const DEL_IF_MINE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
// The home's refresh: keep the claim, re-take it when the key is gone (Redis restarted), 0 when another node has it.
const KEEP_HOME =
  "local v = redis.call('get', KEYS[1]) if v == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 elseif not v then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 else return 0 end";
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RedisRooms implements RoomRouter {
  readonly nodeId = randomBytes(9).toString('base64url');
  private readonly registry = new RoomRegistry();
  private readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly ttl: number;
  /** Local connection → room it joined and that room's home node. */
  private readonly localRoute = new Map<string, { room: string; home: string }>();
  /** Connection in a room homed here → the node holding its socket and the room. */
  private readonly members = new Map<string, { node: string; room: string }>();
  /** Per local connection, messages wait for its join's routing (keeps order). */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private sink: RouterSink | null = null;
  private closed = false;

  private constructor(private readonly opts: ClusterOptions) {
    const common = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 3000 };
    this.cmd = new Redis(opts.url, common);
    this.sub = new Redis(opts.url, common);
    this.ttl = opts.presenceTtlMs ?? 5000;
    for (const r of [this.cmd, this.sub]) r.on('error', (err: Error) => opts.logger.warn({ err: err.message }, 'redis connection error'));
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => opts.logger.warn({ err: String(err) }, 'cluster presence tick failed')), Math.max(100, Math.floor(this.ttl / 4)));
    this.timer.unref();
  }

  /** Connects both Redis connections (fails with the reason when Redis cannot be reached). */
  static async start(opts: ClusterOptions): Promise<RedisRooms> {
    const rooms = new RedisRooms(opts);
    await Promise.all([rooms.cmd.connect(), rooms.sub.connect()]);
    rooms.sub.on('messageBuffer', (_channel: Buffer, data: Buffer) => rooms.onWire(data));
    await rooms.sub.subscribe(channelOf(rooms.nodeId));
    await rooms.timed(() => rooms.cmd.set(nodeKey(rooms.nodeId), '1', 'PX', rooms.ttl));
    return rooms;
  }

  attach(sink: RouterSink): void {
    this.sink = sink;
  }

  /** Readiness: Redis answers PING. */
  async ping(): Promise<void> {
    await this.timed(() => this.cmd.ping());
  }

  counts(): RoomCounts {
    return this.registry.counts();
  }

  homedRooms(): number {
    const c = this.registry.counts();
    return c.rooms + c.lobbies;
  }

  handle(conn: string, msg: ClientMessage): void {
    if (msg.type === 'ping') {
      this.sink?.deliver(this.registry.handle(conn, msg));
      return;
    }
    this.queue(conn, async () => {
      if (msg.type === 'join') {
        const current = this.localRoute.get(conn);
        if (current) {
          // Already in a room: its home answers already-in-room (one room per connection, as on one node).
          await this.send(current.home, { k: 'msg', node: this.nodeId, conn, room: current.room, msg });
          return;
        }
        const wire: Wire = { k: 'msg', node: this.nodeId, conn, room: msg.roomId, msg };
        for (let attempt = 0; ; attempt++) {
          const home = await this.homeFor(msg.roomId);
          if (home === null) {
            this.sink?.refuseDraining(conn);
            return;
          }
          this.localRoute.set(conn, { room: msg.roomId, home });
          if ((await this.send(home, wire)) > 0) return;
          // Its home does not listen: it died and its presence has not lapsed yet. Wait for that, then take over.
          this.localRoute.delete(conn);
          if (attempt > 0 || !(await this.awaitLapse(home))) throw new Error(`room ${msg.roomId}: home node ${home} does not listen but is still present`);
          this.opts.logger.info({ room: msg.roomId, home }, 'room home died without a goodbye; taking the room over');
        }
      }
      const route = this.localRoute.get(conn);
      if (!route) {
        this.sink?.deliver(this.registry.handle(conn, msg)); // not in a room: the registry answers not-in-room
        return;
      }
      const heard = await this.send(route.home, { k: 'msg', node: this.nodeId, conn, room: route.room, msg });
      if (msg.type === 'leave') this.localRoute.delete(conn);
      else if (heard === 0) {
        // The home died (nobody listens on its channel): the page reconnects and its rejoin takes the room over.
        this.restartRoutes((_route, c) => c === conn);
      }
    });
  }

  disconnect(conn: string): void {
    this.queue(conn, async () => {
      const route = this.localRoute.get(conn);
      this.localRoute.delete(conn);
      this.pending.delete(conn);
      if (route) await this.send(route.home, { k: 'gone', conn, room: route.room });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      await this.cmd.del(nodeKey(this.nodeId));
    } catch {
      // Redis gone: the key expires by itself.
    }
    this.sub.disconnect();
    this.cmd.disconnect();
  }

  /** Drops the Redis connections without any goodbye (tests: a node that lost Redis). */
  dropRedisForTest(): void {
    clearInterval(this.timer);
    this.sub.disconnect();
    this.cmd.disconnect();
  }

  private queue(conn: string, fn: () => Promise<void>): void {
    const prev = this.pending.get(conn) ?? Promise.resolve();
    const next = prev.then(fn).catch((err: unknown) => {
      this.opts.logger.warn({ err: String(err), conn }, 'cluster routing failed; asking the page to reconnect');
      this.sink?.restart(conn);
    });
    this.pending.set(conn, next);
  }

  /** The room's home: the live node that holds it, or this node after claiming it; null when draining and new. */
  private async homeFor(room: string): Promise<string | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.timed(() => this.cmd.get(roomKey(room)));
      if (current !== null) {
        if (current === this.nodeId || (await this.timed(() => this.cmd.exists(nodeKey(current)))) === 1) return current;
        await this.timed(() => this.cmd.eval(DEL_IF_MINE, 1, roomKey(room), current)); // its home died
        this.restartRoutes((r) => r.room === room && r.home === current); // this node's peers there rejoin the new home
        continue;
      }
      if (this.sink?.draining()) return null;
      const won = await this.timed(() => this.cmd.set(roomKey(room), this.nodeId, 'PX', this.ttl, 'NX'));
      if (won === 'OK') return this.nodeId;
    }
    throw new Error(`could not settle the home node of room ${room}`);
  }

  /** Waits (about one presence TTL at most) for a silent node's presence to lapse; true once it has. */
  private async awaitLapse(node: string): Promise<boolean> {
    const deadline = performance.now() + this.ttl + 250;
    for (let i = 0; i < 100; i++) {
      const left = await this.timed(() => this.cmd.pttl(nodeKey(node)));
      if (left === -2) return true; // no such key
      const now = performance.now();
      if (now >= deadline) return false;
      await sleep(Math.min(Math.max(left, 20) + 5, deadline - now));
    }
    return false;
  }

  /**
   * Closes (1012) this node's sockets whose route matches, so their pages reconnect and rejoin. The home is told the
   * connection is gone (best effort): a home wrongly taken for dead (a stalled event loop let its presence lapse)
   * must not keep a seat for a socket that no longer exists, or the room never ends (and a drain never finishes).
   */
  private restartRoutes(match: (route: { room: string; home: string }, conn: string) => boolean): void {
    for (const [conn, route] of [...this.localRoute]) {
      if (!match(route, conn)) continue;
      this.localRoute.delete(conn);
      this.sink?.restart(conn);
      if (route.home !== this.nodeId) void this.send(route.home, { k: 'gone', conn, room: route.room }).catch(() => {});
    }
  }

  /** Sends to a node's channel (or handles it here); answers how many nodes heard it (0: nobody listens there). */
  private async send(node: string, wire: Wire): Promise<number> {
    if (node === this.nodeId) {
      this.onLocalWire(wire);
      return 1;
    }
    this.opts.onCrossNode?.();
    return this.timed(() => this.cmd.publish(channelOf(node), JSON.stringify(wire)));
  }

  private onWire(data: Buffer): void {
    let wire: Wire;
    try {
      wire = JSON.parse(data.toString('utf8')) as Wire;
    } catch {
      return;
    }
    this.onLocalWire(wire);
  }

  /** A message for this node: as a room's home (msg, gone) or as the holder of sockets (env). */
  private onLocalWire(wire: Wire): void {
    try {
      if (wire.k === 'restart') {
        const conns = new Set(wire.conns);
        this.restartRoutes((_route, conn) => conns.has(conn));
        return;
      }
      if (wire.k === 'env') {
        // A join its home refused leaves the connection in no room.
        for (const e of wire.envelopes) if (e.message.type === 'error' && REFUSED_JOIN.has(e.message.code)) this.localRoute.delete(e.to);
        this.sink?.deliver(wire.envelopes, wire.charge);
        return;
      }
      let envelopes: Envelope[];
      let sender: string;
      if (wire.k === 'msg') {
        sender = wire.conn;
        const joining = wire.msg.type === 'join' && !this.members.has(wire.conn);
        if (joining) this.members.set(wire.conn, { node: wire.node, room: wire.room });
        envelopes = this.registry.handle(wire.conn, wire.msg);
        // A join refused here (room full, kind mismatch) leaves nothing behind; its error still goes back.
        const refused = envelopes.some((e) => e.to === wire.conn && e.message.type === 'error');
        if (joining && refused) {
          this.fanOut(envelopes);
          this.members.delete(wire.conn);
          return;
        }
      } else {
        sender = wire.conn;
        envelopes = this.registry.disconnect(wire.conn, 'disconnected');
      }
      this.fanOut(envelopes, wire.k === 'msg' ? { conn: sender, tokens: envelopes.length - 1 } : undefined);
      if (wire.k === 'gone' || (wire.k === 'msg' && wire.msg.type === 'leave')) this.members.delete(sender);
      if (this.registry.peersIn(wire.room).length === 0) void this.timed(() => this.cmd.eval(DEL_IF_MINE, 1, roomKey(wire.room), this.nodeId)).catch(() => {});
    } catch (err) {
      this.opts.logger.warn({ err: String(err) }, 'cluster message failed');
    }
  }

  private fanOut(envelopes: Envelope[], charge?: { conn: string; tokens: number }): void {
    const byNode = new Map<string, Envelope[]>();
    for (const e of envelopes) {
      const node = this.members.get(e.to)?.node ?? this.nodeId;
      const list = byNode.get(node) ?? [];
      list.push(e);
      byNode.set(node, list);
    }
    const chargeNode = charge ? (this.members.get(charge.conn)?.node ?? this.nodeId) : null;
    if (chargeNode && !byNode.has(chargeNode)) byNode.set(chargeNode, []);
    for (const [node, list] of byNode) {
      const wire: Wire = { k: 'env', envelopes: list, ...(node === chargeNode && charge ? { charge } : {}) };
      void this.send(node, wire).catch((err: unknown) => this.opts.logger.warn({ err: String(err) }, 'cluster fan-out failed'));
    }
  }

  /** Presence: keep this node and its rooms alive; drop members of dead nodes; restart sockets of dead homes. */
  private async tick(): Promise<void> {
    if (this.closed) return;
    await this.timed(() => this.cmd.set(nodeKey(this.nodeId), '1', 'PX', this.ttl));
    const homed = new Set<string>();
    for (const { node } of this.members.values()) if (node !== this.nodeId) homed.add(node);
    const homes = new Set<string>();
    for (const { home } of this.localRoute.values()) if (home !== this.nodeId) homes.add(home);
    const ask = [...new Set([...homed, ...homes])];
    const alive = new Map<string, boolean>();
    for (const node of ask) alive.set(node, (await this.timed(() => this.cmd.exists(nodeKey(node)))) === 1);
    const rooms = [...new Set([...this.members.values()].map((m) => m.room))];
    if (rooms.length) {
      const pipe = this.cmd.pipeline();
      for (const room of rooms) pipe.eval(KEEP_HOME, 1, roomKey(room), this.nodeId, this.ttl);
      const kept = (await this.timed(() => pipe.exec())) ?? [];
      rooms.forEach((room, i) => {
        const [err, held] = kept[i] ?? [null, 1];
        if (!err && held === 0) this.abandon(room);
      });
    }
    for (const [conn, { node }] of [...this.members]) {
      if (alive.get(node) === false) {
        this.members.delete(conn);
        this.fanOut(this.registry.disconnect(conn, 'disconnected'));
      }
    }
    this.restartRoutes(({ home }) => alive.get(home) === false);
  }

  /** Another node holds this room's claim now (it saw this node's presence lapse): the room's peers rejoin there. */
  private abandon(room: string): void {
    this.opts.logger.warn({ room }, 'another node took this room over; its peers rejoin there');
    const byNode = new Map<string, string[]>();
    for (const [conn, m] of [...this.members]) {
      if (m.room !== room) continue;
      this.members.delete(conn);
      this.registry.disconnect(conn, 'disconnected'); // nobody is told: every peer of the room rejoins
      byNode.set(m.node, [...(byNode.get(m.node) ?? []), conn]);
    }
    for (const [node, conns] of byNode) {
      void this.send(node, { k: 'restart', conns }).catch((err: unknown) => this.opts.logger.warn({ err: String(err), room }, 'cluster restart failed'));
    }
  }

  private async timed<T>(fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.opts.onRedisLatency?.((performance.now() - t0) / 1000);
    }
  }
}
