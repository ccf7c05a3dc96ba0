import type { ConnectivityReport } from '../../common/report';
import type { LinkTestProgress } from '../quality/link-test-driver';
import { PHASE_STEPS, testPhase } from './test-phases';
import './link-quality.css';

export function TestPhasesView({ report, progress }: { report: ConnectivityReport; progress?: LinkTestProgress | null }) {
  const view = testPhase(report, progress ?? null);
  return (
    <section className={`phases phase-${view.phase}`} aria-label="Test progress">
      <ol className="phase-steps" data-testid="test-phase" data-phase={view.phase}>
        {PHASE_STEPS.map((s, i) => (
          <li key={s.phase} className={i < view.step ? 'past' : i === view.step ? 'current' : 'future'} aria-current={i === view.step ? 'step' : undefined}>
            {s.label}
          </li>
        ))}
      </ol>
      {view.note && (
        <p className={view.phase === 'failed' ? 'phase-note bad' : 'phase-note'} data-testid="phase-note">
          {view.note}
        </p>
      )}
    </section>
  );
}
