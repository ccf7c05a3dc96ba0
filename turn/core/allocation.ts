// One allocation (RFC 8656 §2.2, §6) and the table that owns them all, with every lifecycle transition in this file:
//
//   reserve ──> binding ──bind(relay)──> active ──refresh──> active
//                  │                       │
//                  └──bind(null), close────┴──close, expire (sweep)──> closed
//
// `binding`: the quotas are counted and the adapter is opening the relay socket; `active`: the relayed address is
// known and traffic flows; `closed`: out of the table, quotas and counts given back (final). The table also keeps
// the relay-port index (self-relaying), the permission and channel counts and the quota ledger.
import type { FamilyAddress } from '../../common/net/transport-address';
import type { AllocationLedger, QuotaRefusal } from './allocation-ledger';
import type { ClientRef } from './client-ref';

export type AllocationState = 'binding' | 'active' | 'closed';
export type CloseReason = 'refresh-0' | 'expired' | 'client-gone' | 'shutdown' | 'relay-error';

export interface Permission {
  expiresAt: number;
  /** The IP is on the deny list; only the server's own relayed addresses may be reached on it. */
  restricted: boolean;
}

export interface Channel {
  number: number;
  peer: FamilyAddress;
  expiresAt: number;
  restricted: boolean;
}

/** What the lifecycle asks of the adapter (part of the core's TurnAction). */
export type AllocationAction =
  /** Open a relay socket; the adapter answers with `core.relayBound()`. */
  | { type: 'bind-relay'; allocation: Allocation; family: 4 | 6; evenPort: boolean }
  | { type: 'close-relay'; allocation: Allocation }
  | { type: 'allocation-created'; allocation: Allocation }
  | { type: 'allocation-closed'; allocation: Allocation; reason: CloseReason };

/** An allocation whose relay socket is bound: its relayed addresses are known. */
export type ActiveAllocation = Allocation & { state: 'active'; relay: FamilyAddress; localRelay: FamilyAddress };

const CHANNEL_QUARANTINE_MS = 300_000;

let nextId = 1;

export class Allocation {
  readonly id = nextId++;
  /** Changed only by AllocationTable. */
  state: AllocationState = 'binding';
  /** Advertised relayed transport address (XOR-RELAYED-ADDRESS); set when the relay socket is bound. */
  relay: FamilyAddress | null = null;
  /** Where the relay socket can be reached from this host (differs from `relay` behind a 1:1 NAT). */
  localRelay: FamilyAddress | null = null;
  permissions = new Map<string, Permission>();
  /** Created on first ChannelBind (≤ 4 KB per idle allocation). */
  channels: Map<number, Channel> | null = null;
  channelByPeer: Map<string, Channel> | null = null;
  /** The Allocate transaction, to answer its retransmissions (RFC 8656 §7.2). */
  allocateTid: Buffer;
  pendingLifetimeS: number;
  tokens: number;
  tokensAt: number;
  bytesToPeer = 0;
  bytesToClient = 0;
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

export function isActive(allocation: Allocation): allocation is ActiveAllocation {
  return allocation.state === 'active';
}

export function peerKey(address: string, port: number): string {
  return `${address}|${port}`;
}

/** What a reservation needs to know about the request (Allocate, RFC 8656 §7.2). */
export interface Reservation {
  client: ClientRef;
  username: string;
  userId: string;
  sourceKey: string;
  key: Buffer;
  family: 4 | 6;
  allocateTid: Buffer;
  lifetimeS: number;
  maxBps: number;
}

/** Monotonic totals the table keeps in the core's stats. */
export interface LifecycleStats {
  allocationsCreated: number;
  allocationsClosed: number;
  /** Allocate requests answered 486, by the quota that was full. */
  quotaRefusals: Record<QuotaRefusal, number>;
}

export class AllocationTable {
  /** Allocations (binding and active) by client 5-tuple key (RFC 8656 §2.2: one allocation per 5-tuple). */
  readonly byClient = new Map<string, Allocation>();
  /** Own relayed addresses (advertised and local) by port, for self-relaying; a number key keeps the per-packet
   *  lookup free of string building. */
  private readonly relays = new Map<number, Allocation[]>();
  private activeCount = 0;
  permissionCount = 0;
  channelCount = 0;

  constructor(
    /** Quotas and relayed ports, shared with the other workers when sharded. */
    readonly ledger: AllocationLedger,
    private readonly stats: LifecycleStats,
  ) {}

  get(clientKey: string): Allocation | undefined {
    return this.byClient.get(clientKey);
  }

  /** The allocation of this 5-tuple if traffic may flow on it. */
  active(clientKey: string): ActiveAllocation | undefined {
    const a = this.byClient.get(clientKey);
    return a && isActive(a) ? a : undefined;
  }

  get activeAllocations(): number {
    return this.activeCount;
  }

  // ---- transitions ----

  /** → binding: counted against the total, per-user and per-source quotas (the last so that one address cannot
   *  take the relay range from others); the quota that is full when refused (nothing kept then, → 486). */
  reserve(r: Reservation, expiresAt: number, now: number, evenPort: boolean): AllocationAction | QuotaRefusal {
    const allocation = new Allocation(r.client, r.username, r.userId, r.sourceKey, r.key, r.family, expiresAt, now, r.allocateTid, r.lifetimeS, r.maxBps);
    const refused = this.ledger.tryAdd(r.userId, r.sourceKey);
    if (refused) {
      this.stats.quotaRefusals[refused]++;
      return refused;
    }
    this.byClient.set(r.client.key, allocation);
    return { type: 'bind-relay', allocation, family: r.family, evenPort };
  }

