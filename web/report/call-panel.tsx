// The call test: per direction, what the call achieved next to the data-channel estimate, why they
// differ, the figures, and (lazily, with recharts) bit rate and frame rate over time. Fed a report's `call` (live
// or saved); the live page also shows the call's progress and a skip button.
import { lazy, Suspense } from 'react';
import type { CallDirection, CallTest } from '../../common/call-report';
import type { LinkQuality } from '../../common/link-quality';
import { mbps } from '../quality/quality-verdict';
import { appStore, useAppStore } from '../store/app-store';
import './call-panel.css';

const CallCharts = lazy(() => import('./call-charts').then((m) => ({ default: m.CallCharts })));

const or = (v: number | null | undefined, f: (x: number) => string) => (v == null ? '—' : f(v));

function DirectionView({ title, testId, d }: { title: string; testId: string; d: CallDirection | null }) {
  if (!d) {
    return (
      <div className="call-direction" data-testid={testId}>
        <h3>{title}</h3>
        <p className="empty" data-testid={`${testId}-verdict`}>not measured</p>
      </div>
    );
  }
  const s = d.summary;
  return (
    <div className="call-direction" data-testid={testId}>
      <h3>{title}</h3>
      <p className={`verdict verdict-${d.verdict.level}`}>
        <strong data-testid={`${testId}-verdict`} data-level={d.verdict.level}>{d.verdict.label}</strong>
        {s.mos !== null && <span className="mos"> · audio MOS {s.mos.toFixed(1)} / 5</span>}
      </p>
      {d.verdict.reasons.length > 0 && (
        <ul className="limits">
          {d.verdict.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <dl className="figures">
        <div className="figure"><dt>Resolution held</dt><dd data-testid={`${testId}-resolution`}>{s.height !== null ? `${s.width ?? '?'}×${s.height}` : '—'}</dd></div>
        <div className="figure"><dt>Frames per second</dt><dd data-testid={`${testId}-fps`}>{or(s.fps, (x) => x.toFixed(0))}</dd></div>
        <div className="figure"><dt>Frames received</dt><dd data-testid={`${testId}-frames`}>{s.framesDecoded}</dd></div>
        <div className="figure"><dt>Bit rate</dt><dd>{or(s.bitrateBps, mbps)}</dd></div>
        <div className="figure"><dt>Bandwidth estimate</dt><dd>{or(s.bandwidthEstimateBps, mbps)}</dd></div>
        <div className="figure"><dt>Freezes</dt><dd>{s.freezeCount} ({(s.freezeMs / 1000).toFixed(1)} s)</dd></div>
        <div className="figure"><dt>Packets lost</dt><dd>{or(s.lossRatio, (x) => `${(x * 100).toFixed(1)} %`)}</dd></div>
        <div className="figure"><dt>Jitter / jitter buffer</dt><dd>{or(s.jitterMs, (x) => `${x.toFixed(0)} ms`)} / {s.jitterBufferMs == null ? 'not measured' : `${s.jitterBufferMs.toFixed(0)} ms`}</dd></div>
        <div className="figure"><dt>NACK / PLI</dt><dd>{s.nackCount} / {s.pliCount}</dd></div>
        <div className="figure"><dt>Audio concealed</dt><dd>{or(s.audioConcealedRatio, (x) => `${(x * 100).toFixed(1)} %`)}</dd></div>
        <div className="figure"><dt>Encoder limited by</dt><dd>{s.qualityLimitation ?? '—'}</dd></div>
      </dl>
    </div>
  );
}

/** `live`: show the running call's progress and the skip button (the room page). */
export function CallPanel({ call, quality, live }: { call: CallTest | null | undefined; quality: LinkQuality | null | undefined; live: boolean }) {
  const liveCall = useAppStore((s) => s.call);
  const state = live ? liveCall : null;
  if (!call && (!state || state.phase === 'off' || state.phase === 'idle')) return null;
  const running = !call && state && (state.phase === 'pending' || state.phase === 'running');
  return (
    <section className="link-quality call-test" data-testid="call-test">
      <h2>Call test</h2>
      {running && (
        <div className="link-progress">
          <progress max={state.progress?.durationS ?? 10} value={state.progress?.second ?? 0} data-testid="call-progress" />
          <span data-testid="call-status">
            {state.skipRequested ? 'Skipping…' : state.progress ? `Calling: synthetic audio and 720p video both ways… ${state.progress.second} / ${state.progress.durationS} s` : 'The call test starts after the link measurement.'}
          </span>{' '}
          {!state.skipRequested && (
            <button type="button" data-testid="call-skip" onClick={() => appStore.getState().requestCallSkip()}>
              Skip the call test
            </button>
          )}
        </div>
      )}
      {call && (
        <>
          {call.status !== 'done' && (
            <p className="warn" data-testid="call-status">
              {call.status === 'skipped' ? 'Skipped' : call.status === 'failed' ? 'Failed' : 'Partial'}: {call.reason}
            </p>
          )}
          {call.disagreement && (
            <p className="warn" data-testid="call-disagreement">
              {call.disagreement}
            </p>
          )}
          {quality?.verdict && (
            <p data-testid="call-dc-estimate">
              Data-channel estimate: <strong>{quality.verdict.label}</strong>
            </p>
          )}
          <div className="call-directions">
            <DirectionView title="Other person → this page" testId="call-in" d={call.incoming} />
            <DirectionView title="This page → other person" testId="call-out" d={call.outgoing} />
          </div>
          {(call.incoming?.series.length || call.outgoing?.series.length) ? (
            <Suspense fallback={<p className="empty">Loading charts…</p>}>
              <CallCharts call={call} />
            </Suspense>
          ) : null}
        </>
      )}
    </section>
  );
}
