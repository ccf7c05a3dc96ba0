// Stateless nonces (RFC 8489 §9.2): "<issue-time hex>" + HMAC(key, time ‖ client IP). Nothing is stored per
// client, so a flood of unauthenticated requests costs no memory. Stale after `ttlMs` → 438 (RFC 8489 §9.2.5).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type NonceCheck = 'ok' | 'stale' | 'invalid';

export class NonceIssuer {
  private readonly key: Buffer;

  constructor(
    private readonly ttlMs: number,
    key: Buffer = randomBytes(32),
  ) {
    this.key = key;
  }

  issue(clientIp: string, nowMs: number): string {
    const stamp = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
    return stamp + this.mac(stamp, clientIp);
  }

  check(nonce: string, clientIp: string, nowMs: number): NonceCheck {
    if (nonce.length !== 8 + 22 || !/^[0-9a-f]{8}$/.test(nonce.slice(0, 8))) return 'invalid';
    const stamp = nonce.slice(0, 8);
    const expected = Buffer.from(this.mac(stamp, clientIp));
    const given = Buffer.from(nonce.slice(8));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    const issuedMs = parseInt(stamp, 16) * 1000;
    return nowMs - issuedMs > this.ttlMs || issuedMs - nowMs > 60_000 ? 'stale' : 'ok';
  }

  private mac(stamp: string, clientIp: string): string {
    return createHmac('sha256', this.key).update(`${stamp}|${clientIp}`).digest('base64url').slice(0, 22);
  }
}
