// Allocate (RFC 8656 §7.2), Refresh (§7.3) and the relay-bound continuation of Allocate.
import { xorAddressAttribute } from '../stun/address';
import { Attr, Method, TRANSPORT_UDP } from '../stun/constants';
import { getAttribute, u32Attribute, type DecodedStunMessage } from '../stun/message';
import { Allocation } from './allocation';
import { authenticate } from './auth';
import { sourceOf } from './source-key';
import type { TurnCore } from './turn-core';
import type { ClientRef, TurnAction } from './types';
import type { TransportAddress } from '../stun/ip-address';

/** Requested lifetime clamped to [default, max]; shorter requests get the default, as coturn does (§7.2 step 7). */
function grantedLifetime(core: TurnCore, req: DecodedStunMessage): number {
  const attr = getAttribute(req, Attr.lifetime);
  const { allocDefaultLifetimeS: def, allocMaxLifetimeS: max } = core.config;
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

export function handleAllocate(core: TurnCore, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const auth = authenticate(core, req, client, now);
  if (!auth.ok) return auth.actions;
  const reply = (code: number): TurnAction[] => core.authReply(client, req, code, auth.key);
  const existing = core.allocations.get(client.key);
  if (existing) {
    // A retransmitted Allocate gets the same answer; any other is a mismatch (§7.2 step 2).
    if (existing.allocateTid.equals(req.transactionId)) {
      return existing.relay ? [{ type: 'send', to: client, data: allocateSuccess(core, existing) }] : [];
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
  if (!core.config.relayFamilies[relayFamily]) return reply(440);
  const lifetime = grantedLifetime(core, req);
  const allocation = new Allocation(client, auth.username, auth.userId, sourceOf(client), auth.key, relayFamily, now + lifetime * 1000, now, req.transactionId, lifetime, core.config.maxBps);
  // Total, per-user and per-source quotas (the last so that one address cannot take the relay range from others).
  if (!core.addAllocation(allocation)) return reply(486);
  return [{ type: 'bind-relay', allocation, family: relayFamily, evenPort: !!getAttribute(req, Attr.evenPort) }];
}

/**
 * The adapter bound (or failed to bind) the relay socket. `relay` is the advertised address, `localRelay` where it
 * can be reached from this host. On failure the client gets 508 Insufficient Capacity (§7.2).
 */
export function completeAllocate(
  core: TurnCore,
  allocation: Allocation,
  result: { relay: TransportAddress; localRelay: TransportAddress } | null,
  now: number,
): TurnAction[] {
  if (allocation.closed) return result ? [{ type: 'close-relay', allocation }] : [];
  const client = allocation.client;
  const req = { method: Method.allocate, cls: 0 as const, transactionId: allocation.allocateTid, attributes: [] };
  if (!result) {
    core.removeAllocation(allocation);
    return core.authReply(client, req, 508, allocation.key);
  }
  allocation.relay = result.relay;
  allocation.localRelay = result.localRelay;
  core.registerRelay(allocation);
  allocation.expiresAt = now + allocation.pendingLifetimeS * 1000;
  core.stats.allocationsCreated++;
  return [{ type: 'send', to: client, data: allocateSuccess(core, allocation) }, { type: 'allocation-created', allocation }];
}

/** The Allocate success response; rebuilt (identically) for retransmissions instead of kept per allocation. */
function allocateSuccess(core: TurnCore, allocation: Allocation): Buffer {
  const req = { method: Method.allocate, cls: 0 as const, transactionId: allocation.allocateTid, attributes: [] };
  return core.success(req, [
    xorAddressAttribute(Attr.xorRelayedAddress, allocation.relay!, req.transactionId),
    u32Attribute(Attr.lifetime, allocation.pendingLifetimeS),
    xorAddressAttribute(Attr.xorMappedAddress, allocation.client, req.transactionId),
  ], allocation.key);
}

export function handleRefresh(core: TurnCore, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const auth = authenticate(core, req, client, now);
  if (!auth.ok) return auth.actions;
  const allocation = core.allocations.get(client.key);
  if (!allocation || !allocation.relay) return core.authReply(client, req, 437, auth.key);
  if (allocation.username !== auth.username) return core.wrongCredentials(client, req, auth.key);
  const family = requestedFamily(req);
  if (family === undefined) return core.authReply(client, req, 440, auth.key);
  if (family !== null && family !== allocation.family) return core.authReply(client, req, 443, auth.key);
  const attr = getAttribute(req, Attr.lifetime);
  const requested = attr && attr.value.length === 4 ? attr.value.readUInt32BE(0) : null;
  if (requested === 0) {
    const ok = core.success(req, [u32Attribute(Attr.lifetime, 0)], auth.key);
    return [{ type: 'send', to: client, data: ok }, ...core.closeAllocation(allocation, 'refresh-0')];
  }
  const lifetime = grantedLifetime(core, req);
  allocation.expiresAt = now + lifetime * 1000;
  return [{ type: 'send', to: client, data: core.success(req, [u32Attribute(Attr.lifetime, lifetime)], auth.key) }];
}
