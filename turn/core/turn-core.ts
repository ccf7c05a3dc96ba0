// The Sans-IO TURN server core (RFC 8656 over RFC 8489): packets and the time in, actions out. Adapters under
// turn/node/ own the sockets and timers. The core dispatches requests to the per-method handlers beside this file
// (each gets only the parts it uses), keeps the data path, and owns every counter. Allocations and their lifecycle
// live in allocation.ts.
import { randomBytes } from 'node:crypto';
import { decodeXorAddress, xorAddressAttribute } from '../stun/address';
import { encodeChannelData, looksLikeChannelData } from '../stun/channel-data';
import { Attr, Method, StunClass } from '../stun/constants';
import { unknownAttributesAttribute } from '../stun/error-code';
import { checkFingerprint } from '../stun/fingerprint';
import type { FamilyAddress } from '../../common/net/transport-address';
import { decodeStunMessage, encodeStunMessage, getAttribute, type DecodedStunMessage } from '../stun/message';
import { PeerPolicy } from '../security/peer-policy';
import { RateLimiter } from '../security/rate-limiter';
import { completeAllocate, handleAllocate, handleRefresh } from './allocate-handlers';
import { LocalLedger, type AllocationLedger } from './allocation-ledger';
import { AllocationTable, isActive, peerKey, type ActiveAllocation, type Allocation } from './allocation';
import { Authenticator } from './auth';
import { handleBinding } from './binding-handler';
import { handleChannelBind, handleCreatePermission } from './permission-handlers';
import { Replies } from './replies';
import { AuthFailure, DropReason, type ClientRef, type CoreConfig, type CoreStats, type TurnAction } from './types';

/** Comprehension-required attributes (< 0x8000) this server understands; others in a request → 420 (§6.3.1). */
const KNOWN_REQUIRED = new Set<number>([
  Attr.mappedAddress, Attr.changeRequest, Attr.username, Attr.messageIntegrity, Attr.errorCode, Attr.unknownAttributes,
  Attr.channelNumber, Attr.lifetime, Attr.xorPeerAddress, Attr.data, Attr.realm, Attr.nonce, Attr.xorRelayedAddress,
  Attr.requestedAddressFamily, Attr.evenPort, Attr.requestedTransport, Attr.dontFragment, Attr.messageIntegritySha256,
  Attr.xorMappedAddress, Attr.priority, Attr.useCandidate, Attr.reservationToken,
]);

export class TurnCore {
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
  readonly table: AllocationTable;
  readonly policy: PeerPolicy;
  readonly unauthLimiter: RateLimiter;
  private readonly auth: Authenticator;
  /** What the handlers get: each declares the part of it that it uses. */
  private readonly parts: {
    config: CoreConfig;
    endpoints: CoreConfig['endpoints'];
    auth: Authenticator;
    replies: Replies;
    table: AllocationTable;
    policy: PeerPolicy;
  };
  private readonly dataTid = randomBytes(12);

  constructor(
    readonly config: CoreConfig,
    opts: { nonceKey?: Buffer; ledger?: AllocationLedger } = {},
  ) {
    const ledger = opts.ledger ?? new LocalLedger({ total: config.totalQuota, perUser: config.userQuota, perSource: config.sourceQuota });
    this.table = new AllocationTable(ledger, this.stats);
    this.policy = new PeerPolicy(config.allowPeers);
    this.unauthLimiter = new RateLimiter(config.unauthRate);
    const replies = new Replies(this.stats, this.unauthLimiter);
    this.auth = new Authenticator(config.realm, config.secret, config.nonceTtlMs, opts.nonceKey, replies, config.previousSecret ?? null);
    this.parts = { config, endpoints: config.endpoints, auth: this.auth, replies, table: this.table, policy: this.policy };
  }

  /** Allocations (binding and active) by client 5-tuple key. */
  get allocations(): ReadonlyMap<string, Allocation> {
    return this.table.byClient;
  }
  get permissionCount(): number {
    return this.table.permissionCount;
  }
  get channelCount(): number {
    return this.table.channelCount;
  }
  /** Quotas and relayed ports, shared with the other workers when sharded. */
  get ledger(): AllocationLedger {
    return this.table.ledger;
  }
  get nonces() {
    return this.auth.nonces;
  }
  get keyCache() {
    return this.auth.keyCache;
  }

