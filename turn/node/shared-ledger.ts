// The AllocationLedger of a sharded server (TURN_WORKERS > 1): quotas and relayed ports in one SharedArrayBuffer
// that every worker thread maps. Counts change under a spin lock (a few instructions per Allocate or close; the
// packet path never takes it); relayed ports are a bitmap per address family read with Atomics, lock-free.
//
// Int32 layout: header [lock, total, totalQuota, userQuota, sourceQuota, userCapacity, sourceCapacity, users,
// sources, -, -, -], then `userCapacity` user slots and `sourceCapacity` source slots of [hashHi, hashLo, count]
// (open addressing, linear probing, backward-shift deletion; hash 0:0 = empty), then two 65,536-bit port bitmaps
// (IPv4, IPv6).
import type { AllocationLedger, Quotas, QuotaRefusal } from '../core/allocation-ledger';
import type { FamilyAddress } from '../../common/net/transport-address';

const LOCK = 0, TOTAL = 1, TOTAL_QUOTA = 2, USER_QUOTA = 3, SOURCE_QUOTA = 4, USER_CAPACITY = 5, SOURCE_CAPACITY = 6;
const USERS = 7, SOURCES = 8, HEADER = 12;
const SLOT = 3;
const BITMAP_WORDS = 65536 / 32;

