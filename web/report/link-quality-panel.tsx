// Link quality: the verdict, the figures each way, and (lazily) the charts. Fed a report's `quality` (live or
// saved); the live page also passes the measurement's progress.
import { lazy, Suspense } from 'react';
import { LINK_PHASE_LABELS, type LinkQuality, type RttSummary, type StreamResult } from '../../common/link-quality';
import { mbps } from '../quality/quality-verdict';
import { rttMs } from '../format/milliseconds';
import { useAppStore } from '../store/app-store';
import './link-quality.css';

const LinkCharts = lazy(() => import('./link-quality-charts').then((m) => ({ default: m.LinkQualityCharts })));

const mbit = (bps: number | null | undefined) => (bps == null ? '—' : mbps(bps));
const pct = (r: number | null | undefined) => (r == null ? '—' : `${(r * 100).toFixed(r > 0 && r < 0.01 ? 2 : 1)} %`);

function Figure({ label, value, testId, hint }: { label: string; value: string; testId?: string; hint?: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
      {hint && <span className="figure-hint">{hint}</span>}
    </div>
  );
}

const streamHint = (s: StreamResult | null) => (s ? `${s.received}/${s.sent} packets${s.reordered ? `, ${s.reordered} reordered` : ''}` : undefined);
const rttHint = (r: RttSummary | null) => (r ? `${r.count} probes${r.lost ? `, ${r.lost} lost` : ''}` : undefined);

/** `live`: show the running measurement's progress from the store (the room page). */
export function LinkQualityPanel({ quality, live, peerState }: { quality: LinkQuality | null | undefined; live: boolean; peerState: string }) {
  const liveProgress = useAppStore((s) => s.link.progress);
  const progress = live ? liveProgress : null;
  const running = !quality && progress && progress.phase !== 'starting' && progress.phase !== 'done';
  return (
    <section className="link-quality" data-testid="link-quality">
      <h2>Link quality</h2>
      {!quality && !running && (
        <p className="empty" data-testid="link-status">
          {peerState === 'peer-left' || peerState === 'failed'
            ? 'Not measured: the connection ended before the measurement could start.'
            : 'Measured over the data channel once the connection has settled: throughput each way, then loss, jitter and round-trip time under load.'}
        </p>
      )}
      {running && (
        <div className="link-progress">
          <progress max={1} value={progress.fraction} data-testid="link-progress" />
          <span data-testid="link-status">Measuring {LINK_PHASE_LABELS[progress.phase as keyof typeof LINK_PHASE_LABELS] ?? ''}… {Math.round(progress.fraction * 100)} %</span>
        </div>
      )}
      {quality && (
        <>
          {quality.verdict ? (
            <p className={`verdict verdict-${quality.verdict.level}`}>
              <strong data-testid="link-verdict">{quality.verdict.label}</strong>
              {quality.verdict.mos !== null && <span className="mos"> · estimated call quality (MOS) {quality.verdict.mos.toFixed(1)} / 5</span>}
            </p>
          ) : (
            <p className="verdict">
              <strong data-testid="link-verdict">no verdict: nothing was measured</strong>
            </p>
          )}
          {quality.status !== 'done' && (
            <p className="warn" data-testid="link-status">
              {quality.status === 'partial' ? 'Partial measurement' : 'Skipped'}: {quality.reason}
              {quality.notMeasured.length > 0 && <> — not measured: {quality.notMeasured.map((p) => LINK_PHASE_LABELS[p]).join('; ')}.</>}
            </p>
          )}
          {quality.verdict && quality.verdict.limits.length > 0 && (
            <ul className="limits">
              {quality.verdict.limits.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
          <dl className="figures">
            <Figure label="Upload (this side → other)" value={mbit(quality.upload?.bps)} testId="throughput-up" />
            <Figure label="Download (other → this side)" value={mbit(quality.download?.bps)} testId="throughput-down" />
            <Figure label="Loss in / out" value={`${pct(quality.streamIn?.lossRatio)} / ${pct(quality.streamOut?.lossRatio)}`} testId="loss" hint={streamHint(quality.streamIn)} />
            <Figure label="Jitter in / out" value={`${rttMs(quality.streamIn?.jitterMs)} / ${rttMs(quality.streamOut?.jitterMs)}`} testId="jitter" hint="RFC 3550" />
            <Figure label="RTT idle" value={rttMs(quality.rttIdle?.medianMs)} testId="rtt-idle" hint={rttHint(quality.rttIdle)} />
            <Figure
              label="RTT under load ↑ / ↓"
              value={`${rttMs(quality.rttLoadedUp?.medianMs)} / ${rttMs(quality.rttLoadedDown?.medianMs)}`}
              testId="rtt-loaded"
              hint={quality.bufferbloat?.grade ? `bufferbloat grade ${quality.bufferbloat.grade} (+${rttMs(quality.bufferbloat.addedMs)})` : undefined}
            />
          </dl>
          {((quality.upload?.series.length ?? 0) > 1 || (quality.download?.series.length ?? 0) > 1) && (
            <Suspense fallback={<div className="chart-placeholder">Loading charts…</div>}>
              <LinkCharts quality={quality} />
            </Suspense>
          )}
        </>
      )}
    </section>
  );
}
