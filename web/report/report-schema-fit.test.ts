// The report the page builds must pass the server's check for saved reports (common/report-schema.ts), also at
// the size limits of the page's own buffers.
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../../common/report-schema';
import { createAppStore } from '../store/app-store';
import { MAX_CANDIDATES, MAX_ERRORS } from '../store/peer-slice';
import { MAX_RTT_SAMPLES } from '../store/rtt-slice';
import { mapStats } from '../stats/stats-mapping';
import { CHROMIUM_HOST_PAIR_STATS } from '../stats/stats-fixtures';
import { buildReport } from './build-report';

const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('built reports fit the saved-report schema', () => {
  it('while waiting', () => {
    const store = createAppStore();
    store.getState().openRoom(ROOM, false, 1);
    expect(reportSchema.safeParse(JSON.parse(JSON.stringify(buildReport(store.getState())))).success).toBe(true);
  });

  it('with every buffer full', () => {
    const store = createAppStore();
    const s = store.getState();
    s.openRoom(ROOM, true, 1);
    s.beginTest(2);
    for (let i = 0; i < MAX_CANDIDATES + 10; i++) {
      const c = { id: `c${i}`, type: 'host' as const, protocol: 'udp' as const, address: '10.0.0.1', port: 1000 + i, priority: 1, relayProtocol: null, url: null, at: i };
      s.addLocalCandidate(c);
      s.addRemoteCandidate({ ...c, id: `r${i}` });
    }
    for (let i = 0; i < MAX_ERRORS + 10; i++) s.addError({ at: i, source: 'ice', code: 701, message: 'turn:10.0.0.1:3478?transport=udp: no answer' });
    for (let i = 0; i < MAX_RTT_SAMPLES + 10; i++) s.addRttSample(i * 500, 1.5);
    s.applyStats(mapStats(CHROMIUM_HOST_PAIR_STATS), 100);
    const result = reportSchema.safeParse(JSON.parse(JSON.stringify(buildReport(store.getState()))));
    expect(result.error?.issues ?? []).toEqual([]);
  });
});