/** 53 bits of a string hash (cyrb53), as two 32-bit halves that are never both zero. */
function keyHash(s: string): [number, number] {
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

/** Slots for the keys that may hold allocations at once: 2 × the total quota (at least 1,024; 131,072 when
 *  unlimited), a power of two; 0 when that quota is off (nothing to count). */
function tableCapacity(totalQuota: number, perKeyQuota: number): number {
  if (perKeyQuota === 0) return 0;
  let capacity = 1024;
  const want = totalQuota > 0 ? totalQuota * 2 : 131072;
  while (capacity < want) capacity *= 2;
  return capacity;
}

/** One open-addressing table of per-key counts inside the shared Int32Array (callers hold the lock). */
class CountTable {
  constructor(
    private readonly a: Int32Array,
    private readonly base: number,
    private readonly capacity: number,
    /** Header index of the number of keys in the table. */
    private readonly sizeAt: number,
  ) {}

  get size(): number {
    return Atomics.load(this.a, this.sizeAt);
  }

  /** Can one more key be added? Keys are tracked up to three quarters of the slots (probe runs stay short). */
  get hasRoom(): boolean {
    return this.a[this.sizeAt]! < (this.capacity * 3) / 4;
  }

  /** Int32 offset of the slot holding hi:lo, or -1. */
  find(hi: number, lo: number): number {
    for (let n = 0, k = this.home(hi); n < this.capacity; n++, k = (k + 1) & (this.capacity - 1)) {
      const i = this.slot(k);
      if (this.a[i] === 0 && this.a[i + 1] === 0) return -1;
      if (this.a[i] === hi && this.a[i + 1] === lo) return i;
    }
    return -1;
  }

  count(i: number): number {
    return i < 0 ? 0 : this.a[i + 2]!;
  }

  /** One more for hi:lo (slot `i` from find, or -1 to insert; needs hasRoom then). */
  increment(i: number, hi: number, lo: number): void {
    if (i < 0) {
      i = this.emptySlotFor(hi);
      this.a[i] = hi;
      this.a[i + 1] = lo;
      this.a[i + 2] = 0;
      this.a[this.sizeAt]!++;
    }
    this.a[i + 2]!++;
  }

  /** One less for hi:lo; false when the key was not counted. */
  decrement(hi: number, lo: number): boolean {
    const i = this.find(hi, lo);
    if (i < 0) return false;
    if (--this.a[i + 2]! <= 0) this.deleteSlot(i);
    return true;
  }

  private home(hi: number): number {
    return (hi >>> 0) & (this.capacity - 1);
  }

  private slot(index: number): number {
    return this.base + index * SLOT;
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
    let hole = (offset - this.base) / SLOT;
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
    this.a[this.sizeAt]!--;
  }
}

export class SharedLedger implements AllocationLedger {
  private readonly a: Int32Array;
  private readonly userTable: CountTable;
  private readonly sourceTable: CountTable;
  private readonly bitmapAt: Record<4 | 6, number>;

  /**
   * The buffer the main thread creates once and hands to every worker. Users and sources with allocations are
   * tracked up to three quarters of their table (2 × the total quota slots, at least 1,024; 131,072 when
   * unlimited); a new user or source beyond that is refused like a full total quota.
   */
  static createBuffer(quotas: Quotas): SharedArrayBuffer {
    const userCapacity = tableCapacity(quotas.total, quotas.perUser);
    const sourceCapacity = tableCapacity(quotas.total, quotas.perSource);
    const buffer = new SharedArrayBuffer((HEADER + (userCapacity + sourceCapacity) * SLOT + 2 * BITMAP_WORDS) * 4);
    const a = new Int32Array(buffer);
    a[TOTAL_QUOTA] = quotas.total;
    a[USER_QUOTA] = quotas.perUser;
    a[SOURCE_QUOTA] = quotas.perSource;
    a[USER_CAPACITY] = userCapacity;
    a[SOURCE_CAPACITY] = sourceCapacity;
    return buffer;
  }

  /** `relayAddresses`: the addresses relays bind to and are advertised at, per family (a peer must match one). */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly relayAddresses: Record<4 | 6, readonly string[]>,
  ) {
    this.a = new Int32Array(buffer);
    const userCapacity = this.a[USER_CAPACITY]!, sourceCapacity = this.a[SOURCE_CAPACITY]!;
    this.userTable = new CountTable(this.a, HEADER, userCapacity, USERS);
    this.sourceTable = new CountTable(this.a, HEADER + userCapacity * SLOT, sourceCapacity, SOURCES);
    const bitmaps = HEADER + (userCapacity + sourceCapacity) * SLOT;
    this.bitmapAt = { 4: bitmaps, 6: bitmaps + BITMAP_WORDS };
  }

  tryAdd(userId: string, source: string): QuotaRefusal | null {
    const user = this.a[USER_QUOTA]! > 0 ? keyHash(userId) : null;
    const src = this.a[SOURCE_QUOTA]! > 0 ? keyHash(source) : null;
    this.lock();
    try {
      const totalQuota = this.a[TOTAL_QUOTA]!, userQuota = this.a[USER_QUOTA]!, sourceQuota = this.a[SOURCE_QUOTA]!;
      if (totalQuota > 0 && this.a[TOTAL]! >= totalQuota) return 'total';
      // Check everything first, then count: a refusal changes nothing.
      const u = user ? this.userTable.find(user[0], user[1]) : -1;
      if (user && u < 0 && !this.userTable.hasRoom) return 'total';
      if (user && this.userTable.count(u) >= userQuota) return 'user';
      const s = src ? this.sourceTable.find(src[0], src[1]) : -1;
      if (src && s < 0 && !this.sourceTable.hasRoom) return 'total';
      if (src && this.sourceTable.count(s) >= sourceQuota) return 'source';
      if (user) this.userTable.increment(u, user[0], user[1]);
      // The user's insert may have moved nothing in the source table (separate regions), so `s` still holds.
      if (src) this.sourceTable.increment(s, src[0], src[1]);
      this.a[TOTAL]!++;
      return null;
    } finally {
      this.unlock();
    }
  }

  remove(userId: string, source: string): void {
    const user = this.a[USER_QUOTA]! > 0 ? keyHash(userId) : null;
    const src = this.a[SOURCE_QUOTA]! > 0 ? keyHash(source) : null;
    this.lock();
    try {
      if (user && !this.userTable.decrement(user[0], user[1])) return; // never counted
      if (src) this.sourceTable.decrement(src[0], src[1]);
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

  isRelayOfAnyWorker(peer: FamilyAddress): boolean {
    if (!this.relayAddresses[peer.family].includes(peer.address)) return false;
    return (Atomics.load(this.a, this.bitmapAt[peer.family] + (peer.port >>> 5)) & (1 << (peer.port & 31))) !== 0;
  }

  total(): number {
    return Atomics.load(this.a, TOTAL);
  }

  /** Users with at least one allocation, all workers. */
  get users(): number {
    return this.userTable.size;
  }

  /** Sources (IPv4 addresses, IPv6 /64s) with at least one allocation, all workers. */
  get sources(): number {
    return this.sourceTable.size;
  }

  private lock(): void {
    while (Atomics.compareExchange(this.a, LOCK, 0, 1) !== 0) {
      /* spin: held for a few hundred nanoseconds at most */
    }
  }

  private unlock(): void {
    Atomics.store(this.a, LOCK, 0);
  }
}
