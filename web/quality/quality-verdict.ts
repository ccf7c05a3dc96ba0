// The verdict people read: what this path can carry. A level is reached when every measured figure meets its
// limit; the first level from the top that passes wins. Limits (also in docs/link-quality.md):
//   HD video call (720p): ≥ 2.5 Mbit/s each way (WebRTC sends 720p30 at ~1.5–2.5 Mbit/s), loss ≤ 1 %,
//     jitter ≤ 30 ms, RTT ≤ 300 ms (ITU-T G.114: ≤ 150 ms one way feels natural).
//   RTT is the idle one: a call's congestion control keeps its own queue short, so the delay a saturating
//   transfer adds (bufferbloat) is reported as a warning, not counted against the level.
//   SD video call: ≥ 0.6 Mbit/s each way, loss ≤ 3 %, jitter ≤ 50 ms, RTT ≤ 400 ms.
//   Audio only: ≥ 0.1 Mbit/s each way (Opus voice plus overhead), loss ≤ 10 % (Opus FEC/PLC copes),
//     jitter ≤ 100 ms, RTT ≤ 800 ms (G.114's 400 ms one-way limit for planning).
//   Anything worse: unusable for calls.
import { QUALITY_LABELS, type QualityLevel } from '../../common/link-quality';
import { audioMos } from './e-model';

export interface LevelLimits {
  minBps: number;
  maxLoss: number;
  maxJitterMs: number;
  maxRttMs: number;
}

export const QUALITY_LIMITS: Record<Exclude<QualityLevel, 'unusable'>, LevelLimits> = {
  'hd-video': { minBps: 2_500_000, maxLoss: 0.01, maxJitterMs: 30, maxRttMs: 300 },
  'sd-video': { minBps: 600_000, maxLoss: 0.03, maxJitterMs: 50, maxRttMs: 400 },
  audio: { minBps: 100_000, maxLoss: 0.1, maxJitterMs: 100, maxRttMs: 800 },
};

const ORDER = ['hd-video', 'sd-video', 'audio'] as const;

/** Figures the verdict uses; null = not measured (the verdict then rests on the rest and says so). */
export interface VerdictInput {
  uploadBps: number | null;
  downloadBps: number | null;
  /** Worse direction. */
  lossRatio: number | null;
  jitterMs: number | null;
  /** Idle RTT when measured, else RTT under load. */
  rttMs: number | null;
  /** Extra RTT while the link is saturated (bufferbloat); a warning from BLOAT_WARN_MS on. */
  bufferbloatMs?: number | null;
}

export const BLOAT_WARN_MS = 200;

export interface Verdict {
  level: QualityLevel;
  label: string;
  /** Why the path does not reach the level above (empty at the top level), plus what was not measured. */
  limits: string[];
  mos: number | null;
}

/** The page's one bit-rate format: two decimals below 1 Mbit/s, one above (limits, link figures, relay check). */
export const mbps = (bps: number) => `${(bps / 1e6).toFixed(bps < 1e6 ? 2 : 1)} Mbit/s`;

function failures(input: VerdictInput, l: LevelLimits): string[] {
  const out: string[] = [];
  if (input.uploadBps !== null && input.uploadBps < l.minBps) out.push(`upload ${mbps(input.uploadBps)} is below ${mbps(l.minBps)}`);
  if (input.downloadBps !== null && input.downloadBps < l.minBps) out.push(`download ${mbps(input.downloadBps)} is below ${mbps(l.minBps)}`);
  if (input.lossRatio !== null && input.lossRatio > l.maxLoss) out.push(`packet loss ${(input.lossRatio * 100).toFixed(1)} % is above ${l.maxLoss * 100} %`);
  if (input.jitterMs !== null && input.jitterMs > l.maxJitterMs) out.push(`jitter ${input.jitterMs.toFixed(0)} ms is above ${l.maxJitterMs} ms`);
  if (input.rttMs !== null && input.rttMs > l.maxRttMs) out.push(`round-trip time ${input.rttMs.toFixed(0)} ms is above ${l.maxRttMs} ms`);
  return out;
}

/**
 * Null when too little was measured to say anything honest: a verdict needs the round-trip time and the
 * throughput of at least one direction (a partial test that only got one figure gives none).
 */
export function qualityVerdict(input: VerdictInput): Verdict | null {
  if (input.rttMs === null || (input.uploadBps === null && input.downloadBps === null)) return null;
  let level: QualityLevel = 'unusable';
  let limits: string[] = [];
  let previous: string[] = [];
  for (const name of ORDER) {
    const failed = failures(input, QUALITY_LIMITS[name]);
    if (failed.length === 0) {
      level = name;
      limits = previous;
      break;
    }
    previous = failed;
    limits = failed;
  }
  const missing: string[] = [];
  if (input.uploadBps === null) missing.push('upload');
  if (input.downloadBps === null) missing.push('download');
  if (input.lossRatio === null) missing.push('loss');
  if (input.jitterMs === null) missing.push('jitter');
  if (input.rttMs === null) missing.push('round-trip time');
  if (missing.length) limits = [...limits, `not measured: ${missing.join(', ')} (the verdict rests on the rest)`];
  if (input.bufferbloatMs != null && input.bufferbloatMs >= BLOAT_WARN_MS) {
    limits = [...limits, `the round-trip time grows by ${input.bufferbloatMs.toFixed(0)} ms while the link is full (bufferbloat): calls will stutter when something else saturates it`];
  }
  const mos = input.rttMs !== null && input.lossRatio !== null ? audioMos({ rttMs: input.rttMs, lossRatio: input.lossRatio, jitterBufferMs: null, jitterMs: input.jitterMs ?? 0 }) : null;
  return { level, label: QUALITY_LABELS[level], limits, mos };
}
