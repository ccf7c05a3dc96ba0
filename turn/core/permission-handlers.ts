// CreatePermission (RFC 8656 §9.2) and ChannelBind (§12.2), with the peer policy (403) and per-allocation caps.
import { decodeXorAddress } from '../stun/address';
import { isChannelNumber } from '../stun/channel-data';
import { Attr } from '../stun/constants';
import type { TransportAddress } from '../stun/ip-address';
import type { DecodedStunMessage } from '../stun/message';
import { peerKey, type Allocation, type Channel } from './allocation';
import { authenticate } from './auth';
import type { TurnCore } from './turn-core';
import type { ClientRef, TurnAction } from './types';

type Checked = { ok: true; allocation: Allocation; key: Buffer } | { ok: false; actions: TurnAction[] };

/** Auth, allocation of this 5-tuple (437), same username as the allocation (441). */
function checkRequest(core: TurnCore, req: DecodedStunMessage, client: ClientRef, now: number): Checked {
  const auth = authenticate(core, req, client, now);
  if (!auth.ok) return auth;
  const allocation = core.allocations.get(client.key);
  if (!allocation || !allocation.relay) return { ok: false, actions: core.authReply(client, req, 437, auth.key) };
  if (allocation.username !== auth.username) return { ok: false, actions: core.wrongCredentials(client, req, auth.key) };
  return { ok: true, allocation, key: auth.key };
}

type PeerCheck = { ok: true; restricted: boolean } | { ok: false; code: number };

function checkPeer(core: TurnCore, allocation: Allocation, peer: TransportAddress): PeerCheck {
  if (peer.family !== allocation.family) return { ok: false, code: 443 };
  if (core.policy.allows(peer.address)) return { ok: true, restricted: false };
  // Denied range, but another allocation of this server: allowed (forced relay on a LAN deployment).
  if (core.isOwnRelay(peer)) return { ok: true, restricted: true };
  return { ok: false, code: 403 };
}

export function handleCreatePermission(core: TurnCore, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const c = checkRequest(core, req, client, now);
  if (!c.ok) return c.actions;
  const { allocation, key } = c;
  const peers: Array<{ peer: TransportAddress; restricted: boolean }> = [];
  for (const attr of req.attributes) {
    if (attr.type !== Attr.xorPeerAddress) continue;
    const peer = decodeXorAddress(attr, req.transactionId);
    if (!peer) return core.authReply(client, req, 400, key);
    const check = checkPeer(core, allocation, peer);
    if (!check.ok) return core.authReply(client, req, check.code, key);
    peers.push({ peer, restricted: check.restricted });
  }
  if (peers.length === 0) return core.authReply(client, req, 400, key);
  const added = new Set(peers.map((p) => p.peer.address).filter((ip) => !allocation.permissions.has(ip)));
  if (allocation.permissions.size + added.size > core.config.maxPermissions) return core.authReply(client, req, 508, key);
  for (const { peer, restricted } of peers) core.installPermission(allocation, peer.address, restricted, now);
  return [{ type: 'send', to: client, data: core.success(req, [], key) }];
}

export function handleChannelBind(core: TurnCore, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const c = checkRequest(core, req, client, now);
  if (!c.ok) return c.actions;
  const { allocation, key } = c;
  let number = -1;
  let peer: TransportAddress | null = null;
  for (const attr of req.attributes) {
    if (attr.type === Attr.channelNumber && attr.value.length === 4) number = attr.value.readUInt16BE(0);
    if (attr.type === Attr.xorPeerAddress && !peer) peer = decodeXorAddress(attr, req.transactionId);
  }
  if (!isChannelNumber(number) || !peer || peer.port === 0) return core.authReply(client, req, 400, key);
  const check = checkPeer(core, allocation, peer);
  if (!check.ok) return core.authReply(client, req, check.code, key);
  const pk = peerKey(peer.address, peer.port);
  const byNumber = allocation.channels?.get(number);
  const byPeer = allocation.channelByPeer?.get(pk);
  // A channel number is bound to one peer and a peer to one channel (§12.2).
  if ((byNumber && byNumber !== byPeer) || (byPeer && byPeer.number !== number)) return core.authReply(client, req, 400, key);
  if (!byNumber) {
    if ((allocation.channels?.size ?? 0) >= core.config.maxChannels) return core.authReply(client, req, 508, key);
    if (!allocation.permissions.has(peer.address) && allocation.permissions.size >= core.config.maxPermissions) {
      return core.authReply(client, req, 508, key);
    }
    const channel: Channel = { number, peer, expiresAt: 0, restricted: check.restricted };
    allocation.channels ??= new Map();
    allocation.channelByPeer ??= new Map();
    allocation.channels.set(number, channel);
    allocation.channelByPeer.set(pk, channel);
    core.channelCount++;
  }
  const channel = allocation.channels!.get(number)!;
  channel.expiresAt = now + core.config.channelLifetimeS * 1000;
  core.installPermission(allocation, peer.address, check.restricted, now);
  return [{ type: 'send', to: client, data: core.success(req, [], key) }];
}
