// CreatePermission (RFC 8656 §9.2) and ChannelBind (§12.2), with the peer policy (403) and per-allocation caps.
import { decodeXorAddress } from '../stun/address';
import { isChannelNumber } from '../stun/channel-data';
import { Attr } from '../stun/constants';
import type { FamilyAddress } from '../../common/net/transport-address';
import type { DecodedStunMessage } from '../stun/message';
import type { PeerPolicy } from '../security/peer-policy';
import { peerKey, type ActiveAllocation, type AllocationTable } from './allocation';
import type { Authenticator } from './auth';
import type { Replies } from './replies';
import type { ClientRef, CoreConfig, TurnAction } from './types';

export interface PermissionDeps {
  config: Pick<CoreConfig, 'maxPermissions' | 'maxChannels' | 'permissionLifetimeS' | 'channelLifetimeS'>;
  auth: Authenticator;
  replies: Replies;
  table: AllocationTable;
  policy: PeerPolicy;
}

type Checked = { ok: true; allocation: ActiveAllocation; key: Buffer } | { ok: false; actions: TurnAction[] };

/** Auth, allocation of this 5-tuple (437), same username as the allocation (441). */
function checkRequest({ auth, replies, table }: PermissionDeps, req: DecodedStunMessage, client: ClientRef, now: number): Checked {
  const who = auth.authenticate(req, client, now);
  if (!who.ok) return who;
  const allocation = table.active(client.key);
  if (!allocation) return { ok: false, actions: replies.authError(client, req, 437, who.key) };
  if (allocation.username !== who.username) return { ok: false, actions: replies.wrongCredentials(client, req, who.key) };
  return { ok: true, allocation, key: who.key };
}

type PeerCheck = { ok: true; restricted: boolean } | { ok: false; code: number };

function checkPeer({ policy, table }: PermissionDeps, allocation: ActiveAllocation, peer: FamilyAddress): PeerCheck {
  if (peer.family !== allocation.family) return { ok: false, code: 443 };
  if (policy.allows(peer.address)) return { ok: true, restricted: false };
  // Denied range, but another allocation of this server: allowed (forced relay on a LAN deployment).
  if (table.isOwnRelay(peer)) return { ok: true, restricted: true };
  return { ok: false, code: 403 };
}

function permissionExpiry(deps: PermissionDeps, now: number): number {
  return now + deps.config.permissionLifetimeS * 1000;
}

export function handleCreatePermission(deps: PermissionDeps, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const c = checkRequest(deps, req, client, now);
  if (!c.ok) return c.actions;
  const { replies, table, config } = deps;
  const { allocation, key } = c;
  const peers: Array<{ peer: FamilyAddress; restricted: boolean }> = [];
  for (const attr of req.attributes) {
    if (attr.type !== Attr.xorPeerAddress) continue;
    const peer = decodeXorAddress(attr, req.transactionId);
    if (!peer) return replies.authError(client, req, 400, key);
    const check = checkPeer(deps, allocation, peer);
    if (!check.ok) return replies.authError(client, req, check.code, key);
    peers.push({ peer, restricted: check.restricted });
  }
  if (peers.length === 0) return replies.authError(client, req, 400, key);
  const added = new Set(peers.map((p) => p.peer.address).filter((ip) => !allocation.permissions.has(ip)));
  if (allocation.permissions.size + added.size > config.maxPermissions) return replies.authError(client, req, 508, key);
  for (const { peer, restricted } of peers) table.installPermission(allocation, peer.address, restricted, permissionExpiry(deps, now));
  return [{ type: 'send', to: client, data: replies.success(req, [], key) }];
}

export function handleChannelBind(deps: PermissionDeps, req: DecodedStunMessage, client: ClientRef, now: number): TurnAction[] {
  const c = checkRequest(deps, req, client, now);
  if (!c.ok) return c.actions;
  const { replies, table, config } = deps;
  const { allocation, key } = c;
  let number = -1;
  let peer: FamilyAddress | null = null;
  for (const attr of req.attributes) {
    if (attr.type === Attr.channelNumber && attr.value.length === 4) number = attr.value.readUInt16BE(0);
    if (attr.type === Attr.xorPeerAddress && !peer) peer = decodeXorAddress(attr, req.transactionId);
  }
  if (!isChannelNumber(number) || !peer || peer.port === 0) return replies.authError(client, req, 400, key);
  const check = checkPeer(deps, allocation, peer);
  if (!check.ok) return replies.authError(client, req, check.code, key);
  const pk = peerKey(peer.address, peer.port);
  const byNumber = allocation.channels?.get(number);
  const byPeer = allocation.channelByPeer?.get(pk);
  // A channel number is bound to one peer and a peer to one channel (§12.2).
  if ((byNumber && byNumber !== byPeer) || (byPeer && byPeer.number !== number)) return replies.authError(client, req, 400, key);
  let channel = byNumber;
  if (!channel) {
    if ((allocation.channels?.size ?? 0) >= config.maxChannels) return replies.authError(client, req, 508, key);
    if (!allocation.permissions.has(peer.address) && allocation.permissions.size >= config.maxPermissions) {
      return replies.authError(client, req, 508, key);
    }
    channel = { number, peer, expiresAt: 0, restricted: check.restricted };
    table.addChannel(allocation, channel);
  }
  channel.expiresAt = now + config.channelLifetimeS * 1000;
  table.installPermission(allocation, peer.address, check.restricted, permissionExpiry(deps, now));
  return [{ type: 'send', to: client, data: replies.success(req, [], key) }];
}
