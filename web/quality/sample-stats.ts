// Order statistics for small sample sets (RTT probes, throughput intervals). Pure.

/** Nearest-rank percentile (p in 0..100) of the values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

/** The one median of the page (link test, bufferbloat, relay check): the nearest-rank 50th percentile, so for an
 *  even count the lower of the two middle values: always a value that was measured, never an average of two. */
export const median = (values: readonly number[]) => percentile(values, 50);

export const round = (v: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
