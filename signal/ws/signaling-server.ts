// Thin ws adapter around RoomRegistry: admits sockets (origin, connections per client), parses and checks every
// frame, delivers envelopes, drops dead peers by heartbeat and closes peers that do not read what is sent to
// them. Never throws on what a peer sends; an exception in our own handling closes that one socket, is counted
// and logged (Incidents), and the server goes on.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { CloseCode, ErrorCode, MAX_MESSAGE_BYTES, parseClientMessage, type ServerMessage } from '../../common/messages';
import { ConcurrencyCap } from '../../turn/security/concurrency-cap';
import { RoomRegistry, type Envelope } from '../rooms/room-registry';
import type { RoomRouter, RouterSink } from '../cluster/redis-rooms';
import { refuseOnSocket } from '../http/responses';
import { SECURITY_HEADERS } from '../http/security-headers';
import { Incidents } from '../security/incidents';
import { originAllowed, type OriginAllowList } from '../security/origin-policy';
import { TokenBucket } from './token-bucket';

export interface SignalingOptions {
  heartbeatMs: number;
  logger: Logger;
  /** Messages per second a socket may send on average, and the burst it may use. */
  rate?: { perSecond: number; burst: number };
  /** Open sockets per client key (0 = no limit). */
  maxPerClient?: number;
  /** Bytes queued unsent for one socket beyond which it is closed. */
  maxBufferedBytes?: number;
  /** Pages of other origins allowed to connect (the server's own origin always is). */
  allowedOrigins?: OriginAllowList;
  incidents?: Incidents;
  /** Rooms across nodes (REDIS_URL): room messages go through it instead of the in-process registry. */
  router?: RoomRouter & { attach(sink: RouterSink): void };
}

export interface SignalingCounters {
  sockets: number;
  /** Two-person rooms with at least one peer. */
  rooms: number;
  /** Lobbies with at least one peer. */
  lobbies: number;
  /** Peers in rooms and lobbies. */
  peers: number;
  rejected: number;
}

interface PeerSocket {
  ws: WebSocket;
  alive: boolean;
  bucket: TokenBucket;
  client: string;
}

/** How long a refused socket may take to read its error before it is dropped. */
const REFUSAL_GRACE_MS = 1000;

export class SignalingServer {
  readonly rooms = new RoomRegistry();
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<string, PeerSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly perClient: ConcurrencyCap;
  /** Sockets being refused (accepted to say why, then closed), per client: bounded too. */
  private readonly refusing: ConcurrencyCap;
  private readonly maxBuffered: number;
  private readonly incidents: Incidents;
  private rejected = 0;
  private originWarned = false;
  private draining = false;

