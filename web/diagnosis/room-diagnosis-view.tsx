// Room report, near the top: the prediction against the settled path, then this side's network and the other
// side's (as it shared it). Renders the report's `diagnosis` field only.
import type { RoomDiagnosis } from '../../common/nat/diagnosis-result';
import { DiagnosisPanel } from './diagnosis-panel';
import { PredictionPanel } from './prediction-panel';
import { RegionRankingPanel } from './region-ranking-panel';

export function RoomDiagnosisView({ diagnosis }: { diagnosis: RoomDiagnosis | undefined }) {
  if (!diagnosis) return null;
  return (
    <section className="room-diagnosis" data-testid="room-diagnosis">
      <PredictionPanel result={diagnosis.prediction} />
      <RegionRankingPanel choice={diagnosis.local?.regions} />
      <div className="diagnosis-sides">
        <DiagnosisPanel result={diagnosis.local} title="Your network" />
        {diagnosis.remote ? (
          <DiagnosisPanel result={diagnosis.remote} title={"The other peer\u2019s network"} testIdPrefix="peer-" />
        ) : (
          <p className="muted">The other peer&apos;s network check has not arrived yet.</p>
        )}
      </div>
    </section>
  );
}