  /** binding → active with the relay socket's addresses, or → closed when it could not be bound (`null`; no
   *  events: the allocation never existed for the client). A relay bound for an allocation closed meanwhile is
   *  closed again. */
  bind(allocation: Allocation, result: { relay: FamilyAddress; localRelay: FamilyAddress } | null, now: number): AllocationAction[] {
    if (allocation.state !== 'binding') return result ? [{ type: 'close-relay', allocation }] : [];
    if (!result) {
      this.remove(allocation);
      return [];
    }
    allocation.relay = result.relay;
    allocation.localRelay = result.localRelay;
    allocation.state = 'active';
    this.activeCount++;
    for (const a of [result.relay, result.localRelay]) {
      const list = this.relays.get(a.port);
      if (!list) this.relays.set(a.port, [allocation]);
      else if (!list.includes(allocation)) list.push(allocation);
    }
    this.ledger.relayOpened(result.localRelay.family, result.localRelay.port);
    allocation.expiresAt = now + allocation.pendingLifetimeS * 1000;
    this.stats.allocationsCreated++;
    return [{ type: 'allocation-created', allocation }];
  }

  /** active → active with a new expiry (Refresh with a non-zero lifetime); other states are left as they are. */
  refresh(allocation: Allocation, lifetimeS: number, now: number): void {
    if (allocation.state === 'active') allocation.expiresAt = now + lifetimeS * 1000;
  }

  /** binding | active → closed. Only an active allocation has a relay socket to close and an end to log. */
  close(allocation: Allocation, reason: CloseReason): AllocationAction[] {
    if (allocation.state === 'closed') return [];
    const wasActive = allocation.state === 'active';
    this.remove(allocation);
    if (!wasActive) return [];
    this.stats.allocationsClosed++;
    return [{ type: 'close-relay', allocation }, { type: 'allocation-closed', allocation, reason }];
  }

  /** active → closed once its lifetime has passed (binding allocations wait for their relay socket). */
  expire(allocation: Allocation, now: number): AllocationAction[] {
    return allocation.state === 'active' && allocation.expiresAt < now ? this.close(allocation, 'expired') : [];
  }

  /** Expire allocations, permissions and channels (about once a second). */
  sweep(now: number): AllocationAction[] {
    const actions: AllocationAction[] = [];
    for (const allocation of [...this.byClient.values()]) {
      if (allocation.state !== 'active') continue;
      if (allocation.expiresAt < now) {
        actions.push(...this.expire(allocation, now));
        continue;
      }
      for (const [ip, perm] of allocation.permissions) {
        if (perm.expiresAt < now) {
          allocation.permissions.delete(ip);
          this.permissionCount--;
        }
      }
      if (allocation.channels) {
        for (const [n, ch] of allocation.channels) {
          // An expired binding stays reserved 5 more minutes: its number and peer cannot be rebound to others (§12).
          if (ch.expiresAt + CHANNEL_QUARANTINE_MS < now) {
            allocation.channels.delete(n);
            allocation.channelByPeer!.delete(peerKey(ch.peer.address, ch.peer.port));
            this.channelCount--;
          }
        }
      }
    }
    return actions;
  }

  closeAll(): AllocationAction[] {
    return [...this.byClient.values()].flatMap((a) => this.close(a, 'shutdown'));
  }

  // ---- permissions and channels of an active allocation ----

  installPermission(allocation: ActiveAllocation, ip: string, restricted: boolean, expiresAt: number): void {
    const existing = allocation.permissions.get(ip);
    if (existing) {
      existing.expiresAt = expiresAt;
      existing.restricted = restricted;
      return;
    }
    allocation.permissions.set(ip, { expiresAt, restricted });
    this.permissionCount++;
  }

  addChannel(allocation: ActiveAllocation, channel: Channel): void {
    allocation.channels ??= new Map();
    allocation.channelByPeer ??= new Map();
    allocation.channels.set(channel.number, channel);
    allocation.channelByPeer.set(peerKey(channel.peer.address, channel.peer.port), channel);
    this.channelCount++;
  }

  // ---- own relayed addresses ----

  /** Is `peer` a relayed address of this server (this worker or another)? */
  isOwnRelay(peer: FamilyAddress): boolean {
    return this.ownRelayAt(peer) !== undefined || this.ledger.isRelayOfAnyWorker(peer);
  }

  /** The active allocation of this worker relaying at `peer`, for in-process delivery. */
  ownRelayAt(peer: FamilyAddress): ActiveAllocation | undefined {
    const list = this.relays.get(peer.port);
    if (!list) return undefined;
    for (const a of list) {
      if ((a.relay?.address === peer.address && a.relay.port === peer.port) || (a.localRelay?.address === peer.address && a.localRelay.port === peer.port)) return a as ActiveAllocation;
    }
    return undefined;
  }

  /** → closed: out of the table, the ledger and the relay index; its permissions and channels uncounted. */
  private remove(allocation: Allocation): void {
    if (allocation.state === 'active') this.activeCount--;
    allocation.state = 'closed';
    if (this.byClient.get(allocation.client.key) === allocation) this.byClient.delete(allocation.client.key);
    this.ledger.remove(allocation.userId, allocation.sourceKey);
    if (allocation.localRelay) this.ledger.relayClosed(allocation.localRelay.family, allocation.localRelay.port);
    for (const a of [allocation.relay, allocation.localRelay]) {
      const list = a && this.relays.get(a.port);
      if (!list) continue;
      const rest = list.filter((x) => x !== allocation);
      if (rest.length) this.relays.set(a.port, rest);
      else this.relays.delete(a.port);
    }
    this.permissionCount -= allocation.permissions.size;
    this.channelCount -= allocation.channels?.size ?? 0;
    allocation.permissions.clear();
    allocation.channels?.clear();
    allocation.channelByPeer?.clear();
  }
}
