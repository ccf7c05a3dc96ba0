import { describe, expect, it } from 'vitest';
import { callMark } from './call-mark';
import { sampleCall } from './lobby-matrix-fixtures';

describe('what a lobby link row shows of its call test', () => {
  it('nothing before a call, "running" from the moment one is asked until its result', () => {
    expect(callMark({ phase: 'idle', result: null })).toEqual({ state: 'none', reason: null, directions: [] });
    expect(callMark({ phase: 'off', result: null }).state).toBe('none');
    expect(callMark({ phase: 'pending', result: null }).state).toBe('running');
    // A second call runs: the first one's result is not shown as if it were the new one.
    expect(callMark({ phase: 'running', result: sampleCall() }).state).toBe('running');
  });

  it('per direction: the verdict, resolution @ fps, bit rate, MOS and the first reason', () => {
    expect(callMark({ phase: 'done', result: sampleCall() })).toEqual({
      state: 'done',
      reason: null,
      directions: [
        { direction: 'outgoing', level: 'sd-video', label: 'SD video works', figures: '640×360 @ 28 fps, 1.2 Mbit/s, MOS 4.3', reason: 'held 360 lines, HD needs 720' },
        { direction: 'incoming', level: 'audio', label: 'audio only', figures: '320×180 @ 12 fps, 0.30 Mbit/s, MOS 4.3', reason: '12 fps, video needs 20' },
      ],
    });
  });

  it('a call that never began (the headless peer declined) shows its reason and no directions; a half-measured one says which is missing', () => {
    const skipped = { ...sampleCall(), status: 'skipped' as const, reason: 'the other peer has no audio or video (headless)', incoming: null, outgoing: null };
    expect(callMark({ phase: 'done', result: skipped })).toEqual({ state: 'skipped', reason: 'the other peer has no audio or video (headless)', directions: [] });
    const partial = { ...sampleCall(), status: 'partial' as const, reason: 'the other page did not send what it received', outgoing: null };
    const m = callMark({ phase: 'done', result: partial });
    expect(m.directions.map((d) => [d.direction, d.label, d.level])).toEqual([['outgoing', 'not measured', null], ['incoming', 'audio only', 'audio']]);
  });
});
