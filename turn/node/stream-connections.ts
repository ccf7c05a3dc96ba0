// TURN over TCP and TLS (RFC 8656 §3.1, §12.5): each connection is one client 5-tuple; messages are framed by
// StreamFramer; closing the connection ends its allocation.
import type { Server as NetServer, Socket } from 'node:net';
import type { Logger } from 'pino';
import { StreamFramer } from '../stun/stream-framer';
import type { ClientRef, ClientTransport } from '../core/types';

const IDLE_TIMEOUT_MS = 10 * 60_000;
/** Drop what we would write to a client that does not read (protects memory). */
const MAX_WRITE_BUFFER = 1 << 20;

export interface StreamHandlers {
  onFrame(client: ClientRef, frame: Buffer): void;
  onClose(clientKey: string): void;
  onBadStream(): void;
}

export class StreamConnections {
  private readonly sockets = new Map<string, Socket>();
  private readonly perIp = new Map<string, number>();
  private nextId = 1;
  refused = 0;

  /** `maxPerIp`: concurrent TCP/TLS connections per source IP (each may hold an allocation); more are closed. */
  constructor(
    private readonly handlers: StreamHandlers,
    private readonly logger: Logger,
    private readonly maxPerIp: number,
  ) {}

  get size(): number {
    return this.sockets.size;
  }

  attach(server: NetServer, transport: ClientTransport, event: 'connection' | 'secureConnection'): void {
    server.on(event, (socket: Socket) => this.accept(socket, transport));
    server.on('error', (err) => this.logger.warn({ err, transport }, 'TURN stream listener error'));
  }

  private accept(socket: Socket, transport: ClientTransport): void {
    const key = `${transport}${this.nextId++}`;
    const address = (socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
    const open = this.perIp.get(address) ?? 0;
    if (open >= this.maxPerIp) {
      this.refused++;
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    this.perIp.set(address, open + 1);
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
      for (const frame of r.frames) this.handlers.onFrame(client, frame);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(key);
      const n = (this.perIp.get(address) ?? 1) - 1;
      if (n <= 0) this.perIp.delete(address);
      else this.perIp.set(address, n);
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
