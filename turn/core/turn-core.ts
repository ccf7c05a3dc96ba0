// The Sans-IO TURN server core (RFC 8656 over RFC 8489): packets and the time in, actions out. Adapters under
// turn/node/ own the sockets and timers. Per-method handlers live beside this file.
import { randomBytes } from 'node:crypto';
import { KeyCache } from '../auth/key-cache';
import { NonceIssuer } from '../auth/nonce';
import { decodeXorAddress, xorAddressAttribute } from '../stun/address';
import { encodeChannelData } from '../stun/channel-data';
import { Attr, Method, StunClass } from '../stun/constants';
import { unknownAttributesAttribute } from '../stun/error-code';
import { checkFingerprint } from '../stun/fingerprint';
import type { TransportAddress } from '../stun/ip-address';
import { decodeStunMessage, encodeStunMessage, getAttribute, type DecodedStunMessage, type StunAttribute, type StunMessage } from '../stun/message';
import { PeerPolicy } from '../security/peer-policy';
import { RateLimiter } from '../security/rate-limiter';
import { completeAllocate, handleAllocate, handleRefresh } from './allocate-handlers';
import { LocalLedger, type AllocationLedger } from './allocation-ledger';
import { peerKey, type Allocation } from './allocation';
import { handleBinding } from './binding-handler';
import { sourceOf } from './source-key';
import { handleChannelBind, handleCreatePermission } from './permission-handlers';
import { errorResponse, successResponse } from './responses';
import { AuthFailure, DropReason, type ClientRef, type CloseReason, type CoreConfig, type CoreStats, type TurnAction } from './types';

/** Comprehension-required attributes (< 0x8000) this server understands; others in a request → 420 (§6.3.1). */
const KNOWN_REQUIRED = new Set<number>([
  Attr.mappedAddress, Attr.changeRequest, Attr.username, Attr.messageIntegrity, Attr.errorCode, Attr.unknownAttributes,
  Attr.channelNumber, Attr.lifetime, Attr.xorPeerAddress, Attr.data, Attr.realm, Attr.nonce, Attr.xorRelayedAddress,
  Attr.requestedAddressFamily, Attr.evenPort, Attr.requestedTransport, Attr.dontFragment, Attr.messageIntegritySha256,
  Attr.xorMappedAddress, Attr.priority, Attr.useCandidate, Attr.reservationToken,
]);

const CHANNEL_QUARANTINE_MS = 300_000;

export class TurnCore {
  /** Allocations by client 5-tuple key (RFC 8656 §2.2: one allocation per 5-tuple). */
  readonly allocations = new Map<string, Allocation>();
  /** Own relayed addresses (advertised and local) by port, for self-relaying; a number key keeps the per-packet
   *  lookup free of string building. */
  private readonly relays = new Map<number, Allocation[]>();
  permissionCount = 0;
  channelCount = 0;
  readonly nonces: NonceIssuer;
  /** Long-term keys of users whose requests verified recently (bounded). */
  readonly keyCache = new KeyCache(1024);
  readonly policy: PeerPolicy;
  readonly unauthLimiter: RateLimiter;
  /** Quotas and relayed ports, shared with the other workers when sharded. */
  readonly ledger: AllocationLedger;
  readonly stats: CoreStats = {
    allocationsCreated: 0,
    allocationsClosed: 0,
    packetsToPeer: 0,
    bytesToPeer: 0,
    packetsToClient: 0,
    bytesToClient: 0,
    challenges: 0,
    authFailures: Object.fromEntries(Object.values(AuthFailure).map((k) => [k, 0])) as CoreStats['authFailures'],
    errorResponses: new Map(),
    dropped: Object.fromEntries(Object.values(DropReason).map((k) => [k, 0])) as CoreStats['dropped'],
    peerSendErrors: new Map(),
    quotaRefusals: { total: 0, user: 0, source: 0 },
  };
  private readonly dataTid = randomBytes(12);

