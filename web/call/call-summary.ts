// The received samples of one call direction → the summary its verdict is made from, and the chart's points.
// The first seconds are the encoder's and bandwidth estimator's ramp-up (Chromium starts at ~300 kbit/s and
// 360 lines): rates and resolution are judged on the settled part, the later half of the call (at least 3 s).
// Freezes, loss, NACK/PLI count over the whole call.
import { MAX_CALL_POINTS, type CallDirection, type CallSenderFigures, type CallDirectionSummary, type CallPoint } from '../../common/call-report';
import type { CallSample } from './call-stats';
import { callVerdict } from './call-verdict';
import { audioMos } from '../quality/e-model';

/** One direction's view of a sample: what this side received, plus the sender's figures if known. */
export type ReceivedSample = CallSample['received'] & { spanMs: number; rttMs: number | null; bandwidthEstimateBps?: number | null; qualityLimitation?: string | null };

export const MIN_SETTLED_SAMPLES = 3;

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const nums = (xs: readonly (number | null | undefined)[]) => xs.filter((x): x is number => typeof x === 'number');

function mostFrequent(xs: readonly (string | null | undefined)[]): string | null {
  const counts = new Map<string, number>();
  for (const x of xs) if (x) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, v] of counts) if (best === null || v > counts.get(best)!) best = k;
  return best;
}

export function settledPart<T>(samples: readonly T[]): readonly T[] {
  const keep = Math.max(MIN_SETTLED_SAMPLES, Math.ceil(samples.length / 2));
  return samples.slice(Math.max(0, samples.length - keep));
}

export function summarizeDirection(samples: readonly ReceivedSample[]): CallDirectionSummary {
  const settled = settledPart(samples);
  const heights = nums(settled.map((x) => x.height));
  const height = median(heights);
  // The width that went with the median height (not a median of widths: they need not pair).
  const withHeight = height === null ? undefined : settled.find((x) => x.height !== null && x.height >= height);
  const packets = samples.reduce((a, x) => a + x.packets, 0);
  const lost = samples.reduce((a, x) => a + x.packetsLost, 0);
  const concealed = samples.reduce((a, x) => a + x.concealedSamples, 0);
  const total = samples.reduce((a, x) => a + x.totalSamples, 0);
  const lossRatio = packets + lost > 0 ? lost / (packets + lost) : null;
  const rttMs = median(nums(samples.map((x) => x.rttMs)));
  const jitterMs = median(nums(samples.map((x) => x.jitterMs)));
  const jitterBufferMs = median(nums(settled.map((x) => x.jitterBufferMs)));
  const mos = rttMs !== null && lossRatio !== null ? audioMos({ rttMs, lossRatio, jitterBufferMs, jitterMs: jitterMs ?? 0 }) : null;
  return {
    seconds: Math.round(samples.reduce((a, x) => a + x.spanMs, 0) / 100) / 10,
    bitrateBps: settled.length ? median(settled.map((x) => x.bps)) : null,
    fps: median(nums(settled.map((x) => x.fps))),
    width: withHeight?.width ?? null,
    height,
    framesDecoded: samples.reduce((a, x) => a + x.frames, 0),
    freezeCount: samples.reduce((a, x) => a + x.newFreezes, 0),
    freezeMs: samples.reduce((a, x) => a + x.freezeMs, 0),
    lossRatio: lossRatio === null ? null : Math.round(lossRatio * 10000) / 10000,
    jitterMs,
    jitterBufferMs,
    nackCount: samples.reduce((a, x) => a + x.nack, 0),
    pliCount: samples.reduce((a, x) => a + x.pli, 0),
    audioConcealedRatio: total > 0 ? Math.round((concealed / total) * 1000) / 1000 : null,
    rttMs,
    bandwidthEstimateBps: median(nums(settled.map((x) => x.bandwidthEstimateBps))),
    qualityLimitation: mostFrequent(settled.map((x) => x.qualityLimitation)),
    mos,
  };
}

export function seriesOf(samples: readonly ReceivedSample[]): CallPoint[] {
  let at = 0;
  return samples.slice(0, MAX_CALL_POINTS).map((x) => {
    at += x.spanMs;
    return { at: Math.round(at / 100) / 10, bps: x.bps, fps: x.fps, height: x.height };
  });
}

export function callDirection(samples: readonly ReceivedSample[]): CallDirection {
  const summary = summarizeDirection(samples);
  return { summary, verdict: callVerdict(summary), series: seriesOf(samples) };
}

/** The sender's own figures over the settled part of its sent seconds. */
export function senderFigures(sent: readonly CallSample['sent'][]): CallSenderFigures {
  const settled = settledPart(sent);
  return { bandwidthEstimateBps: median(nums(settled.map((x) => x.bandwidthEstimateBps))), qualityLimitation: mostFrequent(settled.map((x) => x.qualityLimitation)) };
}

/** A direction as its receiver measured it, completed with what its sender knows (and judged again: a CPU limit
 *  is named in the verdict). */
export function withSenderFigures(d: CallDirection, sender: CallSenderFigures): CallDirection {
  const summary = { ...d.summary, ...sender };
  return { ...d, summary, verdict: callVerdict(summary) };
}
