// Thin ws adapter around RoomRegistry: parses and checks every frame, delivers envelopes,
// drops dead sockets by heartbeat. Never throws on what a peer sends.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { ErrorCode, MAX_MESSAGE_BYTES, parseClientMessage, type ServerMessage } from '../../common/messages';
import { RoomRegistry, type Envelope } from '../rooms/room-registry';
import { TokenBucket } from './token-bucket';

export interface SignalingOptions {
  heartbeatMs: number;
  logger: Logger;
  /** Messages per second a socket may send on average, and the burst it may use. */
  rate?: { perSecond: number; burst: number };
}

export interface SignalingCounters {
  sockets: number;
  rooms: number;
  peers: number;
  rejected: number;
}

interface PeerSocket {
  ws: WebSocket;
  alive: boolean;
  bucket: TokenBucket;
}

export class SignalingServer {
  readonly rooms = new RoomRegistry();
  private readonly wss: WebSocketServer;
  private readonly sockets = new Map<string, PeerSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private rejected = 0;

  constructor(private readonly opts: SignalingOptions) {
    // maxPayload is small on purpose: a larger frame closes the socket with 1009 before it is buffered.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES * 2 });
    this.wss.on('connection', (ws) => this.onConnection(ws));
    this.heartbeat = setInterval(() => this.checkHeartbeats(), opts.heartbeatMs);
    this.heartbeat.unref();
  }

  counters(): SignalingCounters {
    return { sockets: this.sockets.size, rooms: this.rooms.roomCount, peers: this.rooms.peerCount, rejected: this.rejected };
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const { ws } of this.sockets.values()) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket): void {
    const peerId = randomBytes(9).toString('base64url');
    const rate = this.opts.rate ?? { perSecond: 50, burst: 200 };
    const peer: PeerSocket = { ws, alive: true, bucket: new TokenBucket(rate.burst, rate.perSecond) };
    this.sockets.set(peerId, peer);
    const log = this.opts.logger.child({ peer: peerId });
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('error', (err) => log.debug({ err: err.message }, 'socket error'));
    ws.on('close', () => {
      this.sockets.delete(peerId);
      this.deliver(this.rooms.disconnect(peerId, 'disconnected'));
    });
    ws.on('message', (data, isBinary) => this.onMessage(peerId, peer, data, isBinary, log));
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
    const envelopes = this.rooms.handle(peerId, parsed.message);
    if (parsed.message.type === 'join') log.info({ room: parsed.message.roomId, result: envelopes[0]?.message.type }, 'join');
    this.deliver(envelopes);
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
    if (peer && peer.ws.readyState === WebSocket.OPEN) peer.ws.send(JSON.stringify(message satisfies ServerMessage));
  }

  private checkHeartbeats(): void {
    for (const [peerId, peer] of this.sockets) {
      if (!peer.alive) {
        this.opts.logger.info({ peer: peerId }, 'heartbeat missed; dropping socket');
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      peer.ws.ping();
    }
  }
}
