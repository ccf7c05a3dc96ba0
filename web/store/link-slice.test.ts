import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_ICE_EVENTS } from '../../common/ice-events';
import { sampleReport } from '../../common/testdata/sample-report';
import { appStore } from './app-store';

const initial = appStore.getInitialState();
beforeEach(() => appStore.setState(initial, true));
const r = sampleReport();

describe('link slice', () => {
  it('records pair state changes once and caps the event list', () => {
    const s = appStore.getState();
    s.recordPairStates(r.pairs, 10, r.localCandidates, r.remoteCandidates);
    s.recordPairStates(r.pairs, 20, r.localCandidates, r.remoteCandidates);
    expect(appStore.getState().link.iceEvents.map((e) => e.at)).toEqual([10, 10]);
    for (let i = 0; i < MAX_ICE_EVENTS + 10; i++) appStore.getState().recordIceEvent({ at: i, kind: 'ice', state: 'checking' });
    expect(appStore.getState().link.iceEvents).toHaveLength(MAX_ICE_EVENTS);
  });

  it('a new test clears the measurement but keeps the redaction choice', () => {
    const s = appStore.getState();
    s.setShare({ redact: false, status: 'saved', url: '/report/x' });
    s.setLinkProgress({ phase: 'upload', fraction: 0.5 });
    appStore.getState().resetLink();
    const { link } = appStore.getState();
    expect(link.progress).toBeNull();
    expect(link.share).toMatchObject({ redact: false, status: 'idle', url: null });
  });
});
