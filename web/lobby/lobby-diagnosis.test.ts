import { describe, expect, it } from 'vitest';
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import { checkAgainAfterLinksSettle } from './lobby-diagnosis';

const result = (kind: string | null, state: DiagnosisResult['state'] = 'done') =>
  ({ state, verdict: kind === null ? null : { kind } }) as Pick<DiagnosisResult, 'state' | 'verdict'>;

describe('a lobby page checks its network again', () => {
  it('when a check forced before its links settled reached nothing, determined nothing, or broke: once', () => {
    expect(checkAgainAfterLinksSettle({ startedEarly: true, runs: 1 }, result('no-connectivity'))).toBe(true);
    expect(checkAgainAfterLinksSettle({ startedEarly: true, runs: 1 }, result('undetermined'))).toBe(true);
    expect(checkAgainAfterLinksSettle({ startedEarly: true, runs: 1 }, result(null, 'error'))).toBe(true);
    // The second run's answer is the answer, whatever it says.
    expect(checkAgainAfterLinksSettle({ startedEarly: true, runs: 2 }, result('no-connectivity'))).toBe(false);
  });

  it('not when the check ran on settled links (its "no connectivity" is the network\'s), nor for any other verdict', () => {
    expect(checkAgainAfterLinksSettle({ startedEarly: false, runs: 1 }, result('no-connectivity'))).toBe(false);
    expect(checkAgainAfterLinksSettle({ startedEarly: false, runs: 1 }, result('undetermined'))).toBe(false);
    for (const kind of ['symmetric', 'port-restricted-cone', 'udp-blocked', 'open']) {
      expect(checkAgainAfterLinksSettle({ startedEarly: true, runs: 1 }, result(kind)), kind).toBe(false);
    }
  });
});
