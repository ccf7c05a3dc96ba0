// The AllocationLedger of a sharded server (TURN_WORKERS > 1): quotas and relayed ports in one SharedArrayBuffer
// that every worker thread maps. Counts change under a spin lock (a few instructions per Allocate or close; the
// packet path never takes it); relayed ports are a bitmap per address family read with Atomics, lock-free.
//
// Int32 layout: header [lock, total, users, totalQuota, userQuota, capacity, -, -], then `capacity` user slots of
// [hashHi, hashLo, count] (open addressing, linear probing, backward-shift deletion; hash 0:0 = empty), then two
// 65,536-bit port bitmaps (IPv4, IPv6).
import type { AllocationLedger } from '../core/allocation-ledger';
import type { TransportAddress } from '../stun/ip-address';

const LOCK = 0, TOTAL = 1, USERS = 2, TOTAL_QUOTA = 3, USER_QUOTA = 4, CAPACITY = 5, HEADER = 8;
const SLOT = 3;
const BITMAP_WORDS = 65536 / 32;

/** 53 bits of a string hash (cyrb53), as two 32-bit halves that are never both zero. */
function userHash(s: string): [number, number] {
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  h2 &= 0x1fffff;
  return h1 === 0 && h2 === 0 ? [0, 1] : [h1 | 0, h2 | 0];
}

export class SharedLedger implements AllocationLedger {
  private readonly a: Int32Array;
  private readonly capacity: number;
  private readonly bitmapAt: Record<4 | 6, number>;

  /**
   * The buffer the main thread creates once and hands to every worker. Users with allocations are tracked up to
   * three quarters of `capacity` slots (2 × the total quota, at least 1,024; 131,072 when unlimited); a new user
   * beyond that is refused like a full quota.
   */
  static createBuffer(totalQuota: number, userQuota: number): SharedArrayBuffer {
    let capacity = 1024;
    const want = totalQuota > 0 ? totalQuota * 2 : 131072;
    while (capacity < want) capacity *= 2;
    if (userQuota === 0) capacity = 0; // nothing per user to count
    const buffer = new SharedArrayBuffer((HEADER + capacity * SLOT + 2 * BITMAP_WORDS) * 4);
    const a = new Int32Array(buffer);
    a[TOTAL_QUOTA] = totalQuota;
    a[USER_QUOTA] = userQuota;
    a[CAPACITY] = capacity;
    return buffer;
  }

  /** `relayAddresses`: the addresses relays bind to and are advertised at, per family (a peer must match one). */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly relayAddresses: Record<4 | 6, readonly string[]>,
  ) {
    this.a = new Int32Array(buffer);
    this.capacity = this.a[CAPACITY]!;
    const bitmaps = HEADER + this.capacity * SLOT;
    this.bitmapAt = { 4: bitmaps, 6: bitmaps + BITMAP_WORDS };
  }

  tryAdd(userId: string): boolean {
    this.lock();
    try {
      const totalQuota = this.a[TOTAL_QUOTA]!, userQuota = this.a[USER_QUOTA]!;
      if (totalQuota > 0 && this.a[TOTAL]! >= totalQuota) return false;
      if (userQuota > 0) {
        const [hi, lo] = userHash(userId);
        let i = this.find(hi, lo);
        if (i < 0) {
          if (this.a[USERS]! >= (this.capacity * 3) / 4) return false;
          i = this.emptySlotFor(hi);
          this.a[i] = hi;
          this.a[i + 1] = lo;
          this.a[i + 2] = 0;
          this.a[USERS]!++;
        }
        if (this.a[i + 2]! >= userQuota) return false;
        this.a[i + 2]!++;
      }
      this.a[TOTAL]!++;
      return true;
    } finally {
      this.unlock();
    }
  }

  remove(userId: string): void {
    this.lock();
    try {
      if (this.a[USER_QUOTA]! > 0) {
        const [hi, lo] = userHash(userId);
        const i = this.find(hi, lo);
        if (i < 0) return; // never counted
        if (--this.a[i + 2]! <= 0) this.deleteSlot(i);
      }
      if (this.a[TOTAL]! > 0) this.a[TOTAL]!--;
    } finally {
      this.unlock();
    }
  }

  relayOpened(family: 4 | 6, port: number): void {
    Atomics.or(this.a, this.bitmapAt[family] + (port >>> 5), 1 << (port & 31));
  }

  relayClosed(family: 4 | 6, port: number): void {
    Atomics.and(this.a, this.bitmapAt[family] + (port >>> 5), ~(1 << (port & 31)));
  }

  isRelayOfAnyWorker(peer: TransportAddress): boolean {
    if (!this.relayAddresses[peer.family].includes(peer.address)) return false;
    return (Atomics.load(this.a, this.bitmapAt[peer.family] + (peer.port >>> 5)) & (1 << (peer.port & 31))) !== 0;
  }

  total(): number {
    return Atomics.load(this.a, TOTAL);
  }

  /** Users with at least one allocation, all workers. */
  get users(): number {
    return Atomics.load(this.a, USERS);
  }

  private lock(): void {
    while (Atomics.compareExchange(this.a, LOCK, 0, 1) !== 0) {
      /* spin: held for a few hundred nanoseconds at most */
    }
  }

  private unlock(): void {
    Atomics.store(this.a, LOCK, 0);
  }

  private home(hi: number): number {
    return (hi >>> 0) & (this.capacity - 1);
  }

  private slot(index: number): number {
    return HEADER + index * SLOT;
  }

  /** Int32 offset of the slot holding hi:lo, or -1. */
  private find(hi: number, lo: number): number {
    for (let n = 0, k = this.home(hi); n < this.capacity; n++, k = (k + 1) & (this.capacity - 1)) {
      const i = this.slot(k);
      if (this.a[i] === 0 && this.a[i + 1] === 0) return -1;
      if (this.a[i] === hi && this.a[i + 1] === lo) return i;
    }
    return -1;
  }

  private emptySlotFor(hi: number): number {
    for (let k = this.home(hi); ; k = (k + 1) & (this.capacity - 1)) {
      const i = this.slot(k);
      if (this.a[i] === 0 && this.a[i + 1] === 0) return i;
    }
  }

  /** Linear-probing delete without tombstones: later entries of the same run move back into the hole. */
  private deleteSlot(offset: number): void {
    const mask = this.capacity - 1;
    let hole = (offset - HEADER) / SLOT;
    for (let k = (hole + 1) & mask; ; k = (k + 1) & mask) {
      const i = this.slot(k);
      if (this.a[i] === 0 && this.a[i + 1] === 0) break;
      const home = this.home(this.a[i]!);
      // The entry at k may fill the hole unless its home lies cyclically in (hole, k].
      const stays = hole <= k ? home > hole && home <= k : home > hole || home <= k;
      if (stays) continue;
      const h = this.slot(hole);
      this.a[h] = this.a[i]!;
      this.a[h + 1] = this.a[i + 1]!;
      this.a[h + 2] = this.a[i + 2]!;
      hole = k;
    }
    const h = this.slot(hole);
    this.a[h] = 0;
    this.a[h + 1] = 0;
    this.a[h + 2] = 0;
    this.a[USERS]!--;
  }
}
