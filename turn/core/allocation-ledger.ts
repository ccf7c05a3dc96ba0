// What all workers of one TURN server must agree on: how many allocations exist (total and per REST user, for the
// 486 quotas) and which relayed ports are this server's (a peer on a denied range that is one of our own relays is
// allowed, RFC 8656 forced relay on a LAN). One process uses `LocalLedger`; sharded workers share one
// `turn/node/shared-ledger.ts` over a SharedArrayBuffer. Pure: no sockets, no clocks.
import type { TransportAddress } from '../stun/ip-address';

export interface AllocationLedger {
  /** Counts one allocation of `userId`; false (nothing counted) when the total or that user's quota is full. */
  tryAdd(userId: string): boolean;
  /** Undoes one `tryAdd` of `userId`. */
  remove(userId: string): void;
  /** A relay socket of this server opened / closed on `port` (any worker). */
  relayOpened(family: 4 | 6, port: number): void;
  relayClosed(family: 4 | 6, port: number): void;
  /** Is `peer` a relayed address opened by any worker of this server? (`LocalLedger`: false — in one process the
   *  core's own index of relays answers.) */
  isRelayOfAnyWorker(peer: TransportAddress): boolean;
  /** Allocations counted, all workers. */
  total(): number;
}

/** One process: plain counters; there are no other workers. */
export class LocalLedger implements AllocationLedger {
  private readonly perUser = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly totalQuota: number,
    private readonly userQuota: number,
  ) {}

  tryAdd(userId: string): boolean {
    if (this.totalQuota > 0 && this.count >= this.totalQuota) return false;
    const mine = this.perUser.get(userId) ?? 0;
    if (this.userQuota > 0 && mine >= this.userQuota) return false;
    this.perUser.set(userId, mine + 1);
    this.count++;
    return true;
  }

  remove(userId: string): void {
    const n = this.perUser.get(userId);
    if (n === undefined) return;
    if (n <= 1) this.perUser.delete(userId);
    else this.perUser.set(userId, n - 1);
    this.count--;
  }

  relayOpened(): void {}
  relayClosed(): void {}
  isRelayOfAnyWorker(): boolean {
    return false;
  }

  total(): number {
    return this.count;
  }

  /** Users with at least one allocation (tests check that nothing leaks). */
  get users(): number {
    return this.perUser.size;
  }
}
