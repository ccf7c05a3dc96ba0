// Allocate (RFC 8656 §7.2), Refresh (§7.3) and the relay-bound continuation of Allocate. The lifecycle itself
// (reserve, bind, refresh, close) is the allocation table's (allocation.ts).
import { xorAddressAttribute } from '../stun/address';
import { Attr, Method, TRANSPORT_UDP } from '../stun/constants';
import type { FamilyAddress } from '../../common/net/transport-address';
import { getAttribute, u32Attribute, type DecodedStunMessage } from '../stun/message';
import type { ActiveAllocation, Allocation, AllocationTable } from './allocation';
import type { Authenticator } from './auth';
import type { Replies } from './replies';
import { sourceOf } from './source-key';
import type { ClientRef, CoreConfig, TurnAction } from './types';

export interface AllocateDeps {
  config: Pick<CoreConfig, 'allocDefaultLifetimeS' | 'allocMaxLifetimeS' | 'relayFamilies' | 'maxBps'>;
  auth: Authenticator;
  replies: Replies;
  table: AllocationTable;
}

/** Requested lifetime clamped to [default, max]; shorter requests get the default, as coturn does (§7.2 step 7). */
function grantedLifetime(config: AllocateDeps['config'], req: DecodedStunMessage): number {
  const attr = getAttribute(req, Attr.lifetime);
  const { allocDefaultLifetimeS: def, allocMaxLifetimeS: max } = config;
  if (!attr || attr.value.length !== 4) return def;
  return Math.min(max, Math.max(def, attr.value.readUInt32BE(0)));
}

/** REQUESTED-ADDRESS-FAMILY: 0x01 IPv4, 0x02 IPv6 (RFC 8656 §18.6); undefined when malformed. */
function requestedFamily(req: DecodedStunMessage): 4 | 6 | null | undefined {
  const attr = getAttribute(req, Attr.requestedAddressFamily);
  if (!attr) return null;
  if (attr.value.length !== 4) return undefined;
  return attr.value[0] === 0x01 ? 4 : attr.value[0] === 0x02 ? 6 : undefined;
}

export function handleAllocate({ config, auth, replies, table }: AllocateDeps, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const who = auth.authenticate(req, client, now);
  if (!who.ok) return who.actions;
  const reply = (code: number): TurnAction[] => replies.authError(client, req, code, who.key);
  const existing = table.get(client.key);
  if (existing) {
    // A retransmitted Allocate gets the same answer; any other is a mismatch (§7.2 step 2).
    if (existing.allocateTid.equals(req.transactionId)) {
      return existing.state === 'active' ? [{ type: 'send', to: client, data: allocateSuccess(replies, existing as ActiveAllocation) }] : [];
    }
    return reply(437);
  }
  const transport = getAttribute(req, Attr.requestedTransport);
  if (!transport || transport.value.length !== 4) return reply(400);
  if (transport.value[0] !== TRANSPORT_UDP) return reply(442);
  const family = requestedFamily(req);
  if (family === undefined) return reply(440);
  if (family !== null && getAttribute(req, Attr.reservationToken)) return reply(400);
  const relayFamily = family ?? 4;
  if (!config.relayFamilies[relayFamily]) return reply(440);
  const lifetime = grantedLifetime(config, req);
  const reserved = table.reserve(
    { client, username: who.username, userId: who.userId, sourceKey: sourceOf(client), key: who.key, family: relayFamily, allocateTid: req.transactionId, lifetimeS: lifetime, maxBps: config.maxBps },
    now + lifetime * 1000, now, !!getAttribute(req, Attr.evenPort),
  );
  // 486 says "this user (or this source) has reached its quota" (RFC 8656 §7.2); the server-wide limit is a lack of
  // capacity for everyone, 508 — a 486 there would send the user looking for other tabs on their own network.
  if (typeof reserved === 'string') return reply(reserved === 'total' ? 508 : 486);
  return [reserved];
}

/**
 * The adapter bound (or failed to bind) the relay socket. `relay` is the advertised address, `localRelay` where it
 * can be reached from this host. On failure the client gets 508 Insufficient Capacity (§7.2).
 */
export function completeAllocate(
  { replies, table }: Pick<AllocateDeps, 'replies' | 'table'>,
  allocation: Allocation,
  result: { relay: FamilyAddress; localRelay: FamilyAddress } | null,
  now: number,
): TurnAction[] {
  const waiting = allocation.state === 'binding';
  const events = table.bind(allocation, result, now);
  if (!waiting) return events;
  if (!result) {
    const req = { method: Method.allocate, cls: 0 as const, transactionId: allocation.allocateTid, attributes: [] };
    return replies.authError(allocation.client, req, 508, allocation.key);
  }
  return [{ type: 'send', to: allocation.client, data: allocateSuccess(replies, allocation as ActiveAllocation) }, ...events];
}

/** The Allocate success response; rebuilt (identically) for retransmissions instead of kept per allocation. */
function allocateSuccess(replies: Replies, allocation: ActiveAllocation): Buffer {
  const req = { method: Method.allocate, cls: 0 as const, transactionId: allocation.allocateTid, attributes: [] };
  return replies.success(req, [
    xorAddressAttribute(Attr.xorRelayedAddress, allocation.relay, req.transactionId),
    u32Attribute(Attr.lifetime, allocation.pendingLifetimeS),
    xorAddressAttribute(Attr.xorMappedAddress, allocation.client, req.transactionId),
  ], allocation.key);
}

export function handleRefresh({ config, auth, replies, table }: AllocateDeps, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const who = auth.authenticate(req, client, now);
  if (!who.ok) return who.actions;
  const allocation = table.active(client.key);
  if (!allocation) return replies.authError(client, req, 437, who.key);
  if (allocation.username !== who.username) return replies.wrongCredentials(client, req, who.key);
  const family = requestedFamily(req);
  if (family === undefined) return replies.authError(client, req, 440, who.key);
  if (family !== null && family !== allocation.family) return replies.authError(client, req, 443, who.key);
  const attr = getAttribute(req, Attr.lifetime);
  const requested = attr && attr.value.length === 4 ? attr.value.readUInt32BE(0) : null;
  if (requested === 0) {
    const ok = replies.success(req, [u32Attribute(Attr.lifetime, 0)], who.key);
    return [{ type: 'send', to: client, data: ok }, ...table.close(allocation, 'refresh-0')];
  }
  const lifetime = grantedLifetime(config, req);
  table.refresh(allocation, lifetime, now);
  return [{ type: 'send', to: client, data: replies.success(req, [u32Attribute(Attr.lifetime, lifetime)], who.key) }];
}
