// The ConnectivityReport (common/report.ts) derived from the store: what the page shows, "Download JSON"
// saves and tests read. Pure: same state in, same report out.
import { REPORT_VERSION, type ConnectivityReport, type ReportPair } from '../../common/report';
import { PATH_LABELS, type PathKind } from '../../common/path-kind';
import type { AppState } from '../store/app-store';
import { selectStatsModel } from '../store/stats-slice';
import { SETTLE_MS } from '../stats/selection-tracker';
import { pathAsymmetry } from '../stats/path-classify';
import { roomDiagnosis } from '../diagnosis/room-diagnosis';
import { callWithComparison } from '../call/call-verdict';

type ReportInput = Pick<AppState, 'peer' | 'stats' | 'rtt'> & { diagnosis?: AppState['diagnosis']; link?: Pick<AppState['link'], 'quality' | 'iceEvents' | 'relayCheck'>; call?: Pick<AppState['call'], 'result'> };

const STATE_ORDER: Record<string, number> = { succeeded: 0, 'in-progress': 1, waiting: 2, frozen: 3, failed: 4 };

/** Selected pair first, then by how far the checks got, then by traffic. */
export function sortPairs(pairs: readonly ReportPair[], selectedId: string | null): ReportPair[] {
  return [...pairs].sort(
    (a, b) =>
      Number(b.id === selectedId) - Number(a.id === selectedId) ||
      Number(b.nominated) - Number(a.nominated) ||
      (STATE_ORDER[a.state] ?? 5) - (STATE_ORDER[b.state] ?? 5) ||
      b.bytesReceived + b.bytesSent - (a.bytesReceived + a.bytesSent) ||
      a.id.localeCompare(b.id),
  );
}

export function buildReport({ peer, stats, rtt, diagnosis, link, call }: ReportInput): ConnectivityReport {
  const model = selectStatsModel({ peer, stats });
  const selected = model.selected;
  const selectedPair = selected ? { local: selected.local, remote: selected.remote, currentRtt: selected.pair.currentRtt } : null;
  let kind: PathKind = 'none';
  let asymmetry: string | null = null;
  if (selected) {
    kind = selected.kind;
    // Only for a settled path: during a switch the two sides briefly disagree by nature.
    asymmetry = stats.selection.settled ? pathAsymmetry(selected.ends) : null;
  }
  else if (peer.peerState === 'peer-left' || peer.peerState === 'failed') kind = stats.selection.history.at(-1)?.path ?? 'none';
  const report: ConnectivityReport = {
    version: REPORT_VERSION,
    roomId: peer.roomId,
    createdAt: peer.createdAt,
    startedAt: peer.startedAt,
    relayOnly: peer.relayOnly,
    peerState: peer.peerState,
    path: { kind, label: PATH_LABELS[kind], settled: stats.selection.settled, settleMs: SETTLE_MS, asymmetry },
    selectedPair,
    selectedPairHistory: stats.selection.history,
    localCandidates: model.local,
    remoteCandidates: model.remote,
    pairs: sortPairs(model.pairs, selected ? selected.pair.id : null),
    rtt: {
      samples: rtt.samples,
      min: rtt.min,
      avg: rtt.count ? Math.round((rtt.sum / rtt.count) * 100) / 100 : null,
      max: rtt.max,
    },
    timings: peer.timings,
    iceServers: peer.iceServers.map((s) => ({ urls: [...s.urls] })),
    errors: peer.errors,
  };
  // "Check my network" of both sides and the predicted path, once either side has a result.
  const diag = roomDiagnosis(diagnosis?.local ?? null, peer.remoteInfo, report.path);
  if (diag) report.diagnosis = diag;
  // Link quality and the ICE events behind the timeline.
  if (link) {
    report.quality = link.quality;
    report.iceEvents = link.iceEvents;
    report.relayCheck = link.relayCheck;
  }
  // The call test, with where it disagrees with the data-channel verdict (the call wins).
  if (call?.result) report.call = callWithComparison(call.result, link?.quality?.verdict ?? null);
  return report;
}