  constructor(
    readonly config: CoreConfig,
    opts: { nonceKey?: Buffer; ledger?: AllocationLedger } = {},
  ) {
    this.nonces = new NonceIssuer(config.nonceTtlMs, opts.nonceKey);
    this.ledger = opts.ledger ?? new LocalLedger({ total: config.totalQuota, perUser: config.userQuota, perSource: config.sourceQuota });
    this.policy = new PeerPolicy(config.allowPeers);
    this.unauthLimiter = new RateLimiter(config.unauthRate);
  }

  /** A datagram (or one framed message over TCP/TLS) from a client. */
  handleClientPacket(client: ClientRef, data: Buffer, now: number): TurnAction[] {
    if (data.length >= 4 && (data[0]! & 0xc0) === 0x40) return this.channelDataFromClient(client, data, now);
    const decoded = decodeStunMessage(data);
    if (!decoded.ok) return this.drop(DropReason.malformed);
    const msg = decoded.message;
    if (checkFingerprint(msg) === false) return this.drop(DropReason.malformed);
    if (msg.cls === StunClass.request) return this.handleRequest(msg, client, now);
    if (msg.cls === StunClass.indication) {
      return msg.method === Method.send ? this.sendIndication(msg, client, now) : this.drop(DropReason.badIndication);
    }
    return this.drop(DropReason.response);
  }

  private handleRequest(req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
    const unknown = req.attributes.filter((a) => a.type < 0x8000 && !KNOWN_REQUIRED.has(a.type)).map((a) => a.type);
    if (unknown.length > 0) return this.unauthReply(client, req, 420, [unknownAttributesAttribute(unknown.slice(0, 16))], now);
    switch (req.method) {
      case Method.binding: return handleBinding(this, req, client, now);
      case Method.allocate: return handleAllocate(this, req, client, now);
      case Method.refresh: return handleRefresh(this, req, client, now);
      case Method.createPermission: return handleCreatePermission(this, req, client, now);
      case Method.channelBind: return handleChannelBind(this, req, client, now);
      default: return this.unauthReply(client, req, 400, [], now);
    }
  }

  /** The adapter finished binding the relay socket of a pending Allocate (null: it failed → 508). */
  relayBound(allocation: Allocation, result: { relay: TransportAddress; localRelay: TransportAddress } | null, now: number): TurnAction[] {
    return completeAllocate(this, allocation, result, now);
  }

  // ---- data path (RFC 8656 §10 Send/Data, §12 ChannelData) ----

  private channelDataFromClient(client: ClientRef, data: Buffer, now: number): TurnAction[] {
    const allocation = this.allocations.get(client.key);
    if (!allocation || !allocation.relay) return this.drop(DropReason.noAllocation);
    const len = data.readUInt16BE(2);
    if (4 + len > data.length) return this.drop(DropReason.malformed);
    const channel = allocation.channels?.get(data.readUInt16BE(0));
    if (!channel || channel.expiresAt < now) return this.drop(DropReason.noChannel);
    return this.toPeer(allocation, channel.peer, data.subarray(4, 4 + len), now);
  }

  private sendIndication(msg: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
    const allocation = this.allocations.get(client.key);
    if (!allocation || !allocation.relay) return this.drop(DropReason.noAllocation);
    const peerAttr = getAttribute(msg, Attr.xorPeerAddress);
    const dataAttr = getAttribute(msg, Attr.data);
    const peer = peerAttr && decodeXorAddress(peerAttr, msg.transactionId);
    if (!peer || !dataAttr) return this.drop(DropReason.badIndication);
    return this.toPeer(allocation, peer, dataAttr.value, now);
  }

