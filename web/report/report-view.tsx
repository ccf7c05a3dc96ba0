// The whole report for one ConnectivityReport. Takes the report as a prop (not the store), so the same view
// can later show a saved report read-only.
import type { ConnectivityReport } from '../../common/report';
import { CandidateTable } from './candidate-table';
import { ErrorsList } from './errors-list';
import { PairHistory } from './pair-history';
import { PairTable } from './pair-table';
import { RawReport } from './raw-report';
import { RttPanel } from './rtt-panel';
import { StatusLine } from './status-line';
import { TimingsPanel } from './timings-panel';

export function ReportView({ report }: { report: ConnectivityReport }) {
  return (
    <div className="report">
      <StatusLine report={report} />
      <TimingsPanel report={report} />
      <RttPanel rtt={report.rtt} />
      <PairHistory report={report} />
      <PairTable report={report} />
      <CandidateTable title="Local candidates" testId="local-candidates" candidates={report.localCandidates} selectedId={report.selectedPair?.local.id ?? null} />
      <CandidateTable title="Remote candidates" testId="remote-candidates" candidates={report.remoteCandidates} selectedId={report.selectedPair?.remote.id ?? null} />
      <ErrorsList errors={report.errors} />
      <RawReport report={report} />
    </div>
  );
}
