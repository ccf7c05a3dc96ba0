// Long-term credential check (RFC 8489 §9.2) with REST usernames; 401 challenge with REALM and NONCE, 438 on a
// stale or foreign nonce. Replies to unauthenticated requests go through the per-source rate limit (replies.ts).
import { KeyCache } from '../auth/key-cache';
import { NonceIssuer } from '../auth/nonce';
import { parseRestUsername, restPassword } from '../auth/rest-credentials';
import { Attr } from '../stun/constants';
import { checkMessageIntegrity, longTermKey } from '../stun/integrity';
import { getAttribute, textAttribute, type DecodedStunMessage } from '../stun/message';
import type { Replies } from './replies';
import { AuthFailure, type ClientRef, type TurnAction } from './types';

export type AuthResult = { ok: true; username: string; userId: string; key: Buffer } | { ok: false; actions: TurnAction[] };

export class Authenticator {
  readonly nonces: NonceIssuer;
  /** Long-term keys of users whose requests verified recently (bounded). */
  readonly keyCache = new KeyCache(1024);

  constructor(
    private readonly realm: string,
    private readonly secret: string,
    nonceTtlMs: number,
    nonceKey: Buffer | undefined,
    private readonly replies: Replies,
    /** Rotation: credentials made with the previous secret stay valid until it is removed. */
    private readonly previousSecret: string | null = null,
  ) {
    this.nonces = new NonceIssuer(nonceTtlMs, nonceKey);
  }

  authenticate(req: DecodedStunMessage, client: ClientRef, now: number): AuthResult {
    const hasMi = req.attributes.some((a) => a.type === Attr.messageIntegrity || a.type === Attr.messageIntegritySha256);
    if (!hasMi) return { ok: false, actions: this.replies.challenge(client, req, () => this.challengeAttrs(client, now), now) };
    const username = getAttribute(req, Attr.username);
    const realm = getAttribute(req, Attr.realm);
    const nonce = getAttribute(req, Attr.nonce);
    if (!username || !realm || !nonce || username.value.length > 513 || nonce.value.length > 763) {
      return this.fail(req, client, now, AuthFailure.badRequest, 400, false);
    }
    const nonceCheck = this.nonces.check(nonce.value.toString('latin1'), client.address, now);
    if (nonceCheck !== 'ok') return this.fail(req, client, now, AuthFailure.staleNonce, 438, true);
    const realmText = realm.value.toString('utf8');
    if (realmText !== this.realm) return this.fail(req, client, now, AuthFailure.wrongRealm, 401, true);
    const user = username.value.toString('utf8');
    // Expiry first, on every request: a cached key never outlives its credential.
    const rest = parseRestUsername(user, now);
    if (!rest.ok) {
      const reason = rest.reason === 'expired' ? AuthFailure.expired : AuthFailure.malformedUsername;
      return this.fail(req, client, now, reason, 401, true);
    }
    const cached = this.keyCache.get(user);
    let key = cached ?? longTermKey(user, realmText, restPassword(this.secret, user));
    if (checkMessageIntegrity(req, key) !== 'ok') {
      const previous = !cached && this.previousSecret !== null ? longTermKey(user, realmText, restPassword(this.previousSecret, user)) : null;
      if (!previous || checkMessageIntegrity(req, previous) !== 'ok') return this.fail(req, client, now, AuthFailure.badIntegrity, 401, true);
      key = previous;
    }
    if (!cached) this.keyCache.set(user, key); // only keys that verified a request: forged usernames never get in
    return { ok: true, username: user, userId: rest.userId, key };
  }

  private challengeAttrs(client: ClientRef, now: number) {
    return [textAttribute(Attr.realm, this.realm), textAttribute(Attr.nonce, this.nonces.issue(client.address, now))];
  }

  private fail(req: DecodedStunMessage, client: ClientRef, now: number, why: AuthFailure, code: number, challenge: boolean): AuthResult {
    const attrs = challenge ? () => this.challengeAttrs(client, now) : [];
    return { ok: false, actions: this.replies.authFailure(why, client, req, code, attrs, now) };
  }
}
