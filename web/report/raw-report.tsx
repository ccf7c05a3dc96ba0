import { isLobbyReport, type SavedReportBody } from '../../common/lobby-report-kind';
import type { ConnectivityReport } from '../../common/report';

export function downloadReport(report: SavedReportBody): void {
  const blob = new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  const when = isLobbyReport(report) ? report.savedAt : (report.startedAt ?? report.createdAt);
  a.download = `p2pcheck-${isLobbyReport(report) ? 'lobby-' : ''}${report.roomId.slice(0, 8)}-${new Date(when).toISOString().replace(/[:.]/g, '-')}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RawReport({ report }: { report: ConnectivityReport }) {
  return (
    <section>
      <div className="row">
        <h2>Report</h2>
        <button type="button" onClick={() => downloadReport(report)} data-testid="download-json">
          Download JSON
        </button>
      </div>
      <details>
        <summary>Raw report</summary>
        <pre data-testid="report-json">{JSON.stringify(report, null, 2)}</pre>
      </details>
    </section>
  );
}
