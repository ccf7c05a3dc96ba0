// The region ranking crosses to the other peer inside peer-info { diagnosis } and is saved with the report: the
// wire schema keeps it, bounds it, and still reads results from pages without regions.
import { describe, expect, it } from 'vitest';
import { diagnosisWireSchema } from '../../common/nat/diagnosis-schema';
import type { RegionChoice } from '../../common/ice-regions';
import { emptyDiagnosis } from './run-diagnosis';

const choice: RegionChoice = {
  ranking: [
    { id: 'near', name: 'Nearby', rttMs: 12, samples: [12, 14, 11] },
    { id: 'far', name: 'Far away', rttMs: null, samples: [null] },
  ],
  used: 'near',
  method: 'median of 3 STUN Binding round trips',
};

describe('regions on the wire', () => {
  it('keeps the ranking and the region used', () => {
    const parsed = diagnosisWireSchema.parse({ ...emptyDiagnosis('bundled', 1), regions: choice });
    expect(parsed.regions).toEqual(choice);
  });

  it('reads a result without regions (older pages, no ICE_REGIONS)', () => {
    expect(diagnosisWireSchema.parse(emptyDiagnosis('bundled', 1)).regions).toBeUndefined();
  });

  it('refuses a ranking out of bounds', () => {
    const long = { ...choice, ranking: [{ ...choice.ranking[0]!, name: 'x'.repeat(500) }] };
    expect(diagnosisWireSchema.safeParse({ ...emptyDiagnosis('bundled', 1), regions: long }).success).toBe(false);
    const negative = { ...choice, ranking: [{ ...choice.ranking[0]!, rttMs: -5 }] };
    expect(diagnosisWireSchema.safeParse({ ...emptyDiagnosis('bundled', 1), regions: negative }).success).toBe(false);
  });
});
