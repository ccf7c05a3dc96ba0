// Inputs and outputs of the Sans-IO TURN core (RFC 8656): adapters feed packets and a clock, and carry out the
// returned actions. Nothing here touches a socket or a timer.
import type { FamilyAddress } from '../../common/net/transport-address';
import type { Allocation, AllocationAction, LifecycleStats } from './allocation';
import type { ClientRef } from './client-ref';
import type { EndpointRole } from '../../common/net/endpoint-role';

export type { ClientRef, ClientTransport } from './client-ref';
export type { CloseReason } from './allocation';

export interface CoreConfig {
  realm: string;
  secret: string;
  /** A second secret also accepted while a rotation is under way (TURN_SECRET_PREVIOUS); null/absent = none. */
  previousSecret?: string | null;
  nonceTtlMs: number;
  allocDefaultLifetimeS: number;
  allocMaxLifetimeS: number;
  permissionLifetimeS: number;
  channelLifetimeS: number;
  userQuota: number;
  totalQuota: number;
  /** Allocations per source: IPv4 address or IPv6 /64 (clientKey); 0 = unlimited. */
  sourceQuota: number;
  maxBps: number;
  maxPermissions: number;
  maxChannels: number;
  unauthRate: number;
  allowPeers: readonly string[];
  /** Advertised address of each listening endpoint, per socket family (RESPONSE-ORIGIN, OTHER-ADDRESS). */
  endpoints: Record<4 | 6, Partial<Record<EndpointRole, FamilyAddress>>>;
  /** Relay families this server can allocate (REQUESTED-ADDRESS-FAMILY, RFC 8656 §7.2 → 440). */
  relayFamilies: Record<4 | 6, boolean>;
}

export const DEFAULT_LIFETIMES = {
  allocDefaultLifetimeS: 600,
  allocMaxLifetimeS: 3600,
  permissionLifetimeS: 300,
  channelLifetimeS: 600,
} as const;

export type TurnAction =
  /** Send to a client; `via` picks the RFC 5780 endpoint (UDP; default: the one the request came in on). */
  | { type: 'send'; to: ClientRef; data: Buffer; via?: EndpointRole }
  /** Send from the allocation's relay socket to a peer. */
  | { type: 'relay-send'; allocation: Allocation; peer: FamilyAddress; data: Buffer }
  /** Lifecycle: open or close a relay socket, log an allocation's start or end (allocation.ts). */
  | AllocationAction;

export const DropReason = {
  malformed: 'malformed',
  noAllocation: 'no-allocation',
  noPermission: 'no-permission',
  noChannel: 'no-channel',
  deniedPeer: 'denied-peer',
  bandwidth: 'bandwidth',
  response: 'response',
  rateLimited: 'rate-limited',
  badIndication: 'bad-indication',
} as const;
export type DropReason = (typeof DropReason)[keyof typeof DropReason];

export const AuthFailure = {
  badRequest: 'bad-request',
  staleNonce: 'stale-nonce',
  wrongRealm: 'wrong-realm',
  malformedUsername: 'malformed-username',
  expired: 'expired',
  badIntegrity: 'bad-integrity',
  wrongCredentials: 'wrong-credentials',
} as const;
export type AuthFailure = (typeof AuthFailure)[keyof typeof AuthFailure];

/** Monotonic totals; the lifecycle ones (allocations created and closed, 486 by quota) are kept by the table. */
export interface CoreStats extends LifecycleStats {
  packetsToPeer: number;
  bytesToPeer: number;
  packetsToClient: number;
  bytesToClient: number;
  challenges: number;
  authFailures: Record<AuthFailure, number>;
  errorResponses: Map<number, number>;
  dropped: Record<DropReason, number>;
  peerSendErrors: Map<string, number>;
}
