// Goodput from what the receiver saw: (time, bytes) per message. The receiver's view is the one that counts:
// the sender only knows what it queued, not what crossed the path.

export interface ByteSample {
  /** ms, receiver's clock. */
  at: number;
  bytes: number;
}

/**
 * Mean goodput in bits per second between the first and the last arrival. The first message's bytes are not
 * counted: they arrived at the start of the window, not during it. Null with fewer than two arrivals or no
 * elapsed time.
 */
export function throughputBps(samples: readonly ByteSample[]): number | null {
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const elapsed = last.at - first.at;
  if (elapsed <= 0) return null;
  let bytes = 0;
  for (let i = 1; i < samples.length; i++) bytes += samples[i]!.bytes;
  return (bytes * 8 * 1000) / elapsed;
}

/**
 * Goodput per interval of `bucketMs`, counted from `start` (ms, receiver's clock) up to the last arrival.
 * Every interval appears, empty ones as 0 (a stall is information). `at` is the interval's end relative to
 * `start`.
 */
export function throughputSeries(samples: readonly ByteSample[], start: number, bucketMs: number): { at: number; bps: number }[] {
  if (samples.length === 0 || bucketMs <= 0) return [];
  const lastAt = samples[samples.length - 1]!.at;
  const buckets = new Array<number>(Math.max(1, Math.ceil((lastAt - start) / bucketMs))).fill(0);
  for (const s of samples) {
    const i = Math.min(buckets.length - 1, Math.max(0, Math.floor((s.at - start) / bucketMs)));
    buckets[i] = buckets[i]! + s.bytes;
  }
  return buckets.map((b, i) => ({ at: (i + 1) * bucketMs, bps: (b * 8 * 1000) / bucketMs }));
}

/**
 * Accumulates arrivals without keeping every message: bytes per fixed interval plus first/last arrival, which
 * is all throughputBps and throughputSeries need. At 16 KiB messages a fast link delivers thousands per second.
 */
export class ThroughputMeter {
  private readonly buckets: number[] = [];
  private firstAt: number | null = null;
  private lastAt: number | null = null;
  private firstBytes = 0;
  private total = 0;

  constructor(private readonly start: number, private readonly bucketMs = 250) {}

  add(at: number, bytes: number): void {
    if (this.firstAt === null) {
      this.firstAt = at;
      this.firstBytes = bytes;
    }
    this.lastAt = at;
    this.total += bytes;
    const i = Math.max(0, Math.floor((at - this.start) / this.bucketMs));
    while (this.buckets.length <= i) this.buckets.push(0);
    this.buckets[i] = this.buckets[i]! + bytes;
  }

  get bytes(): number {
    return this.total;
  }

  /** Same definition as throughputBps. */
  bps(): number | null {
    if (this.firstAt === null || this.lastAt === null || this.lastAt <= this.firstAt) return null;
    return ((this.total - this.firstBytes) * 8 * 1000) / (this.lastAt - this.firstAt);
  }

  durationMs(): number {
    return this.firstAt === null || this.lastAt === null ? 0 : this.lastAt - this.firstAt;
  }

  series(): { at: number; bps: number }[] {
    return this.buckets.map((b, i) => ({ at: (i + 1) * this.bucketMs, bps: (b * 8 * 1000) / this.bucketMs }));
  }
}