  /** A datagram (or one framed message over TCP/TLS) from a client. */
  handleClientPacket(client: ClientRef, data: Buffer, now: number): TurnAction[] {
    if (looksLikeChannelData(data)) return this.channelDataFromClient(client, data, now);
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
    const parts = this.parts;
    const unknown = req.attributes.filter((a) => a.type < 0x8000 && !KNOWN_REQUIRED.has(a.type)).map((a) => a.type);
    if (unknown.length > 0) return parts.replies.unauthError(client, req, 420, [unknownAttributesAttribute(unknown.slice(0, 16))], now);
    switch (req.method) {
      case Method.binding: return handleBinding(parts, req, client, now);
      case Method.allocate: return handleAllocate(parts, req, client, now);
      case Method.refresh: return handleRefresh(parts, req, client, now);
      case Method.createPermission: return handleCreatePermission(parts, req, client, now);
      case Method.channelBind: return handleChannelBind(parts, req, client, now);
      default: return parts.replies.unauthError(client, req, 400, [], now);
    }
  }

  /** The adapter finished binding the relay socket of a pending Allocate (null: it failed → 508). */
  relayBound(allocation: Allocation, result: { relay: FamilyAddress; localRelay: FamilyAddress } | null, now: number): TurnAction[] {
    return completeAllocate(this.parts, allocation, result, now);
  }

  // ---- data path (RFC 8656 §10 Send/Data, §12 ChannelData) ----

  private channelDataFromClient(client: ClientRef, data: Buffer, now: number): TurnAction[] {
    const allocation = this.table.active(client.key);
    if (!allocation) return this.drop(DropReason.noAllocation);
    const len = data.readUInt16BE(2);
    if (4 + len > data.length) return this.drop(DropReason.malformed);
    const channel = allocation.channels?.get(data.readUInt16BE(0));
    if (!channel || channel.expiresAt < now) return this.drop(DropReason.noChannel);
    return this.toPeer(allocation, channel.peer, data.subarray(4, 4 + len), now);
  }

  private sendIndication(msg: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
    const allocation = this.table.active(client.key);
    if (!allocation) return this.drop(DropReason.noAllocation);
    const peerAttr = getAttribute(msg, Attr.xorPeerAddress);
    const dataAttr = getAttribute(msg, Attr.data);
    const peer = peerAttr && decodeXorAddress(peerAttr, msg.transactionId);
    if (!peer || !dataAttr) return this.drop(DropReason.badIndication);
    return this.toPeer(allocation, peer, dataAttr.value, now);
  }

  private toPeer(allocation: ActiveAllocation, peer: FamilyAddress, payload: Buffer, now: number): TurnAction[] {
    if (peer.port === 0) return this.drop(DropReason.badIndication); // nothing listens on port 0 (and dgram throws)
    const perm = allocation.permissions.get(peer.address);
    if (!perm || perm.expiresAt < now) return this.drop(DropReason.noPermission);
    if (perm.restricted && !this.table.isOwnRelay(peer)) return this.drop(DropReason.deniedPeer);
    if (!allocation.spend(payload.length, now, this.config.maxBps)) return this.drop(DropReason.bandwidth);
    this.stats.packetsToPeer++;
    this.stats.bytesToPeer += payload.length;
    allocation.bytesToPeer += payload.length;
    // The peer is another allocation of this server: deliver in-process, as if from our relayed address. Saves
    // a sendmsg + recvmsg per packet (two peers relayed by one server is the forced-relay case) and, behind a
    // 1:1 NAT, a hairpin the NAT may not do. The target's permission and bandwidth checks still apply.
    const target = this.table.ownRelayAt(peer);
    if (target) {
      const action = this.handleRelayPacket(target, allocation.relay, payload, now);
      return action ? [action] : [];
    }
    return [{ type: 'relay-send', allocation, peer, data: payload }];
  }

  /** A datagram that arrived on an allocation's relay socket from a peer. */
  handleRelayPacket(allocation: Allocation, from: FamilyAddress, payload: Buffer, now: number): TurnAction | null {
    if (!isActive(allocation)) return null;
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

  /** The adapter dropped a TCP/TLS byte stream that could not be framed (counted as malformed). */
  noteMalformedStream(): void {
    this.stats.dropped.malformed++;
  }

  // ---- lifetimes ----

  /** Expire allocations, permissions and channels (call about once a second). */
  sweep(now: number): TurnAction[] {
    const actions = this.table.sweep(now);
    this.unauthLimiter.sweep(now);
    return actions;
  }

  /** A TCP/TLS client connection closed: its allocation goes with it (RFC 8656 §3.1). */
  clientGone(clientKey: string): TurnAction[] {
    const allocation = this.table.get(clientKey);
    return allocation ? this.table.close(allocation, 'client-gone') : [];
  }

  closeAll(): TurnAction[] {
    return this.table.closeAll();
  }

  private drop(reason: DropReason): TurnAction[] {
    this.stats.dropped[reason]++;
    return [];
  }

  counters() {
    return {
      allocations: this.table.activeAllocations,
      permissions: this.table.permissionCount,
      channels: this.table.channelCount,
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
