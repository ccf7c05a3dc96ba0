// Link quality measured over the data channel between the two peers: what the report carries and
// what a saved report shows. Produced by web/quality/link-test-driver.ts; thresholds in web/quality/quality-verdict.ts
// and docs/link-quality.md.

export type QualityLevel = 'hd-video' | 'sd-video' | 'audio' | 'unusable';

export const QUALITY_LABELS: Record<QualityLevel, string> = {
  'hd-video': 'good for HD video calls',
  'sd-video': 'good for SD video calls',
  audio: 'audio calls only',
  unusable: 'unusable for calls',
};

/** One direction of the throughput phase, measured by the receiver. */
export interface ThroughputResult {
  /** Mean goodput in bits per second; null when nothing arrived. */
  bps: number | null;
  bytes: number;
  durationMs: number;
  /** Goodput per interval (ms since this phase began), for the chart. */
  series: { at: number; bps: number }[];
}

/** One direction of the paced unreliable stream: loss and jitter seen by the receiver. */
export interface StreamResult {
  sent: number;
  received: number;
  lossRatio: number;
  /** RFC 3550 §6.4.1 interarrival jitter, ms. */
  jitterMs: number | null;
  reordered: number;
}

export interface RttSummary {
  count: number;
  lost: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export type LinkTestPhase = 'idle-rtt' | 'upload' | 'download' | 'stream';

export const LINK_PHASE_LABELS: Record<LinkTestPhase, string> = {
  'idle-rtt': 'round-trip time, idle',
  upload: 'throughput, this side → other side',
  download: 'throughput, other side → this side',
  stream: 'loss and jitter (unreliable channel)',
};

/** Directions are from the point of view of the page whose report this is (upload = this page → the other). */
export interface LinkQuality {
  version: 1;
  status: 'done' | 'partial' | 'skipped';
  /** Why a test stopped early or did not run ("the other peer left", …). */
  reason: string | null;
  /** ms since the test started (report's startedAt). */
  startedAt: number | null;
  finishedAt: number | null;
  /** From this page's point of view: upload = this page → the other peer. */
  upload: ThroughputResult | null;
  download: ThroughputResult | null;
  /** Received by the other peer / by this page. */
  streamOut: StreamResult | null;
  streamIn: StreamResult | null;
  rttIdle: RttSummary | null;
  /** RTT while this page sends bulk data, and while the other peer does. */
  rttLoadedUp: RttSummary | null;
  rttLoadedDown: RttSummary | null;
  bufferbloat: { idleMs: number | null; loadedMs: number | null; addedMs: number | null; grade: string | null } | null;
  verdict: { level: QualityLevel; label: string; limits: string[]; mos: number | null } | null;
  notMeasured: LinkTestPhase[];
}
