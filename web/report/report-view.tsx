// The whole report for one ConnectivityReport. Takes the report as a prop (not the store), so the same view
// can later show a saved report read-only.
import type { ConnectivityReport } from '../../common/report';
import { RoomDiagnosisView } from '../diagnosis/room-diagnosis-view';
import { IceTimelineView } from './ice-timeline-view';
import { CandidateTable } from './candidate-table';
import { LinkQualityPanel } from './link-quality-panel';
import { CallPanel } from './call-panel';
import { TestPhasesView } from './test-phases-view';
import { ErrorsList } from './errors-list';
import { PairHistory } from './pair-history';
import { PairTable } from './pair-table';
import { RawReport } from './raw-report';
import { RelayCoverageView } from './relay-coverage-view';
import { RttPanel } from './rtt-panel';
import { StatusLine } from './status-line';
import { TimingsPanel } from './timings-panel';

/** `readOnly`: a saved report (no live measurement progress). */
export function ReportView({ report, readOnly = false }: { report: ConnectivityReport; readOnly?: boolean }) {
  return (
    <div className="report">
      <TestPhasesView report={report} live={!readOnly} />
      <StatusLine report={report} />
      <RoomDiagnosisView diagnosis={report.diagnosis} />
      <TimingsPanel report={report} />
      <LinkQualityPanel quality={report.quality} live={!readOnly} peerState={report.peerState} />
      <CallPanel call={report.call} quality={report.quality} live={!readOnly} />
      <RttPanel rtt={report.rtt} />
      <IceTimelineView report={report} />
      <PairHistory report={report} />
      <PairTable report={report} />
      <RelayCoverageView report={report} />
      <CandidateTable title="Local candidates" testId="local-candidates" candidates={report.localCandidates} selectedId={report.selectedPair?.local.id ?? null} />
      <CandidateTable title="Remote candidates" testId="remote-candidates" candidates={report.remoteCandidates} selectedId={report.selectedPair?.remote.id ?? null} />
      <ErrorsList errors={report.errors} />
      <RawReport report={report} />
    </div>
  );
}
