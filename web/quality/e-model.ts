// Audio quality of the call as a MOS, from the E-model (ITU-T G.107) reduced to the terms a network changes —
// the simplification VoIP monitors use (Cole & Rosenbluth, "Voice over IP performance monitoring", 2001):
//
//   R = 93.2 − Id − Ie,eff          (93.2: G.107's default R with every other impairment at its default)
//   d = RTT/2 + jitter-buffer wait + 20 ms        one-way mouth-to-ear delay; 20 ms for Opus framing/packetising;
//                                                 without a measured jitter buffer, 2 × jitter stands in for it
//   Id = 0.024·d + 0.11·(d − 177.3)·[d > 177.3]   delay impairment: gentle up to ~177 ms, then steep (G.114)
//   Ie,eff = Ie + (95 − Ie) · P / (P + Bpl)       loss impairment, P = loss in percent (random loss, BurstR = 1)
//     Ie = 0 (Opus at call bit rates is taken as transparent), Bpl = 25.1 (G.113 Appendix I's robustness of a
//     codec with packet-loss concealment; Opus with FEC does at least as well, so this errs on the cautious side)
//   MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R) for 0 < R < 100 (G.107 Annex B); 1 below, 4.5 above.
//
// Reading: MOS ≥ 4.0 satisfied users, 3.6–4.0 some dissatisfied, 3.1–3.6 many dissatisfied, below 3.1 nearly all
// (G.107 Table B.1 by R: 80 / 70 / 60 / 50).

export interface EModelInput {
  rttMs: number;
  /** Loss of the audio stream, 0..1. */
  lossRatio: number;
  /** Average wait in the receiver's jitter buffer, ms (measured); null: 2 × jitter stands in. */
  jitterBufferMs: number | null;
  jitterMs: number;
}

const CODEC_DELAY_MS = 20;
const IE = 0;
const BPL = 25.1;

export function oneWayDelayMs(i: EModelInput): number {
  return i.rttMs / 2 + (i.jitterBufferMs ?? 2 * i.jitterMs) + CODEC_DELAY_MS;
}

export function rFactor(i: EModelInput): number {
  const d = oneWayDelayMs(i);
  const id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
  const p = Math.min(100, Math.max(0, i.lossRatio * 100));
  const ieEff = IE + ((95 - IE) * p) / (p + BPL);
  return 93.2 - id - ieEff;
}

export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
}

/** MOS rounded to two decimals. */
export function callMos(i: EModelInput): number {
  return Math.round(mosFromR(rFactor(i)) * 100) / 100;
}
