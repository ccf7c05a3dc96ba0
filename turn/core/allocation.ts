// State of one allocation (RFC 8656 §2.2, §6): relayed address, lifetime, permissions keyed by peer IP (§9),
// channels (§12). Kept small: channel maps are created on first ChannelBind (≤ 4 KB per idle allocation).
import type { TransportAddress } from '../stun/ip-address';
import type { ClientRef } from './types';

export interface Permission {
  expiresAt: number;
  /** The IP is on the deny list; only the server's own relayed addresses may be reached on it. */
  restricted: boolean;
}

export interface Channel {
  number: number;
  peer: TransportAddress;
  expiresAt: number;
  restricted: boolean;
}

let nextId = 1;

export class Allocation {
  readonly id = nextId++;
  /** Advertised relayed transport address (XOR-RELAYED-ADDRESS); null while the relay socket is being bound. */
  relay: TransportAddress | null = null;
  /** Where the relay socket can be reached from this host (differs from `relay` behind a 1:1 NAT). */
  localRelay: TransportAddress | null = null;
  permissions = new Map<string, Permission>();
  channels: Map<number, Channel> | null = null;
  channelByPeer: Map<string, Channel> | null = null;
  /** The Allocate transaction, to answer its retransmissions (RFC 8656 §7.2). */
  allocateTid: Buffer;
  pendingLifetimeS: number;
  tokens: number;
  tokensAt: number;
  bytesToPeer = 0;
  bytesToClient = 0;
  closed = false;
  /** Adapter-owned handle (the relay socket). */
  handle: unknown = null;

  constructor(
    readonly client: ClientRef,
    readonly username: string,
    readonly userId: string,
    /** Whom the per-source quota counts this allocation against (clientKey of the client's address). */
    readonly sourceKey: string,
    readonly key: Buffer,
    readonly family: 4 | 6,
    public expiresAt: number,
    readonly createdAt: number,
    allocateTid: Buffer,
    lifetimeS: number,
    maxBps: number,
  ) {
    this.allocateTid = Buffer.from(allocateTid);
    this.pendingLifetimeS = lifetimeS;
    this.tokens = maxBps;
    this.tokensAt = createdAt;
  }

  /** Token bucket over both directions; true when `bytes` may pass (RFC 8656 §21.4 resource limits). */
  spend(bytes: number, now: number, maxBps: number): boolean {
    if (maxBps <= 0) return true;
    if (now > this.tokensAt) {
      this.tokens = Math.min(maxBps, this.tokens + ((now - this.tokensAt) * maxBps) / 1000);
      this.tokensAt = now;
    }
    if (this.tokens < bytes) return false;
    this.tokens -= bytes;
    return true;
  }
}

export function peerKey(address: string, port: number): string {
  return `${address}|${port}`;
}
