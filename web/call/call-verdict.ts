// The verdict of one direction of the call, from what its receiver saw. The first level from the top whose every
// limit holds wins; thresholds (also in docs/call-test.md):
//   HD video works: the settled part of the call ran at ≥ 720 lines and ≥ 24 frames/s, video froze at most once
//     for at most 0.5 s in total, audio MOS ≥ 3.6 (E-model: at most some users dissatisfied), and the sender's
//     bandwidth estimate for the path held ≥ 1 Mbit/s (an HD picture from a camera needs 1.2–1.5 Mbit/s; the
//     synthetic picture encodes at 720 lines in less, so lines alone would call a 1 Mbit/s path HD).
//   SD video works: ≥ 360 lines and ≥ 15 frames/s, at most 1.5 s frozen, audio MOS ≥ 3.1.
//   Audio only: audio MOS ≥ 3.1 and at most 10 % of the audio concealed (Opus PLC still sounds like speech).
//   Not usable: anything worse, or nothing arrived.
// A figure the browser did not report (null) is not held against the direction.
import { CALL_LABELS, type CallDirectionSummary, type CallLevel, type CallTest, type CallVerdict } from '../../common/call-report';

export interface CallLimits {
  minHeight: number;
  minFps: number;
  maxFreezes: number;
  maxFreezeMs: number;
  minMos: number;
  /** The sender's bandwidth estimate (settled part), where its browser reports one (Chromium). */
  minBandwidthBps: number;
}

export const CALL_LIMITS: Record<'hd-video' | 'sd-video', CallLimits> = {
  'hd-video': { minHeight: 720, minFps: 24, maxFreezes: 1, maxFreezeMs: 500, minMos: 3.6, minBandwidthBps: 1_000_000 },
  'sd-video': { minHeight: 360, minFps: 15, maxFreezes: Infinity, maxFreezeMs: 1500, minMos: 3.1, minBandwidthBps: 0 },
};

export const AUDIO_LIMITS = { minMos: 3.1, maxConcealed: 0.1 };

function videoFailures(s: CallDirectionSummary, l: CallLimits): string[] {
  const out: string[] = [];
  if (s.height === null || s.framesDecoded === 0) return ['no video frames arrived'];
  if (s.height < l.minHeight) out.push(`video held ${s.width ?? '?'}×${s.height}, below ${l.minHeight} lines`);
  if (s.fps !== null && s.fps < l.minFps) out.push(`video ran at ${s.fps.toFixed(0)} frames/s, below ${l.minFps}`);
  if (s.freezeCount > l.maxFreezes) out.push(`video froze ${s.freezeCount} times`);
  if (s.freezeMs > l.maxFreezeMs) out.push(`video was frozen ${(s.freezeMs / 1000).toFixed(1)} s in total (more than ${(l.maxFreezeMs / 1000).toFixed(1)} s)`);
  if (s.mos !== null && s.mos < l.minMos) out.push(`audio MOS ${s.mos.toFixed(1)} is below ${l.minMos}`);
  if (s.bandwidthEstimateBps !== null && s.bandwidthEstimateBps < l.minBandwidthBps) {
    out.push(`the sender estimated ${(s.bandwidthEstimateBps / 1e6).toFixed(2)} Mbit/s for the path, below the ${l.minBandwidthBps / 1e6} Mbit/s HD video needs`);
  }
  return out;
}

function audioFailures(s: CallDirectionSummary): string[] {
  const out: string[] = [];
  if (s.bitrateBps === null || s.bitrateBps === 0) return ['no media arrived'];
  if (s.mos !== null && s.mos < AUDIO_LIMITS.minMos) out.push(`audio MOS ${s.mos.toFixed(1)} is below ${AUDIO_LIMITS.minMos}`);
  if (s.audioConcealedRatio !== null && s.audioConcealedRatio > AUDIO_LIMITS.maxConcealed) {
    out.push(`${(s.audioConcealedRatio * 100).toFixed(0)} % of the audio had to be concealed (more than ${AUDIO_LIMITS.maxConcealed * 100} %)`);
  }
  return out;
}

/** Why the sender held back, when its browser says (Chromium): a CPU limit is this computer, not the path. */
function limitationNote(s: CallDirectionSummary): string[] {
  if (s.qualityLimitation === 'cpu') return ["the sender's encoder was limited by its CPU, not by the network"];
  if (s.qualityLimitation === 'bandwidth') return ["the sender's encoder was limited by the bandwidth it estimated for the path"];
  return [];
}

export function callVerdict(s: CallDirectionSummary): CallVerdict {
  const checks: [CallLevel, string[]][] = [
    ['hd-video', videoFailures(s, CALL_LIMITS['hd-video'])],
    ['sd-video', videoFailures(s, CALL_LIMITS['sd-video'])],
    ['audio', audioFailures(s)],
  ];
  let previous: string[] = [];
  for (const [level, failed] of checks) {
    if (failed.length === 0) {
      const reasons = level === 'hd-video' ? [] : [...previous, ...limitationNote(s)];
      return { level, label: CALL_LABELS[level], reasons };
    }
    previous = failed;
  }
  return { level: 'unusable', label: CALL_LABELS.unusable, reasons: [...previous, ...limitationNote(s)] };
}

const RANK: Record<CallLevel, number> = { 'hd-video': 3, 'sd-video': 2, audio: 1, unusable: 0 };

/** The worse of two levels (a call is as good as its worse direction). */
export const worseLevel = (a: CallLevel, b: CallLevel): CallLevel => (RANK[a] <= RANK[b] ? a : b);

/**
 * Where the call and the data-channel estimate disagree: one sentence saying so and why, or null. The call wins:
 * it ran RTP with the browser's own congestion control, which is what a real call uses.
 */
export function disagreementText(call: { incoming: CallVerdict | null; outgoing: CallVerdict | null }, dataChannel: { level: CallLevel; label: string } | null): string | null {
  if (!dataChannel) return null;
  const measured: { where: string; v: CallVerdict }[] = [];
  if (call.incoming) measured.push({ where: 'from the other peer', v: call.incoming });
  if (call.outgoing) measured.push({ where: 'to the other peer', v: call.outgoing });
  if (measured.length === 0) return null;
  const worst = measured.reduce((a, b) => (RANK[b.v.level] < RANK[a.v.level] ? b : a));
  if (worst.v.level === dataChannel.level) return null;
  const better = RANK[worst.v.level] > RANK[dataChannel.level];
  const why = better
    ? "a call's congestion control adapts its bit rate and resolution to the path, and the data-channel figures were stricter than what the call needed"
    : worst.v.reasons[0] ?? 'the call did not reach the quality the data-channel figures promised';
  return `The data-channel estimate said "${dataChannel.label}", the call (${worst.where}) achieved "${worst.v.label}": ${why}. The call's verdict counts — it is what a real call would do.`;
}

/** The report's call section: the result with the disagreement against the data-channel verdict filled in. */
export function callWithComparison(call: CallTest, dataChannel: { level: CallLevel; label: string } | null): CallTest {
  return { ...call, disagreement: disagreementText({ incoming: call.incoming?.verdict ?? null, outgoing: call.outgoing?.verdict ?? null }, dataChannel) };
}
