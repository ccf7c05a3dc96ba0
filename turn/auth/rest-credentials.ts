// TURN REST API credentials, the scheme of coturn's `static-auth-secret` (draft-uberti-behave-turn-rest-00):
// username "<expiry-unix-seconds>:<id>", password base64(HMAC-SHA1(secret, username)).
import { createHmac, randomBytes } from 'node:crypto';

export function createRestCredential(
  secret: string,
  opts: { ttlSeconds: number; id?: string; nowMs?: number },
): { username: string; credential: string; expiresAt: number } {
  const expiresAt = Math.floor((opts.nowMs ?? Date.now()) / 1000) + Math.max(0, Math.floor(opts.ttlSeconds));
  const username = `${expiresAt}:${opts.id ?? randomBytes(9).toString('base64url')}`;
  return { username, credential: restPassword(secret, username), expiresAt };
}

export function restPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username, 'utf8').digest('base64');
}

export type RestUsernameParse =
  | { ok: true; expiresAt: number; userId: string }
  | { ok: false; reason: 'malformed-username' | 'expired' };

/**
 * Checks the expiry encoded in a REST username without deriving anything. The expiry is the part before the first
 * ':' (coturn also accepts a bare timestamp). The user id (after the ':') is what per-user quotas count.
 */
export function parseRestUsername(username: string, nowMs: number): RestUsernameParse {
  const colon = username.indexOf(':');
  const stamp = colon < 0 ? username : username.slice(0, colon);
  if (!/^\d{1,12}$/.test(stamp)) return { ok: false, reason: 'malformed-username' };
  const expiresAt = Number(stamp);
  if (expiresAt * 1000 < nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, expiresAt, userId: colon < 0 ? '' : username.slice(colon + 1) };
}
