import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/app-store';
import { jobOnLink, linkJobBusy } from './lobby-job-state';

const idle = { queued: [], running: null };

describe('whether a lobby link can take another job', () => {
  it('is free when nothing of it is queued, asked or running', () => {
    const pair = createAppStore().getState();
    expect(jobOnLink(pair)).toBeNull();
    expect(linkJobBusy('b', idle, [], null)).toBeNull();
    // Another link's jobs do not hold this one.
    expect(linkJobBusy('b', { queued: [{ kind: 'call', peerId: 'c' }], running: { kind: 'link-test', peerId: 'c' } }, [{ kind: 'call', peerId: 'c' }], null)).toBeNull();
  });

  it('says why not: running or queued in this page\u2019s queue, running on the link, or asked of the leading page', () => {
    expect(linkJobBusy('b', { queued: [], running: { kind: 'call', peerId: 'b' } }, [], null)).toBe('the call test of this link is running');
    expect(linkJobBusy('b', { queued: [{ kind: 'link-test', peerId: 'b' }], running: null }, [], null)).toBe('a throughput test of this link is queued');
    expect(linkJobBusy('b', idle, [], 'relay-check')).toBe('the relay check of this link is running');
    expect(linkJobBusy('b', idle, [{ kind: 'call', peerId: 'b' }], null)).toBe('a call test of this link is queued on the other page');
  });

  it('sees a call on the link from the moment it is asked on either end until its result', () => {
    const store = createAppStore();
    store.getState().setCallPhase('pending');
    expect(jobOnLink(store.getState())).toBe('call');
    store.getState().setCallResult({ version: 1, status: 'skipped', reason: 'x', startedAt: 0, durationMs: null, browser: null, incoming: null, outgoing: null, disagreement: null });
    expect(jobOnLink(store.getState())).toBeNull();
  });
});
