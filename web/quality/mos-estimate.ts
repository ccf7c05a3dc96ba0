// Estimated call quality (MOS, 1–5) from latency, jitter and loss with the simplified ITU-T G.107 E-model that
// VoIP monitors commonly use: effective latency = one-way delay + 2 × jitter + 10 ms codec delay; R drops 1
// per 40 ms up to 160 ms, then 1 per 10 ms, and 2.5 per percent of loss; MOS from R per G.107 Annex B.
// Bands (Twilio's): > 4.2 excellent, ≥ 4.1 great, ≥ 3.7 good, ≥ 3.1 fair, below degraded.

export type MosBand = 'excellent' | 'great' | 'good' | 'fair' | 'degraded';

export function estimateMos(rttMs: number, jitterMs: number, lossRatio: number): number {
  const effective = rttMs / 2 + 2 * jitterMs + 10;
  let r = effective < 160 ? 93.2 - effective / 40 : 93.2 - (effective - 120) / 10;
  r -= lossRatio * 100 * 2.5;
  r = Math.min(100, Math.max(0, r));
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}

export function mosBand(mos: number): MosBand {
  if (mos > 4.2) return 'excellent';
  if (mos >= 4.1) return 'great';
  if (mos >= 3.7) return 'good';
  if (mos >= 3.1) return 'fair';
  return 'degraded';
}
