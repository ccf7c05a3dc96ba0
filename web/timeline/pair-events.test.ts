import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../common/testdata/sample-report';
import { diffPairStates } from './pair-events';

const r = sampleReport();
const pair = (id: string, state: string) => ({ ...r.pairs[0]!, id, state });

describe('pair state changes from stats polls', () => {
  it('records new pairs and changed states once, dated to the poll', () => {
    const first = diffPairStates({}, [pair('CP1', 'in-progress')], 50, r.localCandidates, r.remoteCandidates);
    expect(first.events).toEqual([{ at: 50, kind: 'pair', pairId: 'CP1', local: 'host 10.200.11.1:50000', remote: 'host 10.200.11.1:50001', state: 'in-progress', from: null }]);
    const same = diffPairStates(first.states, [pair('CP1', 'in-progress')], 100, r.localCandidates, r.remoteCandidates);
    expect(same.events).toEqual([]);
    expect(same.states).toBe(first.states);
    const next = diffPairStates(same.states, [pair('CP1', 'succeeded'), pair('CP9', 'waiting')], 150, r.localCandidates, r.remoteCandidates);
    expect(next.events.map((e) => [e.pairId, e.from, e.state])).toEqual([['CP1', 'in-progress', 'succeeded'], ['CP9', null, 'waiting']]);
    expect(next.states).toEqual({ CP1: 'succeeded', CP9: 'waiting' });
  });
});