  private toPeer(allocation: Allocation, peer: TransportAddress, payload: Buffer, now: number): TurnAction[] {
    if (peer.port === 0) return this.drop(DropReason.badIndication); // nothing listens on port 0 (and dgram throws)
    const perm = allocation.permissions.get(peer.address);
    if (!perm || perm.expiresAt < now) return this.drop(DropReason.noPermission);
    if (perm.restricted && !this.isOwnRelay(peer)) return this.drop(DropReason.deniedPeer);
    if (!allocation.spend(payload.length, now, this.config.maxBps)) return this.drop(DropReason.bandwidth);
    this.stats.packetsToPeer++;
    this.stats.bytesToPeer += payload.length;
    allocation.bytesToPeer += payload.length;
    if (allocation.relay) {
      // The peer is another allocation of this server: deliver in-process, as if from our relayed address. Saves
      // a sendmsg + recvmsg per packet (two peers relayed by one server is the forced-relay case) and, behind a
      // 1:1 NAT, a hairpin the NAT may not do. The target's permission and bandwidth checks still apply.
      const target = this.ownRelayAt(peer);
      if (target) {
        const action = this.handleRelayPacket(target, allocation.relay, payload, now);
        return action ? [action] : [];
      }
    }
    return [{ type: 'relay-send', allocation, peer, data: payload }];
  }

  /** A datagram that arrived on an allocation's relay socket from a peer. */
  handleRelayPacket(allocation: Allocation, from: TransportAddress, payload: Buffer, now: number): TurnAction | null {
    if (allocation.closed) return null;
    const perm = allocation.permissions.get(from.address);
    if (!perm || perm.expiresAt < now) {
      this.stats.dropped['no-permission']++;
      return null;
    }
    if (!allocation.spend(payload.length, now, this.config.maxBps)) {
      this.stats.dropped.bandwidth++;
      return null;
    }
    const client = allocation.client;
    const channel = allocation.channelByPeer?.get(peerKey(from.address, from.port));
    let data: Buffer;
    if (channel && channel.expiresAt >= now) {
      data = encodeChannelData(channel.number, payload, client.transport !== 'udp');
    } else {
      this.nextDataTid();
      data = encodeStunMessage({
        method: Method.data,
        cls: StunClass.indication,
        transactionId: this.dataTid,
        attributes: [xorAddressAttribute(Attr.xorPeerAddress, from, this.dataTid), { type: Attr.data, value: payload }],
      });
    }
    this.stats.packetsToClient++;
    this.stats.bytesToClient += payload.length;
    allocation.bytesToClient += payload.length;
    return { type: 'send', to: client, data };
  }

  private nextDataTid(): void {
    for (let i = 11; i >= 0; i--) if (++this.dataTid[i]! <= 0xff && this.dataTid[i] !== 0) break;
  }

  /** The adapter failed to send towards a peer (ENETUNREACH, EPERM …): counted, the allocation lives on. */
  notePeerSendError(code: string): void {
    this.stats.peerSendErrors.set(code, (this.stats.peerSendErrors.get(code) ?? 0) + 1);
  }

  // ---- lifetimes ----

