// Turns the raw figures of one link test into the LinkQuality the report carries, and mirrors a result for
// the other peer (the leader's upload is the follower's download). Pure.
import type { LinkQuality, LinkTestPhase, RttSummary } from '../../common/link-quality';
import { bufferbloat } from './bufferbloat';
import { qualityVerdict } from './quality-verdict';
import { median, percentile, round } from './sample-stats';

export interface RttSamples {
  /** RTTs of the probes that came back, ms. */
  samples: number[];
  /** Probes sent. */
  sent: number;
}

export function summarizeRtt(r: RttSamples | null): RttSummary | null {
  if (!r || r.sent === 0) return null;
  const m = median(r.samples);
  const p = percentile(r.samples, 90);
  return { count: r.samples.length, lost: Math.max(0, r.sent - r.samples.length), medianMs: m === null ? null : round(m), p90Ms: p === null ? null : round(p) };
}

/** The measured figures: LinkQuality's own fields, with RTTs still as raw samples. */
export interface LinkFigures
  extends Pick<LinkQuality, 'status' | 'reason' | 'startedAt' | 'finishedAt' | 'upload' | 'download' | 'streamOut' | 'streamIn'> {
  rttIdle: RttSamples | null;
  rttLoadedUp: RttSamples | null;
  rttLoadedDown: RttSamples | null;
}

const worse = (a: number | null | undefined, b: number | null | undefined): number | null => {
  const xs = [a, b].filter((x): x is number => typeof x === 'number');
  return xs.length ? Math.max(...xs) : null;
};

export function composeLinkQuality(f: LinkFigures): LinkQuality {
  const rttIdle = summarizeRtt(f.rttIdle);
  const rttLoadedUp = summarizeRtt(f.rttLoadedUp);
  const rttLoadedDown = summarizeRtt(f.rttLoadedDown);
  // Bufferbloat against the direction whose load hurt more.
  const up = median(f.rttLoadedUp?.samples ?? []);
  const down = median(f.rttLoadedDown?.samples ?? []);
  const loadedSamples = (up ?? -1) >= (down ?? -1) ? (f.rttLoadedUp?.samples ?? []) : (f.rttLoadedDown?.samples ?? []);
  const bloat = f.rttIdle && f.rttIdle.samples.length && loadedSamples.length ? bufferbloat(f.rttIdle.samples, loadedSamples) : null;
  const verdict = qualityVerdict({
    uploadBps: f.upload?.bps ?? null,
    downloadBps: f.download?.bps ?? null,
    lossRatio: worse(f.streamOut?.lossRatio, f.streamIn?.lossRatio),
    jitterMs: worse(f.streamOut?.jitterMs, f.streamIn?.jitterMs),
    rttMs: rttIdle?.medianMs ?? worse(rttLoadedUp?.medianMs, rttLoadedDown?.medianMs),
    bufferbloatMs: bloat?.addedMs ?? null,
  });
  const notMeasured: LinkTestPhase[] = [];
  if (!rttIdle || rttIdle.count === 0) notMeasured.push('idle-rtt');
  if (f.upload?.bps == null) notMeasured.push('upload');
  if (f.download?.bps == null) notMeasured.push('download');
  if (!f.streamOut || !f.streamIn) notMeasured.push('stream');
  return {
    version: 1,
    status: f.status,
    reason: f.reason,
    startedAt: f.startedAt,
    finishedAt: f.finishedAt,
    upload: f.upload,
    download: f.download,
    streamOut: f.streamOut,
    streamIn: f.streamIn,
    rttIdle,
    rttLoadedUp,
    rttLoadedDown,
    bufferbloat: bloat && { idleMs: bloat.idleMs === null ? null : round(bloat.idleMs), loadedMs: bloat.loadedMs === null ? null : round(bloat.loadedMs), addedMs: bloat.addedMs === null ? null : round(bloat.addedMs), grade: bloat.grade },
    verdict: verdict && { level: verdict.level, label: verdict.label, limits: verdict.limits, mos: verdict.mos },
    notMeasured,
  };
}

const MIRROR: Record<LinkTestPhase, LinkTestPhase> = { 'idle-rtt': 'idle-rtt', upload: 'download', download: 'upload', stream: 'stream' };

/** The same measurement seen from the other peer. Times stay as they are (each page's clock differs anyway). */
export function mirrorLinkQuality(q: LinkQuality): LinkQuality {
  return {
    ...q,
    upload: q.download,
    download: q.upload,
    streamOut: q.streamIn,
    streamIn: q.streamOut,
    rttLoadedUp: q.rttLoadedDown,
    rttLoadedDown: q.rttLoadedUp,
    verdict: q.verdict && { ...q.verdict, limits: q.verdict.limits.map(mirrorText) },
    notMeasured: q.notMeasured.map((p) => MIRROR[p]),
  };
}

function mirrorText(s: string): string {
  return s.replace(/\b(upload|download)\b/g, (w) => (w === 'upload' ? 'download' : 'upload'));
}
