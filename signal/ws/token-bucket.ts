/** Classic token bucket; time is passed in so tests need no clock. */
export class TokenBucket {
  private tokens: number;
  private last = -1;

  constructor(private readonly burst: number, private readonly perSecond: number) {
    this.tokens = burst;
  }

  take(nowMs: number): boolean {
    if (this.last >= 0) this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) / 1000) * this.perSecond);
    this.last = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
