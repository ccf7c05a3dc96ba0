// Both sides of a room run "Check my network"; each shares its result with the other over peer-info
// (`{ diagnosis: … }`), and the report compares the path predicted from both verdicts with the settled path.
// Pure helpers: reading the other side's payload defensively, and the comparison.
import type { DiagnosisResult, RoomDiagnosis, RoomPrediction } from '../../common/nat/diagnosis-result';
import { checkPrediction, predictPath, PREDICTED_PATH_LABELS } from '../../common/nat/path-prediction';
import type { PeerBehavior } from '../../common/nat/nat-verdict';
export type { RoomPrediction };
import { PATH_LABELS, type PathKind } from '../../common/report';

/** The other peer's diagnosis from its peer-info, or null when absent or not shaped like one. */
export function readPeerDiagnosis(info: Record<string, unknown>): DiagnosisResult | null {
  const d = info.diagnosis;
  if (!d || typeof d !== 'object') return null;
  const r = d as Partial<DiagnosisResult>;
  if (r.version !== 1 || typeof r.state !== 'string') return null;
  if (r.verdict !== null && r.verdict !== undefined && !validBehavior(r.verdict.behavior)) return null;
  return d as DiagnosisResult;
}

const M = ['EIM', 'ADM', 'APDM'];
const F = ['EIF', 'ADF', 'APDF'];
function validBehavior(b: unknown): b is PeerBehavior {
  if (!b || typeof b !== 'object') return false;
  const x = b as Record<string, unknown>;
  return (
    ['yes', 'no', 'unknown'].includes(x.udp as string) &&
    ['ok', 'failed', 'not-tested'].includes(x.tcpRelay as string) &&
    Array.isArray(x.mappings) && x.mappings.every((m) => M.includes(m as string)) &&
    Array.isArray(x.filterings) && x.filterings.every((f) => F.includes(f as string))
  );
}

/** null until both verdicts are known. */
export function roomPrediction(local: DiagnosisResult | null, remote: DiagnosisResult | null, path: { kind: PathKind; settled: boolean }): RoomPrediction | null {
  if (!local?.verdict || !remote?.verdict) return null;
  const sameNetwork =
    local.mappedAddress !== null && remote.mappedAddress !== null && local.mappedAddress.address === remote.mappedAddress.address && local.publicAddress !== 'yes';
  const prediction = predictPath(local.verdict.behavior, remote.verdict.behavior, { sameNetwork });
  const actual = path.settled ? path.kind : null;
  const check = actual === null ? null : checkPrediction(prediction.path, actual);
  let note: string | null = null;
  if (check === 'disagree') {
    note = `Predicted ${PREDICTED_PATH_LABELS[prediction.path]}, but the connection settled on ${PATH_LABELS[actual!]}. ${
      prediction.path === 'relay' || prediction.path === 'relay-tcp'
        ? 'A NAT let more through than its test showed (for example a NAT that keeps ports when it can), or one side has a second network path.'
        : 'Something between the peers drops traffic the NAT tests did not see (a firewall, or a NAT whose behavior changes under load), or the browser picked the relay before a direct pair succeeded.'
    }`;
  } else if (check === 'no-path') {
    note = `Predicted ${PREDICTED_PATH_LABELS[prediction.path]}, but no connection was made.`;
  }
  return { prediction, predictedLabel: PREDICTED_PATH_LABELS[prediction.path], actual, actualLabel: actual ? PATH_LABELS[actual] : null, check, note };
}

/** The report's `diagnosis` field: this page's result, the other side's (from peer-info) and the prediction. */
export function roomDiagnosis(local: DiagnosisResult | null, remoteInfo: Record<string, unknown>, path: { kind: PathKind; settled: boolean }): RoomDiagnosis | null {
  const remote = readPeerDiagnosis(remoteInfo);
  if (!local && !remote) return null;
  return { local, remote, prediction: roomPrediction(local, remote, path) };
}
