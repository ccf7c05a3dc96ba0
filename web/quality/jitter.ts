// Interarrival jitter as RTP computes it (RFC 3550 §6.4.1, algorithm in Appendix A.8): the mean deviation of
// the difference in transit time between consecutive packets, smoothed with gain 1/16. Sender and receiver
// clocks need not agree: only differences of transit times are used, so a constant offset cancels out.

export interface TransitSample {
  /** Sender's timestamp, ms (sender's clock). */
  sentAt: number;
  /** Arrival time, ms (receiver's clock). */
  receivedAt: number;
}

export interface JitterState {
  jitter: number;
  /** Transit time (receivedAt - sentAt) of the previous packet; null before the first. */
  lastTransit: number | null;
}

export const initialJitter = (): JitterState => ({ jitter: 0, lastTransit: null });

/** One step of J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16, fed packets in arrival order. */
export function updateJitter(state: JitterState, sample: TransitSample): JitterState {
  const transit = sample.receivedAt - sample.sentAt;
  if (state.lastTransit === null) return { jitter: state.jitter, lastTransit: transit };
  const d = Math.abs(transit - state.lastTransit);
  return { jitter: state.jitter + (d - state.jitter) / 16, lastTransit: transit };
}

/** Jitter after all samples (in arrival order), ms; null with fewer than two packets. */
export function interarrivalJitter(samples: readonly TransitSample[]): number | null {
  if (samples.length < 2) return null;
  let state = initialJitter();
  for (const s of samples) state = updateJitter(state, s);
  return state.jitter;
}
