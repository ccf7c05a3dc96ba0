import type { ConnectivityReport } from '../../common/report';
import { useAppStore } from '../store/app-store';
import { PHASE_STEPS, testPhase } from './test-phases';
import './link-quality.css';

/** `live`: follow the running measurement's progress from the store (the room page). */
export function TestPhasesView({ report, live }: { report: ConnectivityReport; live: boolean }) {
  const progress = useAppStore((s) => s.link.progress);
  const view = testPhase(report, live ? progress : null);
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
