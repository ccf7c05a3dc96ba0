// Binds one UDP relay socket per allocation inside the configured port range (RFC 8656 §7.2: a fresh relayed
// transport address per allocation; EVEN-PORT §18.7).
import { createSocket, type Socket } from 'node:dgram';
import { literalLookup } from './literal-lookup';

export class RelayPortPool {
  private readonly inUse = new Set<number>();

  constructor(
    private readonly minPort: number,
    private readonly maxPort: number,
  ) {}

  /** Binds a socket on `ip`; resolves null when no port in the range could be bound. */
  async bind(ip: string, family: 4 | 6, evenPort: boolean): Promise<{ socket: Socket; port: number } | null> {
    if (this.minPort === 0) return this.tryBind(ip, family, 0);
    const span = this.maxPort - this.minPort + 1;
    const start = Math.floor(Math.random() * span);
    let attempts = 0;
    for (let i = 0; i < span && attempts < 64; i++) {
      const port = this.minPort + ((start + i) % span);
      if (this.inUse.has(port) || (evenPort && port % 2 !== 0)) continue;
      attempts++;
      const bound = await this.tryBind(ip, family, port);
      if (bound) return bound;
    }
    return null;
  }

  release(port: number): void {
    this.inUse.delete(port);
  }

  private tryBind(ip: string, family: 4 | 6, port: number): Promise<{ socket: Socket; port: number } | null> {
    return new Promise((resolve) => {
      const socket = createSocket({ type: family === 4 ? 'udp4' : 'udp6', ipv6Only: family === 6, lookup: literalLookup });
      const onError = () => {
        socket.close();
        resolve(null);
      };
      socket.once('error', onError);
      socket.bind({ address: ip, port, exclusive: true }, () => {
        socket.off('error', onError);
        const bound = socket.address().port;
        this.inUse.add(bound);
        resolve({ socket, port: bound });
      });
    });
  }
}
