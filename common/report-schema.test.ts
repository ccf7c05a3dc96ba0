import { describe, expect, it } from 'vitest';
import { reportSchema } from './report-schema';
import { sampleReport } from './testdata/sample-report';

describe('report schema', () => {
  it('accepts a report as the page builds it, keeping fields it does not know', () => {
    const parsed = reportSchema.parse({ ...sampleReport(), diagnosis: { whatever: 1 } });
    expect(parsed.localCandidates).toHaveLength(2);
    expect((parsed as Record<string, unknown>).diagnosis).toEqual({ whatever: 1 });
  });

  it('rejects what is not a report, naming the field', () => {
    const r = sampleReport();
    const bad = [
      { ...r, version: 2 },
      { ...r, localCandidates: [{ ...r.localCandidates[0], type: 'weird' }] },
      { ...r, roomId: 'x'.repeat(100) },
      { ...r, rtt: { ...r.rtt, samples: Array.from({ length: 6000 }, () => ({ at: 1, rtt: 1 })) } },
      { ...r, quality: { version: 1 } },
      null,
      'report',
    ];
    for (const b of bad) expect(reportSchema.safeParse(b).success).toBe(false);
  });
});
