// The steps of one test as people read them, derived from the report (and the live measurement's progress):
// waiting for peer → gathering → checking → connected → measuring → relay check → done, or failed / the peer
// left. Pure.
import type { ConnectivityReport } from '../../common/report';
import type { LinkTestProgress } from '../quality/link-test-driver';

export type TestPhase = 'waiting' | 'gathering' | 'checking' | 'connected' | 'measuring' | 'relay' | 'done' | 'failed' | 'peer-left';

export const PHASE_STEPS: readonly { phase: TestPhase; label: string }[] = [
  { phase: 'waiting', label: 'Waiting for peer' },
  { phase: 'gathering', label: 'Gathering candidates' },
  { phase: 'checking', label: 'Checking pairs' },
  { phase: 'connected', label: 'Connected' },
  { phase: 'measuring', label: 'Measuring the link' },
  { phase: 'relay', label: 'Testing the relay' },
  { phase: 'done', label: 'Done' },
];

export interface PhaseView {
  phase: TestPhase;
  /** Index in PHASE_STEPS reached (for failed/peer-left: the last step reached before). */
  step: number;
  /** Sentence for failed / peer-left / partial results; null otherwise. */
  note: string | null;
}

export function testPhase(report: ConnectivityReport, progress: LinkTestProgress | null = null): PhaseView {
  const q = report.quality ?? null;
  const reached = (): number => {
    // The relay-only check follows the measurement (none in relay-only tests, nor in reports older than it).
    if (q) return report.relayCheck?.state === 'running' ? 5 : 6;
    if (progress && progress.phase !== 'starting') return 4;
    if (report.timings.connected !== null) return 3;
    if (report.pairs.length > 0) return 2;
    if (report.startedAt != null) return 1;
    return 0;
  };
  const step = reached();
  if (report.peerState === 'failed') {
    const reason = [...report.errors].reverse().find((e) => e.source === 'ice' || e.source.startsWith('webrtc'))?.message ?? 'no candidate pair could connect';
    return { phase: 'failed', step, note: `The test failed: ${reason}` };
  }
  if (q && q.status !== 'done') {
    const missing = q.notMeasured.length ? ` Not measured: ${q.notMeasured.map((p) => PHASE_WORDS[p]).join(', ')}.` : '';
    return { phase: report.peerState === 'peer-left' ? 'peer-left' : 'done', step: 6, note: `${q.status === 'skipped' ? 'Link quality was skipped' : 'Link quality is partial'}: ${q.reason ?? 'stopped early'}.${missing}` };
  }
  if (report.peerState === 'peer-left' && !q) {
    return { phase: 'peer-left', step, note: 'The other peer left before the link could be measured: this report shows the connection only; throughput, loss and jitter were not measured.' };
  }
  return { phase: PHASE_STEPS[step]!.phase, step, note: null };
}

const PHASE_WORDS: Record<string, string> = { 'idle-rtt': 'idle round-trip time', upload: 'upload', download: 'download', stream: 'loss and jitter' };
