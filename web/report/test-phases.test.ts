import { describe, expect, it } from 'vitest';
import { composeLinkQuality } from '../quality/link-result';
import { sampleReport } from '../../common/testdata/sample-report';
import type { ConnectivityReport } from '../../common/report';
import { testPhase } from './test-phases';

const base = (): ConnectivityReport => sampleReport();
const partial = composeLinkQuality({
  status: 'partial', reason: 'the other peer left', startedAt: 0, finishedAt: 1,
  upload: { bps: 1e6, bytes: 1, durationMs: 1, series: [] }, download: null, streamIn: null, streamOut: null,
  rttIdle: { samples: [1], sent: 1 }, rttLoadedUp: null, rttLoadedDown: null,
});

describe('test phases', () => {
  it('walks waiting → gathering → checking → connected → measuring → done', () => {
    const waiting = { ...base(), startedAt: null, peerState: 'waiting' as const, pairs: [], timings: { peerJoined: null, firstCandidate: null, connected: null, pathSettled: null } };
    expect(testPhase(waiting).phase).toBe('waiting');
    expect(testPhase({ ...waiting, startedAt: 1, peerState: 'connecting' }).phase).toBe('gathering');
    expect(testPhase({ ...base(), peerState: 'connecting', timings: { ...base().timings, connected: null } }).phase).toBe('checking');
    expect(testPhase(base()).phase).toBe('connected');
    expect(testPhase(base(), { phase: 'starting', fraction: 0 }).phase).toBe('connected');
    expect(testPhase(base(), { phase: 'upload', fraction: 0.3 })).toEqual({ phase: 'measuring', step: 4, note: null });
    const done = { ...partial, status: 'done' as const, reason: null };
    expect(testPhase({ ...base(), quality: done })).toEqual({ phase: 'done', step: 6, note: null });
    const relayCheck = { state: 'running' as const, startedAt: 9000, connectMs: null, rttMs: null, path: null, reason: null };
    expect(testPhase({ ...base(), quality: done, relayCheck })).toEqual({ phase: 'relay', step: 5, note: null });
    expect(testPhase({ ...base(), quality: done, relayCheck: { ...relayCheck, state: 'failed' } })).toEqual({ phase: 'done', step: 6, note: null });
  });

  it('says why a test failed', () => {
    const failed = { ...base(), peerState: 'failed' as const, errors: [{ at: 5, source: 'ice', code: 'failed', message: 'ICE failed: no candidate pair could connect' }] };
    expect(testPhase(failed)).toMatchObject({ phase: 'failed', note: 'The test failed: ICE failed: no candidate pair could connect' });
  });

  it('a peer that left mid-measurement leaves a partial result that names what is missing', () => {
    const v = testPhase({ ...base(), peerState: 'peer-left', quality: partial });
    expect(v.phase).toBe('peer-left');
    expect(v.note).toBe('Link quality is partial: the other peer left. Not measured: download, loss and jitter.');
    expect(testPhase({ ...base(), peerState: 'peer-left' }).note).toMatch(/left before the link could be measured/);
  });
});
