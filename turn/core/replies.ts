// Replies to requests and their counting: error responses by code, challenges and refused credentials, and the
// per-source rate limit on everything sent to an unauthenticated request (anti-amplification, RFC 8489 §6.3.4).
import type { StunAttribute, StunMessage } from '../stun/message';
import type { RateLimiter } from '../security/rate-limiter';
import { errorResponse, successResponse } from './responses';
import { sourceOf } from './source-key';
import { AuthFailure, DropReason, type ClientRef, type CoreStats, type TurnAction } from './types';
import type { EndpointRole } from '../../common/net/endpoint-role';

type Attrs = StunAttribute[] | (() => StunAttribute[]);

export class Replies {
  constructor(
    private readonly stats: Pick<CoreStats, 'challenges' | 'authFailures' | 'errorResponses' | 'dropped'>,
    private readonly unauthLimiter: RateLimiter,
  ) {}

  /** Success response to an authenticated request (signed with the requester's key). */
  success(req: StunMessage, attrs: StunAttribute[], key: Buffer): Buffer {
    return successResponse(req, attrs, key);
  }

  /** Error reply to an authenticated request (signed with the requester's key). */
  authError(client: ClientRef, req: StunMessage, code: number, key: Buffer | null): TurnAction[] {
    this.countError(code);
    return [{ type: 'send', to: client, data: errorResponse(req, code, [], key) }];
  }

  /** 441: the request's credentials are not those of the allocation. */
  wrongCredentials(client: ClientRef, req: StunMessage, key: Buffer): TurnAction[] {
    this.stats.authFailures[AuthFailure.wrongCredentials]++;
    return this.authError(client, req, 441, key);
  }

  /** Error reply to an unauthenticated request, subject to the rate limit. */
  unauthError(client: ClientRef, req: StunMessage, code: number, attrs: Attrs, now: number): TurnAction[] {
    // Limit first: a rate-limited flood costs no nonce HMAC (`attrs` may be built lazily). Keyed by clientKey: an
    // IPv6 host owns a whole /64, so per-address buckets would give it 2^64 of them.
    if (!this.unauthLimiter.take(sourceOf(client), now)) return this.drop(DropReason.rateLimited);
    this.countError(code);
    return [{ type: 'send', to: client, data: errorResponse(req, code, typeof attrs === 'function' ? attrs() : attrs, null) }];
  }

  /** 401 to a request without credentials (REALM and NONCE in `attrs`). */
  challenge(client: ClientRef, req: StunMessage, attrs: () => StunAttribute[], now: number): TurnAction[] {
    this.stats.challenges++;
    return this.unauthError(client, req, 401, attrs, now);
  }

  /** Refused credentials, counted by why; `attrs` a fresh challenge where the client may retry. */
  authFailure(why: AuthFailure, client: ClientRef, req: StunMessage, code: number, attrs: Attrs, now: number): TurnAction[] {
    this.stats.authFailures[why]++;
    return this.unauthError(client, req, code, attrs, now);
  }

  /** Success to an unauthenticated Binding request, subject to the same per-source rate limit as the errors. */
  unauthSuccess(client: ClientRef, req: StunMessage, attrs: StunAttribute[], via: EndpointRole, now: number): TurnAction[] {
    if (!this.unauthLimiter.take(sourceOf(client), now)) return this.drop(DropReason.rateLimited);
    return [{ type: 'send', to: client, data: successResponse(req, attrs, null), via }];
  }

  private countError(code: number): void {
    this.stats.errorResponses.set(code, (this.stats.errorResponses.get(code) ?? 0) + 1);
  }

  private drop(reason: DropReason): TurnAction[] {
    this.stats.dropped[reason]++;
    return [];
  }
}
