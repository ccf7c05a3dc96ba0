// Real-socket test clients for the TURN adapter tests: a UDP client and a TCP/TLS client with STUN framing,
// each with `next(predicate)` to await a matching message. Everything they open, `close()` releases.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import { StreamFramer } from '../stun/stream-framer';

interface Waiter {
  match: (msg: Buffer) => boolean;
  resolve: (msg: Buffer) => void;
}

abstract class MessageQueue {
  protected readonly inbox: Buffer[] = [];
  private readonly waiters: Waiter[] = [];

  protected deliver(msg: Buffer): void {
    const i = this.waiters.findIndex((w) => w.match(msg));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg);
    else this.inbox.push(msg);
  }

  /** Next message that matches (default: any), or a rejection after `timeoutMs`. */
  next(match: (msg: Buffer) => boolean = () => true, timeoutMs = 2000): Promise<Buffer> {
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match, resolve: (m) => { clearTimeout(timer); resolve(m); } };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves true when nothing matching arrives within `ms`. */
  async silentFor(ms: number, match: (msg: Buffer) => boolean = () => true): Promise<boolean> {
    try {
      await this.next(match, ms);
      return false;
    } catch {
      return true;
    }
  }
}

export class UdpTestClient extends MessageQueue {
  readonly froms: Array<{ address: string; port: number }> = [];
  private constructor(readonly socket: UdpSocket) {
    super();
    socket.on('message', (msg, rinfo) => {
      this.froms.push({ address: rinfo.address, port: rinfo.port });
      (msg as Buffer & { from?: unknown }).from = { address: rinfo.address, port: rinfo.port };
      this.deliver(msg);
    });
  }

  static async open(address = '127.0.0.1'): Promise<UdpTestClient> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.bind(0, address);
    await once(socket, 'listening');
    return new UdpTestClient(socket);
  }

  get address(): { family: 4 | 6; address: string; port: number } {
    const a = this.socket.address();
    return { family: a.family === 'IPv6' ? 6 : 4, address: a.address, port: a.port };
  }

  send(data: Buffer, port: number, address = '127.0.0.1'): void {
    this.socket.send(data, port, address);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

export function senderOf(msg: Buffer): { address: string; port: number } {
  return (msg as Buffer & { from: { address: string; port: number } }).from;
}

export class StreamTestClient extends MessageQueue {
  private constructor(readonly socket: Socket) {
    super();
    const framer = new StreamFramer();
    socket.on('data', (chunk: Buffer) => {
      const r = framer.push(chunk);
      if (r.ok) for (const f of r.frames) this.deliver(f);
    });
    socket.on('error', () => {});
  }

  static async open(port: number, opts: { host?: string; tls?: boolean; localAddress?: string } = {}): Promise<StreamTestClient> {
    const host = opts.host ?? '127.0.0.1';
    const { localAddress } = opts;
    const tcp = netConnect({ port, host, localAddress });
    const socket = opts.tls ? tlsConnect({ socket: tcp, servername: 'localhost', rejectUnauthorized: false }) : tcp;
    await once(socket, opts.tls ? 'secureConnect' : 'connect');
    return new StreamTestClient(socket);
  }

  send(data: Buffer): void {
    this.socket.write(data);
  }

  close(): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    const closed = once(this.socket, 'close').then(() => undefined);
    this.socket.destroy();
    return closed;
  }
}
