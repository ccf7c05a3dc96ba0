// Token bucket per key (usually a clientKey) with a bounded number of tracked keys. When the table is full the
// least recently seen key is evicted — never everyone at once, so an attacker spraying addresses cannot reset the
// limits of the clients that are being limited. Time is passed in, so tests need no clock.
// Used for replies to unauthenticated STUN/TURN requests (RFC 8656 §21.1.2 spirit; coturn's
// --unauthorized-ratelimit) and for the HTTP/WebSocket fair-share limits.

export interface RateLimiterOptions {
  /** Tokens a key may hold at once; defaults to twice the rate. */
  burst?: number;
  /** Most keys tracked at once; the least recently seen one is dropped beyond it. */
  maxTracked?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly maxTracked: number;

  /** `ratePerSecond` 0 disables the limit. */
  constructor(private readonly ratePerSecond: number, opts: RateLimiterOptions = {}) {
    this.burst = Math.max(1, opts.burst ?? ratePerSecond * 2);
    this.maxTracked = Math.max(1, opts.maxTracked ?? 100_000);
  }

  take(key: string, now: number): boolean {
    if (this.ratePerSecond <= 0) return true;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxTracked) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
      b = { tokens: this.burst, at: now };
    } else {
      // Move to the back of the insertion order: the front is always the least recently seen key.
      this.buckets.delete(key);
      if (now > b.at) {
        b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) * this.ratePerSecond) / 1000);
        b.at = now;
      }
    }
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Seconds until `key` may take one token again (0 when it can now); for Retry-After. */
  retryAfterSeconds(key: string, now: number): number {
    const b = this.buckets.get(key);
    if (!b || this.ratePerSecond <= 0) return 0;
    const tokens = Math.min(this.burst, b.tokens + (Math.max(0, now - b.at) * this.ratePerSecond) / 1000);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.ratePerSecond);
  }

  /** Forget buckets that have refilled completely. */
  sweep(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) * this.ratePerSecond) / 1000 >= this.burst) this.buckets.delete(k);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
