// Room report: the path predicted from both sides' NAT verdicts next to the settled path, with any
// disagreement called out.
import type { RoomPrediction } from './room-diagnosis';

export function PredictionPanel({ result }: { result: RoomPrediction | null }) {
  if (!result) {
    return (
      <p className="muted" data-testid="prediction" data-check="pending">
        Prediction: waiting for both sides&apos; network checks.
      </p>
    );
  }
  const { check } = result;
  return (
    <div className={`prediction prediction-${check ?? 'pending'}`} data-testid="prediction" data-check={check ?? 'pending'} data-predicted={result.prediction.path}>
      <p>
        Predicted from both networks: <strong data-testid="predicted-path">{result.predictedLabel}</strong>
        <span className="muted"> — {result.prediction.reason}.</span>
      </p>
      <p>
        Actual: <strong>{result.actualLabel ?? 'not settled yet'}</strong>
        {check === 'agree' && ' — as predicted.'}
        {check === 'no-prediction' && ' — no firm prediction to compare with.'}
      </p>
      {result.note && (
        <p className="disagreement" role="alert" data-testid="prediction-disagreement">
          {result.note}
        </p>
      )}
    </div>
  );
}
