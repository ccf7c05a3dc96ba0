import { describe, expect, it } from 'vitest';
import { encodeControl, parseControl } from '../../common/peer-protocol';
import { QUALITY_LIMITS } from './quality-verdict';
import { DEFAULT_PLAN, PROBE_WIRE_OVERHEAD_BYTES, bulkChunk, decodeBulk, decodeProbe, encodeBulkEnd, encodeProbe, planProgress } from './link-test-protocol';

describe('link test wire format', () => {
  it('probe messages round-trip, padded to the asked size', () => {
    const buf = encodeProbe({ kind: 'stream', seq: 123456, sentAt: 987.654 }, 500);
    expect(buf.byteLength).toBe(500);
    expect(decodeProbe(buf)).toEqual({ kind: 'stream', seq: 123456, sentAt: 987.654 });
    expect(decodeProbe(encodeProbe({ kind: 'echo', seq: 1, sentAt: 2 }))).toEqual({ kind: 'echo', seq: 1, sentAt: 2 });
  });

  it('the loss stream fits in a link the verdict calls fit for audio, so it does not cause the loss it measures', () => {
    const wireBps = DEFAULT_PLAN.streamPps * (Math.max(13, DEFAULT_PLAN.streamBytes) + PROBE_WIRE_OVERHEAD_BYTES) * 8;
    expect(wireBps).toBeLessThanOrEqual(QUALITY_LIMITS.audio.minBps);
  });

  it('bulk data and end markers decode; the end carries the byte count', () => {
    expect(decodeBulk(bulkChunk(16384))).toEqual({ kind: 'data', bytes: 16384 });
    expect(decodeBulk(encodeBulkEnd(123 * 16384))).toEqual({ kind: 'end', bytesSent: 123 * 16384 });
  });

  it('malformed input decodes to null, never throws', () => {
    const bad = [null, 'text', new ArrayBuffer(0), new ArrayBuffer(12), new Uint8Array([9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).buffer];
    for (const b of bad) expect(decodeProbe(b)).toBeNull();
    for (const b of [null, 'x', new ArrayBuffer(0), new Uint8Array([2, 1]).buffer, new Uint8Array([7]).buffer]) expect(decodeBulk(b)).toBeNull();
    for (const s of ['', '{', '{"t":"nope"}', '{"t":"hello","v":1}', '{"t":"send-bulk","durationMs":-1}', 42, 'x'.repeat(300_000)]) expect(parseControl(s)).toBeNull();
  });

  it('control messages round-trip', () => {
    const m = { t: 'hello', v: 1, plan: DEFAULT_PLAN } as const;
    expect(parseControl(encodeControl(m))).toEqual(m);
  });

  it('progress runs from 0 to 1 across the phases', () => {
    const p = { ...DEFAULT_PLAN, idleMs: 1000, bulkMs: 2000, streamMs: 1000 };
    expect(planProgress(p, 'idle-rtt', 0)).toBe(0);
    expect(planProgress(p, 'upload', 1000)).toBeCloseTo(2 / 6);
    expect(planProgress(p, 'download', 99_999)).toBeCloseTo(5 / 6);
    expect(planProgress(p, 'stream', 1000)).toBe(1);
  });
});
