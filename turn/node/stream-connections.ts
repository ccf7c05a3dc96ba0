// TURN over TCP and TLS (RFC 8656 §3.1, §12.5): each connection is one client 5-tuple; messages are framed by
// StreamFramer; closing the connection ends its allocation. Connections are counted per source (clientKey: IPv4
// address, IPv6 /64) from the moment TCP accepts them, so pending TLS handshakes count too.
import type { Server as NetServer, Socket } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import type { Logger } from 'pino';
import { clientKey } from '../security/client-key';
import { ConcurrencyCap } from '../security/concurrency-cap';
import { StreamFramer } from '../stun/stream-framer';
import type { ClientRef, ClientTransport } from '../core/types';

const IDLE_TIMEOUT_MS = 10 * 60_000;
/** Drop what we would write to a client that does not read (protects memory). */
const MAX_WRITE_BUFFER = 1 << 20;

export interface StreamHandlers {
  /** One framed message; false (the handler failed) closes the connection. */
  onFrame(client: ClientRef, frame: Buffer): boolean;
  onClose(clientKey: string): void;
  onBadStream(): void;
}

export class StreamConnections {
  private readonly sockets = new Map<string, Socket>();
  private readonly perSource: ConcurrencyCap;
  private nextId = 1;
  refused = 0;
  /** TLS handshakes that failed or timed out. */
  tlsFailures = 0;

  /** `maxPerIp`: concurrent TCP/TLS connections per source, handshakes included; more are closed at once. */
  constructor(
    private readonly handlers: StreamHandlers,
    private readonly logger: Logger,
    maxPerIp: number,
  ) {
    this.perSource = new ConcurrencyCap(maxPerIp);
  }

  get size(): number {
    return this.sockets.size;
  }

  attach(server: NetServer, transport: ClientTransport): void {
    server.on('connection', (raw: Socket) => {
      if (!this.admit(raw)) return;
      if (transport === 'tcp') this.accept(raw, 'tcp');
    });
    if (transport === 'tls') {
      server.on('secureConnection', (socket: Socket) => this.accept(socket, 'tls'));
      // Node leaves a socket whose handshake failed or timed out open: close it (its source slot comes back).
      (server as TlsServer).on('tlsClientError', (_err, socket) => {
        this.tlsFailures++;
        socket.destroy();
      });
    }
    server.on('error', (err) => this.logger.warn({ err, transport }, 'TURN stream listener error'));
  }

  /** Counts the connection against its source; false (closed) when that source is at its cap. */
  private admit(raw: Socket): boolean {
    const source = clientKey(raw.remoteAddress);
    raw.on('error', () => raw.destroy());
    if (!this.perSource.tryAcquire(source)) {
      this.refused++;
      raw.destroy();
      return false;
    }
    raw.once('close', () => this.perSource.release(source));
    return true;
  }

  private accept(socket: Socket, transport: ClientTransport): void {
    const key = `${transport}${this.nextId++}`;
    const address = (socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
    const client: ClientRef = { key, transport, address, port: socket.remotePort ?? 0, family: address.includes(':') ? 6 : 4, via: 'primary' };
    const framer = new StreamFramer();
    this.sockets.set(key, socket);
    socket.setNoDelay(true);
    // One TLS record per TURN message: without writev, queued writes are not merged into one record. Clients such
    // as coturn's turnutils_uclient read one message per record and lose the rest of a merged one.
    if (transport === 'tls') (socket as unknown as { _writev: unknown })._writev = null;
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const r = framer.push(chunk);
      if (!r.ok) {
        this.handlers.onBadStream();
        socket.destroy();
        return;
      }
      for (const frame of r.frames) {
        if (socket.destroyed) return;
        if (!this.handlers.onFrame(client, frame)) {
          socket.destroy();
          return;
        }
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(key);
      this.handlers.onClose(key);
    });
  }

  write(key: string, data: Buffer): boolean {
    const socket = this.sockets.get(key);
    if (!socket || socket.destroyed || socket.writableLength > MAX_WRITE_BUFFER) return false;
    socket.write(data);
    return true;
  }

  destroyAll(): void {
    for (const s of this.sockets.values()) s.destroy();
  }
}
