// /report/<id>: a saved report, read-only, with the same components as the live page.
import { lazy, Suspense, useEffect, useState } from 'react';
import { isLobbyReport } from '../../common/lobby-report-kind';
import type { ConnectivityReport } from '../../common/report';
import { ReportView } from '../report/report-view';
import { PageHeader } from '../layout/page-header';
import { ApiRequestError, httpFailureOf } from '../errors/api-error';
import '../report/link-quality.css';

// A lobby's report (kind 'lobby') renders with the lobby view, loaded only when needed.
const SavedLobbyReport = lazy(() => import('./saved-lobby-report').then((m) => ({ default: m.SavedLobbyReport })));

type Load = { state: 'loading' } | { state: 'ok'; report: ConnectivityReport } | { state: 'lobby'; body: unknown } | { state: 'error'; message: string };

export function SavedReportPage({ id }: { id: string }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    fetch(`/api/reports/${encodeURIComponent(id)}`, { cache: 'no-store' })
      .then(async (res) => {
        if (!res.ok) throw new ApiRequestError('report-load', await httpFailureOf(res));
        const body = (await res.json().catch(() => null)) as ConnectivityReport | null;
        if (body && isLobbyReport(body)) {
          if (live) setLoad({ state: 'lobby', body });
          return;
        }
        if (!body || body.version !== 1) throw new Error('the server answered with something that is not a p2pcheck report');
        if (live) setLoad({ state: 'ok', report: body });
      })
      .catch((err: unknown) => live && setLoad({ state: 'error', message: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [id]);
  return (
    <main className="room saved-report">
      <PageHeader />
      {load.state === 'loading' && <p className="hint">Loading the saved report…</p>}
      {load.state === 'error' && (
        <p className="notice error" data-testid="saved-report-error" role="alert">
          This report cannot be shown: {load.message.replace(/\.$/, '')}. <a href="/">Run a new test</a>.
        </p>
      )}
      {load.state === 'lobby' && (
        <Suspense fallback={<p className="hint">Loading the saved lobby report…</p>}>
          <SavedLobbyReport body={load.body} />
        </Suspense>
      )}
      {load.state === 'ok' && (
        <>
          <p className="notice saved-banner" data-testid="saved-report">
            A saved p2pcheck report (read-only), from {new Date(load.report.startedAt ?? load.report.createdAt).toLocaleString()}.
            {load.report.redacted ? ' Private addresses are masked.' : ''} <a href="/">Run your own test</a>.
          </p>
          <ReportView report={load.report} readOnly />
        </>
      )}
    </main>
  );
}
