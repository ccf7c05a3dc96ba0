// Long-term credential check (RFC 8489 §9.2) with REST usernames; 401 challenge with REALM and NONCE, 438 on a
// stale or foreign nonce. Replies to unauthenticated requests go through the per-IP rate limiter.
import { parseRestUsername, restPassword } from '../auth/rest-credentials';
import { Attr } from '../stun/constants';
import { checkMessageIntegrity, longTermKey } from '../stun/integrity';
import { getAttribute, textAttribute, type DecodedStunMessage } from '../stun/message';
import { errorResponse } from './responses';
import type { TurnCore } from './turn-core';
import { AuthFailure, type ClientRef, type TurnAction } from './types';

export type AuthResult = { ok: true; username: string; userId: string; key: Buffer } | { ok: false; actions: TurnAction[] };

export function authenticate(core: TurnCore, req: DecodedStunMessage, client: ClientRef, now: number): AuthResult {
  const hasMi = req.attributes.some((a) => a.type === Attr.messageIntegrity || a.type === Attr.messageIntegritySha256);
  if (!hasMi) {
    core.stats.challenges++;
    return { ok: false, actions: core.unauthReply(client, req, 401, () => challengeAttrs(core, client, now), now) };
  }
  const username = getAttribute(req, Attr.username);
  const realm = getAttribute(req, Attr.realm);
  const nonce = getAttribute(req, Attr.nonce);
  if (!username || !realm || !nonce || username.value.length > 513 || nonce.value.length > 763) {
    return fail(core, req, client, now, AuthFailure.badRequest, 400, false);
  }
  const nonceCheck = core.nonces.check(nonce.value.toString('latin1'), client.address, now);
  if (nonceCheck !== 'ok') return fail(core, req, client, now, AuthFailure.staleNonce, 438, true);
  const realmText = realm.value.toString('utf8');
  if (realmText !== core.config.realm) return fail(core, req, client, now, AuthFailure.wrongRealm, 401, true);
  const user = username.value.toString('utf8');
  // Expiry first, on every request: a cached key never outlives its credential.
  const rest = parseRestUsername(user, now);
  if (!rest.ok) {
    const reason = rest.reason === 'expired' ? AuthFailure.expired : AuthFailure.malformedUsername;
    return fail(core, req, client, now, reason, 401, true);
  }
  const cached = core.keyCache.get(user);
  const key = cached ?? longTermKey(user, realmText, restPassword(core.config.secret, user));
  if (checkMessageIntegrity(req, key) !== 'ok') return fail(core, req, client, now, AuthFailure.badIntegrity, 401, true);
  if (!cached) core.keyCache.set(user, key); // only keys that verified a request: forged usernames never get in
  return { ok: true, username: user, userId: rest.userId, key };
}

function challengeAttrs(core: TurnCore, client: ClientRef, now: number) {
  return [textAttribute(Attr.realm, core.config.realm), textAttribute(Attr.nonce, core.nonces.issue(client.address, now))];
}

function fail(core: TurnCore, req: DecodedStunMessage, client: ClientRef, now: number, why: AuthFailure, code: number, challenge: boolean): AuthResult {
  core.stats.authFailures[why]++;
  return { ok: false, actions: core.unauthReply(client, req, code, challenge ? () => challengeAttrs(core, client, now) : [], now) };
}

export { errorResponse };
