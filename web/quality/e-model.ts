// The page's one audio-quality score: a MOS from the E-model (ITU-T G.107) reduced to the terms a network changes —
// the simplification VoIP monitors use (Cole & Rosenbluth, "Voice over IP performance monitoring", 2001). Both the
// link test (data-channel RTT, jitter, loss) and the call test (the audio stream's own figures) score with it, so
// the same path gives the same MOS in both sections of the report.
//
//   R = 93.2 − Id − Ie,eff          (93.2: G.107's default R with every other impairment at its default)
//   d = RTT/2 + jitter-buffer wait + 20 ms        one-way mouth-to-ear delay; 20 ms for Opus framing/packetising;
//                                                 without a measured jitter buffer, 2 × jitter stands in for it
//   Id = 0.024·d + 0.11·(d − 177.3)·[d > 177.3]   delay impairment: gentle up to ~177 ms, then steep (G.114)
//   Ie,eff = Ie + (95 − Ie) · P / (P + Bpl)       G.107 §3.6 with BurstR = 1 (random loss), P = loss in percent
//     Opus is taken as Ie = 0 (transparent at call bit rates), Bpl = 25.1 (G.113 Appendix I's value for a codec
//     with packet-loss concealment, G.711 + PLC; Opus with FEC does at least as well, so this errs on the cautious
//     side). Other codecs' G.113 values can be passed in (the tests check the published ones).
//   MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R) for 0 < R < 100 (G.107 Annex B); 1 below, 4.5 above.
//
// Reading (G.107 Table B.1, by R 80 / 70 / 60 / 50 → MOS 4.03 / 3.60 / 3.10 / 2.58): ≥ 4.0 satisfied,
// 3.6–4.0 some users dissatisfied, 3.1–3.6 many, 2.6–3.1 nearly all, below not recommended.

/** A codec's equipment impairment factor Ie and packet-loss robustness factor Bpl (ITU-T G.113 Appendix I). */
export interface CodecImpairment {
  ie: number;
  bpl: number;
}

export const OPUS_IMPAIRMENT: CodecImpairment = { ie: 0, bpl: 25.1 };

export interface EModelInput {
  rttMs: number;
  /** Loss of the audio stream (or of the data-channel probes), 0..1. */
  lossRatio: number;
  /** Average wait in the receiver's jitter buffer, ms (measured); null: 2 × jitter stands in. */
  jitterBufferMs: number | null;
  jitterMs: number;
  /** Default: Opus as above. */
  codec?: CodecImpairment;
}

const CODEC_DELAY_MS = 20;
/** G.107's default basic signal-to-noise ratio less simultaneous impairments (R0 − Is = 94.77 − 1.41). */
export const DEFAULT_R = 93.2;

export function oneWayDelayMs(i: EModelInput): number {
  return i.rttMs / 2 + (i.jitterBufferMs ?? 2 * i.jitterMs) + CODEC_DELAY_MS;
}

/** Delay impairment Id for a one-way delay in ms. */
export function delayImpairment(oneWayMs: number): number {
  return 0.024 * oneWayMs + (oneWayMs > 177.3 ? 0.11 * (oneWayMs - 177.3) : 0);
}

/** Effective equipment impairment Ie,eff for a loss in percent, random loss (G.107 §3.6, BurstR = 1). */
export function lossImpairment(lossPercent: number, codec: CodecImpairment = OPUS_IMPAIRMENT): number {
  const p = Math.min(100, Math.max(0, lossPercent));
  return codec.ie + ((95 - codec.ie) * p) / (p + codec.bpl);
}

export function rFactor(i: EModelInput): number {
  return DEFAULT_R - delayImpairment(oneWayDelayMs(i)) - lossImpairment(i.lossRatio * 100, i.codec);
}

export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
}

/** MOS rounded to two decimals: what the report shows for the link test and each direction of the call. */
export function audioMos(i: EModelInput): number {
  return Math.round(mosFromR(rFactor(i)) * 100) / 100;
}
