// A saved lobby report on its permalink (/report/<id>), read-only: the matrix, summary and host choice rebuilt from
// the saved members and links by the live lobby's own view, and the saving page's pairs' full reports behind their
// cells. Loaded lazily (with the lobby view and the schema) only when the saved report is a lobby's.
import { useMemo } from 'react';
import { lobbyReportSchema, type LobbyReport } from '../../common/lobby-report';
import type { LobbyMember } from '../lobby/lobby-types';
import { LobbyResultsView } from '../lobby/lobby-matrix-view';
import { downloadReport } from '../report/raw-report';
import { ReportView } from '../report/report-view';
import { QrCode } from './qr-code';

/** Checks a saved body against the lobby report schema: the report, or a sentence naming what is wrong. */
export function readSavedLobbyReport(body: unknown): { ok: true; report: LobbyReport } | { ok: false; error: string } {
  const parsed = lobbyReportSchema.safeParse(body);
  if (parsed.success) return { ok: true, report: parsed.data as LobbyReport };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `it is not a lobby report this page can read (${issue?.path.join('.') || 'report'}: ${issue?.message ?? 'invalid'})` };
}

export function SavedLobbyReport({ body }: { body: unknown }) {
  const read = useMemo(() => readSavedLobbyReport(body), [body]);
  const input = useMemo(() => {
    if (!read.ok) return null;
    const members: Record<string, LobbyMember> = {};
    for (const m of read.report.members) members[m.peerId] = m;
    return { members, links: read.report.links, selfId: read.report.selfId };
  }, [read]);
  if (!read.ok || !input) {
    return (
      <p className="notice error" data-testid="saved-report-error" role="alert">
        This report cannot be shown: {read.ok ? 'it is empty' : read.error}. <a href="/">Run a new test</a>.
      </p>
    );
  }
  const report = read.report;
  const pairs = new Map(report.pairs.map((p) => [p.peerId, p]));
  const present = report.members.filter((m) => m.leftAt === null).length;
  return (
    <>
      <p className="notice saved-banner" data-testid="saved-report" data-kind="lobby">
        A saved p2pcheck lobby report (read-only) of {report.members.length} {report.members.length === 1 ? 'peer' : 'peers'} ({present} present when it was saved), from{' '}
        {new Date(report.savedAt).toLocaleString()}.{report.redacted ? ' Private addresses are masked.' : ''} <a href="/">Run your own test</a>.
      </p>
      <LobbyResultsView
        input={input}
        readOnly
        pairReport={(peerId) => {
          const pair = pairs.get(peerId);
          if (!pair) return null;
          return (
            <>
              {pair.trimmed && <p className="hint">Its longest series (RTT samples, ICE events) were shortened to keep the lobby report small.</p>}
              <ReportView report={pair.report} readOnly />
            </>
          );
        }}
      />
      <section className="share">
        <div>
          <h2>This report</h2>
          <button type="button" data-testid="download-json" onClick={() => downloadReport(report)}>
            Download JSON
          </button>
        </div>
        <QrCode text={location.href} caption="Scan to open this report on a phone" testId="saved-report-qr" />
      </section>
    </>
  );
}
