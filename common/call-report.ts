// The call test: what a 10-second synthetic audio+video call between the two pages achieved, per
// direction. The report's optional `call` section, the `call-result` a page sends the other over the main data
// channel (common/peer-protocol.ts), and the zod schema both are checked with on arrival. Produced by
// web/call/call-session.ts; thresholds in web/call/call-verdict.ts and docs/call-test.md.
import { z } from 'zod';

export type CallLevel = 'hd-video' | 'sd-video' | 'audio' | 'unusable';

export const CALL_LABELS: Record<CallLevel, string> = {
  'hd-video': 'HD video works',
  'sd-video': 'SD video works',
  audio: 'audio only',
  unusable: 'not usable for calls',
};

/** What one direction of the call achieved, as its receiver measured it. Rates over the settled part of the call. */
export interface CallDirectionSummary {
  /** Seconds of stats behind the summary. */
  seconds: number;
  /** Median received bit rate (audio + video) over the settled part, bits/s. */
  bitrateBps: number | null;
  /** Median frames per second decoded over the settled part. */
  fps: number | null;
  /** The resolution received most of the settled part (its height ranks it). */
  width: number | null;
  height: number | null;
  framesDecoded: number;
  freezeCount: number;
  freezeMs: number;
  /** RTP packets lost / expected, audio and video together (0..1). */
  lossRatio: number | null;
  /** RFC 3550 interarrival jitter of the audio stream, median, ms. */
  jitterMs: number | null;
  /** Average time a packet waits in the receiver's jitter buffer (audio), ms. */
  jitterBufferMs: number | null;
  nackCount: number;
  pliCount: number;
  /** Share of audio samples the receiver had to conceal (0..1). */
  audioConcealedRatio: number | null;
  /** Round-trip time of the selected pair, median, ms. */
  rttMs: number | null;
  /** The sender's bandwidth estimate, median (Chromium only), bits/s. */
  bandwidthEstimateBps: number | null;
  /** Why the sender's encoder held back most often (Chromium only): none, bandwidth, cpu, other. */
  qualityLimitation: string | null;
  /** E-model MOS of the audio (web/quality/e-model.ts). */
  mos: number | null;
}

export interface CallVerdict {
  level: CallLevel;
  label: string;
  /** Why the direction does not reach the level above (empty at the top). */
  reasons: string[];
}

/** One second of one direction, for the charts. `at`: seconds since the call began. */
export interface CallPoint {
  at: number;
  bps: number;
  fps: number | null;
  height: number | null;
}

export interface CallDirection {
  summary: CallDirectionSummary;
  verdict: CallVerdict;
  series: CallPoint[];
}

export interface CallTest {
  version: 1;
  status: 'done' | 'partial' | 'skipped' | 'failed';
  /** Why it was skipped, stopped early or failed. */
  reason: string | null;
  /** ms since the test started (report's startedAt). */
  startedAt: number | null;
  durationMs: number | null;
  /** The browser of this page ('chromium' | 'firefox' | …), which decides what its stats can say. */
  browser: string | null;
  /** The other peer → this page, measured here. */
  incoming: CallDirection | null;
  /** This page → the other peer, as the other page measured it (sent back when the call ended). */
  outgoing: CallDirection | null;
  /** Where the call's verdict and the data-channel estimate differ: why (the call wins). */
  disagreement: string | null;
}

/** Caps: a call is ~10 s, one point per second. */
export const MAX_CALL_POINTS = 120;

const num = z.number().refine(Number.isFinite, 'not a finite number');
const count = num.refine((n) => n >= 0 && n <= 1e12, 'out of range');
const ratio = num.refine((n) => n >= 0 && n <= 1, 'not between 0 and 1');
const str = (max: number) => z.string().max(max);

export const callDirectionSummarySchema = z.object({
  seconds: count,
  bitrateBps: count.nullable(),
  fps: count.nullable(),
  width: count.nullable(),
  height: count.nullable(),
  framesDecoded: count,
  freezeCount: count,
  freezeMs: count,
  lossRatio: ratio.nullable(),
  jitterMs: count.nullable(),
  jitterBufferMs: count.nullable(),
  nackCount: count,
  pliCount: count,
  audioConcealedRatio: ratio.nullable(),
  rttMs: count.nullable(),
  bandwidthEstimateBps: count.nullable(),
  qualityLimitation: str(32).nullable(),
  mos: num.refine((n) => n >= 1 && n <= 5, 'not a MOS').nullable(),
});

export const callVerdictSchema = z.object({
  level: z.enum(['hd-video', 'sd-video', 'audio', 'unusable']),
  label: str(100),
  reasons: z.array(str(500)).max(20),
});

export const callPointSchema = z.object({ at: count, bps: count, fps: count.nullable(), height: count.nullable() });

export const callDirectionSchema = z.object({
  summary: callDirectionSummarySchema,
  verdict: callVerdictSchema,
  series: z.array(callPointSchema).max(MAX_CALL_POINTS),
});

/** What only the sending side knows of its direction (Chromium reports both; Firefox neither). */
export const callSenderSchema = z.object({ bandwidthEstimateBps: count.nullable(), qualityLimitation: str(32).nullable() });
export type CallSenderFigures = z.infer<typeof callSenderSchema>;

export const callTestSchema = z.object({
  version: z.literal(1),
  status: z.enum(['done', 'partial', 'skipped', 'failed']),
  reason: str(1000).nullable(),
  startedAt: num.nullable(),
  durationMs: count.nullable(),
  browser: str(32).nullable(),
  incoming: callDirectionSchema.nullable(),
  outgoing: callDirectionSchema.nullable(),
  disagreement: str(2000).nullable(),
});
