/** Classic token bucket; time is passed in so tests need no clock. */
export class TokenBucket {
  private tokens: number;
  private last = -1;

  constructor(private readonly burst: number, private readonly perSecond: number) {
    this.tokens = burst;
  }

  /** Takes one token if there is one. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Charges `n` more tokens for what an admitted message turned out to cost (its fan-out), going into debt if need
   * be: the next messages wait until the bucket has refilled past it.
   */
  charge(n: number): void {
    if (n > 0) this.tokens -= n;
  }

  private refill(nowMs: number): void {
    if (this.last >= 0) this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) / 1000) * this.perSecond);
    this.last = nowMs;
  }
}
