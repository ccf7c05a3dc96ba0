// The status line's relay fallback sentence names the ICE region the relay check ran against (ICE_REGIONS), and
// reads as before without regions.
import { describe, expect, it } from 'vitest';
import type { ConnectivityReport } from '../../common/report';
import { emptyDiagnosis } from '../diagnosis/run-diagnosis';
import { relayFallbackLine } from './status-line';

const works = { state: 'works', startedAt: 1000, connectMs: 300, rttMs: 20, throughputBps: null, path: 'relay-udp', reason: null } as const;

function report(used: string | null | undefined): ConnectivityReport {
  const local = emptyDiagnosis('bundled');
  if (used !== undefined) local.regions = { ranking: [{ id: 'near', name: 'Nearby', rttMs: 12, samples: [12] }, { id: 'far', name: 'Far away', rttMs: 160, samples: [160] }], used, method: 'test' };
  return { relayCheck: works, diagnosis: { local, remote: null, prediction: null } } as unknown as ConnectivityReport;
}

describe('relay fallback line', () => {
  it('says which region the relay check ran through', () => {
    expect(relayFallbackLine(report('near'))?.text).toBe('Relay fallback (relay check via Nearby): works — tested with a relay-only connection (round trip 20.0 ms).');
  });

  it('names no region without ICE_REGIONS or when none answered', () => {
    expect(relayFallbackLine(report(undefined))?.text).toBe('Relay fallback: works — tested with a relay-only connection (round trip 20.0 ms).');
    expect(relayFallbackLine(report(null))?.text).not.toMatch(/via/);
  });
});
