// Token bucket per source IP for replies to unauthenticated requests (401/438/400, Binding), so the server
// cannot be used to reflect or amplify traffic towards a spoofed address (RFC 8656 §21.1.2 spirit; coturn's
// --unauthorized-ratelimit). The map is bounded: full buckets are dropped on sweep, and it is cleared if huge.

const MAX_TRACKED = 100_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `ratePerSecond` 0 disables the limit. Bursts up to twice the rate. */
  constructor(private readonly ratePerSecond: number) {}

  take(key: string, now: number): boolean {
    if (this.ratePerSecond <= 0) return true;
    const burst = this.ratePerSecond * 2;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_TRACKED) this.buckets.clear();
      b = { tokens: burst, at: now };
      this.buckets.set(key, b);
    } else if (now > b.at) {
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) * this.ratePerSecond) / 1000);
      b.at = now;
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forget buckets that have refilled completely. */
  sweep(now: number): void {
    const burst = this.ratePerSecond * 2;
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) * this.ratePerSecond) / 1000 >= burst) this.buckets.delete(k);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