  constructor(private readonly opts: SignalingOptions) {
    // maxPayload is small on purpose: a larger frame closes the socket with 1009 before it is buffered.
    // autoPong is off: a client that pings without reading would make ws queue pongs without limit (onPing).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES * 2, autoPong: false, perMessageDeflate: false });
    this.wss.on('connection', (ws: WebSocket, req: IncomingMessage, client: string) => this.onConnection(ws, client));
    // A handshake ws itself refuses (bad key/version/method): answered here, with our headers and error shape.
    this.wss.on('wsClientError', (err: Error, socket: Duplex) => {
      this.incidents.refused('ws-bad-handshake', { detail: err.message });
      refuseOnSocket(socket, 400, ErrorCode.badRequest, `not a valid WebSocket handshake: ${err.message}`);
    });
    this.wss.on('headers', (headers: string[]) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) headers.push(`${k}: ${v}`);
    });
    this.perClient = new ConcurrencyCap(opts.maxPerClient ?? 0);
    this.refusing = new ConcurrencyCap(Math.max(1, opts.maxPerClient ?? 0));
    this.maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;
    this.incidents = opts.incidents ?? new Incidents(opts.logger);
    opts.router?.attach({
      deliver: (envelopes, charge) => {
        if (charge) this.sockets.get(charge.conn)?.bucket.charge(charge.tokens);
        this.deliver(envelopes);
      },
      refuseDraining: (conn) => this.refuseDraining(conn),
      restart: (conn) => this.sockets.get(conn)?.ws.close(CloseCode.serviceRestart, ErrorCode.serverError),
      draining: () => this.draining,
    });
    this.heartbeat = setInterval(() => this.checkHeartbeats(), opts.heartbeatMs);
    this.heartbeat.unref();
  }

  counters(): SignalingCounters {
    return { sockets: this.sockets.size, ...(this.opts.router ?? this.rooms).counts(), rejected: this.rejected };
  }

  /**
   * An upgrade request for /ws from `client` (a clientKey). A page of a foreign origin gets 403; a client at its
   * connection cap gets the socket and then an error message `too-many-connections` and close 1013, so the page
   * can say why — unless it also holds as many refusals still closing, then a plain 429.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, client = 'unknown'): void {
    if (socket.destroyed) return;
    if (!originAllowed(req.headers.origin, req.headers.host, this.opts.allowedOrigins ?? { any: false, origins: new Set() })) {
      const seen = { client, origin: req.headers.origin?.slice(0, 200), host: req.headers.host?.slice(0, 200) };
      this.incidents.refused('ws-origin', seen);
      if (!this.originWarned) {
        // Once per process at warn: the usual cause on a real deployment is a proxy that rewrites Host.
        this.originWarned = true;
        this.opts.logger.warn(seen, '/ws refused a page of another origin; if it is this server\'s own page behind a reverse proxy, forward the Host header (nginx: proxy_set_header Host $host) or list the origin in ALLOWED_ORIGINS');
      }
      refuseOnSocket(socket, 403, ErrorCode.originNotAllowed, 'this signaling server only serves its own page (Origin not allowed; see ALLOWED_ORIGINS)');
      return;
    }
    if (!this.perClient.tryAcquire(client)) {
      this.incidents.refused('ws-connections-per-client', { client });
      if (!this.refusing.tryAcquire(client)) {
        refuseOnSocket(socket, 429, ErrorCode.tooManyConnections, 'too many signaling connections from your address', { retryAfter: 5 });
        return;
      }
      this.upgradeHolding(this.refusing, req, socket, head, client, (ws) => this.refuse(ws, client));
      return;
    }
    this.upgradeHolding(this.perClient, req, socket, head, client, (ws) => this.wss.emit('connection', ws, req, client));
  }

  /**
   * Completes the upgrade for a client that holds a slot of `cap`; a handshake that fails (the socket closes before
   * it is upgraded) gives the slot back. After the upgrade the slot is the WebSocket's to release.
   */
  private upgradeHolding(cap: ConcurrencyCap, req: IncomingMessage, socket: Duplex, head: Buffer, client: string, upgraded: (ws: WebSocket) => void): void {
    let done = false;
    socket.once('close', () => {
      if (!done) cap.release(client);
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      done = true;
      upgraded(ws);
    });
  }

  /**
   * SIGTERM drain: from now on a join that would create a NEW room (or lobby) is answered with the error
   * `draining` and the socket is closed with 1012, so the page reconnects (through the load balancer, to another
   * node); rooms already running go on as before.
   */
  drain(): void {
    this.draining = true;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const { ws } of this.sockets.values()) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private refuse(ws: WebSocket, client: string): void {
    ws.on('error', () => {});
    const timer = setTimeout(() => ws.terminate(), REFUSAL_GRACE_MS);
    timer.unref();
    ws.once('close', () => {
      clearTimeout(timer);
      this.refusing.release(client);
    });
    const message: ServerMessage = {
      type: 'error',
      code: ErrorCode.tooManyConnections,
      message: `too many signaling connections from your address (at most ${this.perClient.perKey}); close other p2pcheck tabs or try again later`,
    };
    ws.send(JSON.stringify(message));
    ws.close(CloseCode.tryAgainLater, ErrorCode.tooManyConnections);
  }

  private onConnection(ws: WebSocket, client: string): void {
    const peerId = randomBytes(9).toString('base64url');
    const log = this.opts.logger.child({ peer: peerId, client });
    ws.on('error', (err) => log.debug({ err: err.message }, 'socket error'));
    ws.on('close', () => {
      this.perClient.release(client);
      if (!this.sockets.delete(peerId)) return;
      if (this.opts.router) this.guard('ws-connection', peerId, log, () => this.opts.router?.disconnect(peerId));
      else this.guard('ws-connection', peerId, log, () => this.deliver(this.rooms.disconnect(peerId, 'disconnected')));
    });
    this.guard('ws-connection', peerId, log, () => {
      const rate = this.opts.rate ?? { perSecond: 50, burst: 200 };
      const peer: PeerSocket = { ws, alive: true, bucket: new TokenBucket(rate.burst, rate.perSecond), client };
      this.sockets.set(peerId, peer);
      ws.on('pong', () => {
        peer.alive = true;
      });
      ws.on('ping', (data) => this.guard('ws-message', peerId, log, () => this.onPing(peerId, peer, data)));
      ws.on('message', (data, isBinary) => this.guard('ws-message', peerId, log, () => this.onMessage(peerId, peer, data, isBinary, log)));
    });
  }

  /** Runs one handler; an exception closes this socket only (error message, close 1011), counted and logged once. */
  private guard(where: 'ws-connection' | 'ws-message', peerId: string, log: Logger, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.incidents.handlerError(where, err, { peer: peerId });
      const peer = this.sockets.get(peerId);
      if (!peer) return;
      try {
        this.send(peerId, { type: 'error', code: ErrorCode.serverError, message: 'the server failed on this message; reconnect to go on' });
        peer.ws.close(CloseCode.serverError, ErrorCode.serverError);
      } catch {
        peer.ws.terminate();
      }
      log.debug('closed after a handler error');
    }
  }

  /** Pongs by hand (autoPong is off), within the socket's message budget and send-buffer bound. */
  private onPing(peerId: string, peer: PeerSocket, data: Buffer): void {
    peer.alive = true;
    if (!peer.bucket.take(Date.now())) return;
    if (this.overBuffer(peerId, peer, data.length)) return;
    peer.ws.pong(data);
  }

  private onMessage(peerId: string, peer: PeerSocket, data: RawData, isBinary: boolean, log: Logger): void {
    peer.alive = true;
    if (!peer.bucket.take(Date.now())) {
      this.reject(peerId, ErrorCode.rateLimited, 'too many messages; slow down', log);
      return;
    }
    if (isBinary) {
      this.reject(peerId, ErrorCode.malformed, 'binary frames are not accepted; send JSON text', log);
      return;
    }
    const raw = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const parsed = parseClientMessage(raw);
    if (!parsed.ok) {
      this.reject(peerId, parsed.code, parsed.error, log);
      return;
    }
    if (this.opts.router) {
      // The room's home node applies the rules and charges the fan-out back (RouterSink.deliver).
      if (parsed.message.type === 'join') log.info({ room: parsed.message.roomId, lobby: parsed.message.lobby === true }, 'join (routed)');
      this.opts.router.handle(peerId, parsed.message);
      return;
    }
    if (this.draining && parsed.message.type === 'join' && this.rooms.peersIn(parsed.message.roomId).length === 0) {
      log.info({ room: parsed.message.roomId }, 'join of a new room refused: draining');
      this.refuseDraining(peerId);
      return;
    }
    const envelopes = this.rooms.handle(peerId, parsed.message);
    // Fair in a lobby: a message costs one token per envelope it causes (a peer-info to 7 peers costs 7, a join
    // into a lobby of k costs 1 + k); the first was taken on arrival, the rest may put the socket into debt.
    peer.bucket.charge(envelopes.length - 1);
    if (parsed.message.type === 'join') {
      const reply = envelopes.find((e) => e.to === peerId)?.message;
      log.info({ room: parsed.message.roomId, lobby: parsed.message.lobby === true, result: reply?.type === 'error' ? reply.code : reply?.type }, 'join');
    }
    this.deliver(envelopes);
  }

  private refuseDraining(peerId: string): void {
    const peer = this.sockets.get(peerId);
    if (!peer) return;
    this.send(peerId, { type: 'error', code: ErrorCode.draining, message: 'this server is restarting and takes no new rooms; reconnecting to another one' });
    peer.ws.close(CloseCode.serviceRestart, ErrorCode.draining);
  }

  private reject(peerId: string, code: ErrorCode, message: string, log: Logger): void {
    this.rejected++;
    log.debug({ code }, message);
    this.send(peerId, { type: 'error', code, message });
  }

  private deliver(envelopes: Envelope[]): void {
    for (const { to, message } of envelopes) this.send(to, message);
  }

  private send(peerId: string, message: ServerMessage): void {
    const peer = this.sockets.get(peerId);
    if (!peer || peer.ws.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify(message satisfies ServerMessage);
    if (this.overBuffer(peerId, peer, Buffer.byteLength(text))) return;
    peer.ws.send(text);
  }

  /**
   * A peer that does not read what we send (but may well answer pings) would make us queue without end: once
   * what is queued for it plus `adding` bytes passes the bound, the socket is dropped (its room peer is told).
   */
  private overBuffer(peerId: string, peer: PeerSocket, adding: number): boolean {
    if (peer.ws.bufferedAmount + adding <= this.maxBuffered) return false;
    this.incidents.refused('ws-send-buffer', { peer: peerId, client: peer.client, buffered: peer.ws.bufferedAmount });
    this.opts.logger.info({ peer: peerId, client: peer.client, buffered: peer.ws.bufferedAmount }, 'peer does not read what is sent to it; dropping socket');
    peer.ws.terminate();
    return true;
  }

  private checkHeartbeats(): void {
    for (const [peerId, peer] of this.sockets) {
      if (!peer.alive) {
        this.opts.logger.info({ peer: peerId }, 'heartbeat missed; dropping socket');
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      if (!this.overBuffer(peerId, peer, 0)) peer.ws.ping();
    }
  }
}
