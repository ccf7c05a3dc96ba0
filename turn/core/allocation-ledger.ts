// What all workers of one TURN server must agree on: how many allocations exist (in total, per REST user and per
// source — an IPv4 address or an IPv6 /64, see turn/security/client-key.ts — for the 486 quotas) and which relayed
// ports are this server's (a peer on a denied range that is one of our own relays is allowed, RFC 8656 forced relay
// on a LAN). One process uses `LocalLedger`; sharded workers share one `turn/node/shared-ledger.ts` over a
// SharedArrayBuffer. Pure: no sockets, no clocks.
import type { FamilyAddress } from '../../common/net/transport-address';

/** Which quota refused an allocation (RFC 8656 §7.2: 486 Allocation Quota Reached in every case). */
export type QuotaRefusal = 'total' | 'user' | 'source';

export interface Quotas {
  /** Allocations in total (0 = unlimited). */
  total: number;
  /** Allocations per REST user id (0 = unlimited). */
  perUser: number;
  /** Allocations per source: IPv4 address or IPv6 /64 (0 = unlimited). */
  perSource: number;
}

export interface AllocationLedger {
  /** Counts one allocation of `userId` from `source`; null when counted, else the quota that is full (nothing
   *  counted then). */
  tryAdd(userId: string, source: string): QuotaRefusal | null;
  /** Undoes one successful `tryAdd(userId, source)`. */
  remove(userId: string, source: string): void;
  /** A relay socket of this server opened / closed on `port` (any worker). */
  relayOpened(family: 4 | 6, port: number): void;
  relayClosed(family: 4 | 6, port: number): void;
  /** Is `peer` a relayed address opened by any worker of this server? (`LocalLedger`: false — in one process the
   *  core's own index of relays answers.) */
  isRelayOfAnyWorker(peer: FamilyAddress): boolean;
  /** Allocations counted, all workers. */
  total(): number;
}

/** One process: plain counters; there are no other workers. */
export class LocalLedger implements AllocationLedger {
  private readonly perUser = new Map<string, number>();
  private readonly perSource = new Map<string, number>();
  private count = 0;

  constructor(private readonly quotas: Quotas) {}

  tryAdd(userId: string, source: string): QuotaRefusal | null {
    const { total, perUser, perSource } = this.quotas;
    if (total > 0 && this.count >= total) return 'total';
    const mine = this.perUser.get(userId) ?? 0;
    if (perUser > 0 && mine >= perUser) return 'user';
    const theirs = this.perSource.get(source) ?? 0;
    if (perSource > 0 && theirs >= perSource) return 'source';
    this.perUser.set(userId, mine + 1);
    this.perSource.set(source, theirs + 1);
    this.count++;
    return null;
  }

  remove(userId: string, source: string): void {
    if (!decrement(this.perUser, userId)) return;
    decrement(this.perSource, source);
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

  /** Sources with at least one allocation. */
  get sources(): number {
    return this.perSource.size;
  }
}

function decrement(map: Map<string, number>, key: string): boolean {
  const n = map.get(key);
  if (n === undefined) return false;
  if (n <= 1) map.delete(key);
  else map.set(key, n - 1);
  return true;
}
