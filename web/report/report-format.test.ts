import { describe, expect, it } from 'vitest';
import { PATH_LABELS } from '../../common/path-kind';
import { createAppStore } from '../store/app-store';
import { buildReport } from './build-report';
import { selectedPathText } from './report-format';

function report(peerState: Parameters<ReturnType<ReturnType<typeof createAppStore>['getState']>['setPeerState']>[0]) {
  const store = createAppStore();
  store.getState().openRoom('AAAAAAAAAAAAAAAAAAAAAA', false, 0);
  if (peerState !== 'waiting') store.getState().beginTest(1);
  store.getState().setPeerState(peerState);
  return buildReport(store.getState());
}

describe('selectedPathText', () => {
  it('says what it is waiting for until a pair is selected, never a path label', () => {
    const labels: string[] = Object.values(PATH_LABELS);
    for (const state of ['waiting', 'connecting', 'connected', 'peer-left'] as const) {
      const text = selectedPathText(report(state));
      expect(labels).not.toContain(text);
    }
    expect(selectedPathText(report('waiting'))).toMatch(/waiting/);
  });

  it('says "no path" when ICE failed', () => {
    expect(selectedPathText(report('failed'))).toBe(PATH_LABELS.none);
  });
});
