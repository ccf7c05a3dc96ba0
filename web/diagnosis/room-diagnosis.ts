// Both sides of a room run "Check my network"; each shares its result with the other over peer-info
// (`{ diagnosis: … }`), and the report compares the path predicted from both verdicts with the settled path.
// Pure helpers: the comparison, and the report's `diagnosis` field.
import type { DiagnosisResult, RoomDiagnosis, RoomPrediction } from '../../common/nat/diagnosis-result';
import { checkPrediction, predictPath, PREDICTED_PATH_LABELS, sameSegment } from '../../common/nat/path-prediction';
import { readPeerDiagnosis } from './peer-diagnosis';
export type { RoomPrediction };
import { PATH_LABELS, type PathKind } from '../../common/path-kind';

/** null until both verdicts are known. */
export function roomPrediction(local: DiagnosisResult | null, remote: DiagnosisResult | null, path: { kind: PathKind; settled: boolean }): RoomPrediction | null {
  if (!local?.verdict || !remote?.verdict) return null;
  const sameNetwork =
    local.mappedAddress !== null && remote.mappedAddress !== null && local.mappedAddress.address === remote.mappedAddress.address && local.publicAddress !== 'yes';
  // Both pages on the server's own machine (localhost): they are on one machine, so on one segment.
  const bothOnServerMachine = local.verdict.kind === 'same-machine' && remote.verdict.kind === 'same-machine';
  const prediction = predictPath(local.verdict.behavior, remote.verdict.behavior, {
    sameNetwork: sameNetwork || bothOnServerMachine,
    sameSegment: bothOnServerMachine ? 'yes' : sameNetwork ? sameSegment(local.hostAddresses, remote.hostAddresses) : undefined,
  });
  const actual = path.settled ? path.kind : null;
  const check = actual === null ? null : checkPrediction(prediction.path, actual);
  let note: string | null = null;
  if (check === 'disagree') {
    note = `Predicted ${PREDICTED_PATH_LABELS[prediction.path]}, but the connection settled on ${PATH_LABELS[actual!]}. ${
      prediction.path.startsWith('relay')
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
