import { describe, expect, it } from 'vitest';
import { NonceIssuer } from './nonce';
import { createRestCredential, parseRestUsername, restPassword } from './rest-credentials';

describe('REST credentials (coturn static-auth-secret scheme)', () => {
  it('builds "<expiry>:<id>" and base64(HMAC-SHA1(secret, username))', () => {
    const c = createRestCredential('north', { ttlSeconds: 3600, id: 'alice', nowMs: 1_700_000_000_000 });
    expect(c.username).toBe('1700003600:alice');
    expect(c.expiresAt).toBe(1700003600);
    // Same value coturn's turnutils_uclient -W computes (HMAC-SHA1, base64).
    expect(c.credential).toBe(restPassword('north', '1700003600:alice'));
    expect(Buffer.from(c.credential, 'base64')).toHaveLength(20);
  });

  it('accepts an unexpired username and rejects expired or malformed ones', () => {
    const now = 1_700_000_000_000;
    expect(parseRestUsername('1700000100:bob', now)).toEqual({ ok: true, userId: 'bob', expiresAt: 1700000100 });
    expect(parseRestUsername('1699999999:bob', now)).toEqual({ ok: false, reason: 'expired' });
    expect(parseRestUsername('bob:1700000100', now)).toEqual({ ok: false, reason: 'malformed-username' });
    expect(parseRestUsername('', now)).toEqual({ ok: false, reason: 'malformed-username' });
  });
});

describe('stateless nonces', () => {
  it('is valid for the same client within its lifetime, stale after, invalid elsewhere', () => {
    const n = new NonceIssuer(600_000);
    const t = 1_700_000_000_000;
    const nonce = n.issue('192.0.2.7', t);
    expect(n.check(nonce, '192.0.2.7', t + 1000)).toBe('ok');
    expect(n.check(nonce, '192.0.2.8', t + 1000)).toBe('invalid');
    expect(n.check(nonce, '192.0.2.7', t + 601_000)).toBe('stale');
    expect(n.check('x' + nonce.slice(1), '192.0.2.7', t)).toBe('invalid');
    expect(new NonceIssuer(600_000).check(nonce, '192.0.2.7', t)).toBe('invalid');
  });
});