  /** Expire allocations, permissions and channels (call about once a second). */
  sweep(now: number): TurnAction[] {
    const actions: TurnAction[] = [];
    for (const allocation of [...this.allocations.values()]) {
      if (!allocation.relay) continue;
      if (allocation.expiresAt < now) {
        actions.push(...this.closeAllocation(allocation, 'expired'));
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
    this.unauthLimiter.sweep(now);
    return actions;
  }

  /** A TCP/TLS client connection closed: its allocation goes with it (RFC 8656 §3.1). */
  clientGone(clientKey: string): TurnAction[] {
    const allocation = this.allocations.get(clientKey);
    return allocation ? this.closeAllocation(allocation, 'client-gone') : [];
  }

  closeAll(): TurnAction[] {
    return [...this.allocations.values()].flatMap((a) => this.closeAllocation(a, 'shutdown'));
  }

  // ---- helpers for the handlers ----

  /** Counts the allocation against the quotas and keeps it; false (nothing kept) when a quota is full (→ 486). */
  addAllocation(allocation: Allocation): boolean {
    const refused = this.ledger.tryAdd(allocation.userId, allocation.sourceKey);
    if (refused) {
      this.stats.quotaRefusals[refused]++;
      return false;
    }
    this.allocations.set(allocation.client.key, allocation);
    return true;
  }

  registerRelay(allocation: Allocation): void {
    const { relay, localRelay } = allocation;
    for (const a of [relay, localRelay]) {
      if (!a) continue;
      const list = this.relays.get(a.port);
      if (!list) this.relays.set(a.port, [allocation]);
      else if (!list.includes(allocation)) list.push(allocation);
    }
    if (localRelay) this.ledger.relayOpened(localRelay.family, localRelay.port);
  }

  /** Forget an allocation without events (a relay socket that never bound). */
  removeAllocation(allocation: Allocation): void {
    if (allocation.closed) return;
    allocation.closed = true;
    if (this.allocations.get(allocation.client.key) === allocation) this.allocations.delete(allocation.client.key);
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

  closeAllocation(allocation: Allocation, reason: CloseReason): TurnAction[] {
    if (allocation.closed) return [];
    const established = allocation.relay !== null;
    this.removeAllocation(allocation);
    if (!established) return [];
    this.stats.allocationsClosed++;
    return [{ type: 'close-relay', allocation }, { type: 'allocation-closed', allocation, reason }];
  }

  installPermission(allocation: Allocation, ip: string, restricted: boolean, now: number): void {
    const expiresAt = now + this.config.permissionLifetimeS * 1000;
    const existing = allocation.permissions.get(ip);
    if (existing) {
      existing.expiresAt = expiresAt;
      existing.restricted = restricted;
      return;
    }
    allocation.permissions.set(ip, { expiresAt, restricted });
    this.permissionCount++;
  }

  isOwnRelay(peer: TransportAddress): boolean {
    return this.ownRelayAt(peer) !== undefined || this.ledger.isRelayOfAnyWorker(peer);
  }

  private ownRelayAt(peer: TransportAddress): Allocation | undefined {
    const list = this.relays.get(peer.port);
    if (!list) return undefined;
    for (const a of list) {
      if ((a.relay?.address === peer.address && a.relay.port === peer.port) || (a.localRelay?.address === peer.address && a.localRelay.port === peer.port)) return a;
    }
    return undefined;
  }

  success(req: StunMessage, attrs: StunAttribute[], key: Buffer): Buffer {
    return successResponse(req, attrs, key);
  }

  /** Error reply to an authenticated request (signed with the requester's key). */
  authReply(client: ClientRef, req: StunMessage, code: number, key: Buffer | null): TurnAction[] {
    this.countError(code);
    return [{ type: 'send', to: client, data: errorResponse(req, code, [], key) }];
  }

  wrongCredentials(client: ClientRef, req: StunMessage, key: Buffer): TurnAction[] {
    this.stats.authFailures['wrong-credentials']++;
    return this.authReply(client, req, 441, key);
  }

  /** Error reply to an unauthenticated request, subject to the per-IP rate limit (anti-amplification). */
  unauthReply(client: ClientRef, req: StunMessage, code: number, attrs: StunAttribute[] | (() => StunAttribute[]), now: number): TurnAction[] {
    // Limit first: a rate-limited flood costs no nonce HMAC (`attrs` may be built lazily). Keyed by clientKey: an
    // IPv6 host owns a whole /64, so per-address buckets would give it 2^64 of them.
    if (!this.unauthLimiter.take(sourceOf(client), now)) return this.drop(DropReason.rateLimited);
    this.countError(code);
    return [{ type: 'send', to: client, data: errorResponse(req, code, typeof attrs === 'function' ? attrs() : attrs, null) }];
  }

  private countError(code: number): void {
    this.stats.errorResponses.set(code, (this.stats.errorResponses.get(code) ?? 0) + 1);
  }

  private drop(reason: DropReason): TurnAction[] {
    this.stats.dropped[reason]++;
    return [];
  }

  counters() {
    let pending = 0;
    for (const a of this.allocations.values()) if (!a.relay) pending++;
    return {
      allocations: this.allocations.size - pending,
      permissions: this.permissionCount,
      channels: this.channelCount,
      allocationsCreated: this.stats.allocationsCreated,
      allocationsClosed: this.stats.allocationsClosed,
      packetsToPeer: this.stats.packetsToPeer,
      packetsToClient: this.stats.packetsToClient,
      bytesToPeer: this.stats.bytesToPeer,
      bytesToClient: this.stats.bytesToClient,
      authFailures: Object.values(this.stats.authFailures).reduce((a, b) => a + b, 0),
    };
  }
}
