import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeLink } from './fake-link';
import { startLinkTest, type LinkTestProgress } from './link-test-driver';
import type { LinkPlan } from '../../common/peer-protocol';
import { DEFAULT_PLAN } from './link-test-protocol';

const plan: LinkPlan = { ...DEFAULT_PLAN, idleMs: 500, bulkMs: 1000, streamMs: 1000 };
const now = () => Date.now();

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('link test over a simulated link', () => {
  it('measures the link rate each way, loss on the unreliable channel, RTT idle and under load, and both sides agree', async () => {
    // 1000 bytes/ms = 8 Mbit/s each way, 20 ms one way, 5 % of probe-channel messages dropped.
    const link = fakeLink({ bytesPerMs: 1000, delayMs: 20, dropRatio: 0.05 }, now);
    const progress: LinkTestProgress[] = [];
    const leader = startLinkTest({ role: 'leader', channels: link.a, plan, now, onProgress: (p) => progress.push(p) });
    const follower = startLinkTest({ role: 'follower', channels: link.b, now });
    await vi.advanceTimersByTimeAsync(20_000);
    const [ql, qf] = await Promise.all([leader.done, follower.done]);

    expect(ql.status).toBe('done');
    expect(ql.notMeasured).toEqual([]);
    for (const dir of [ql.upload!, ql.download!]) {
      expect(dir.bps!).toBeGreaterThan(7_000_000);
      expect(dir.bps!).toBeLessThan(8_500_000);
      expect(dir.series.length).toBeGreaterThan(2);
    }
    // Stream loss close to the configured 5 % (probes share the channel, so not exactly).
    for (const s of [ql.streamIn!, ql.streamOut!]) {
      expect(s.sent).toBe(100);
      expect(s.lossRatio).toBeGreaterThan(0.02);
      expect(s.lossRatio).toBeLessThan(0.09);
      expect(s.jitterMs).not.toBeNull();
    }
    // Idle RTT is twice the one-way delay plus serialisation; under load the 256 KiB send queue adds ~250 ms.
    expect(ql.rttIdle!.medianMs!).toBeGreaterThanOrEqual(40);
    expect(ql.rttIdle!.medianMs!).toBeLessThan(45);
    expect(ql.rttLoadedUp!.medianMs!).toBeGreaterThan(150);
    expect(ql.bufferbloat!.grade).toMatch(/^[C-F]$/);
    expect(ql.verdict!.level).toBe('audio');

    // The follower holds the mirror image.
    expect(qf.status).toBe('done');
    expect(qf.upload).toEqual(ql.download);
    expect(qf.download).toEqual(ql.upload);
    expect(qf.streamIn).toEqual(ql.streamOut);
    expect(qf.verdict!.level).toBe(ql.verdict!.level);

    expect(progress.at(-1)).toEqual({ phase: 'done', fraction: 1 });
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y));
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['starting', 'idle-rtt', 'upload', 'download', 'stream', 'done']));
  });

  it('never queues more than the high-water mark in the bulk channel', async () => {
    const link = fakeLink({ bytesPerMs: 100, delayMs: 5 }, now);
    let peak = 0;
    for (const ch of [link.a.bulk, link.b.bulk]) {
      const send = ch.send.bind(ch);
      ch.send = (data: string & ArrayBuffer) => {
        send(data);
        peak = Math.max(peak, ch.bufferedAmount);
      };
    }
    const leader = startLinkTest({ role: 'leader', channels: link.a, plan, now });
    startLinkTest({ role: 'follower', channels: link.b, now });
    await vi.advanceTimersByTimeAsync(40_000);
    const q = await leader.done;
    expect(q.status).toBe('done');
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(256 * 1024 + 16 * 1024);
    // 100 bytes/ms = 0.8 Mbit/s
    expect(q.upload!.bps!).toBeGreaterThan(600_000);
    expect(q.upload!.bps!).toBeLessThan(900_000);
  });

  it('a peer that leaves mid-test leaves both sides with a partial result naming what was not measured', async () => {
    const link = fakeLink({ bytesPerMs: 1000, delayMs: 10 }, now);
    const leader = startLinkTest({ role: 'leader', channels: link.a, plan, now });
    const follower = startLinkTest({ role: 'follower', channels: link.b, now });
    // Idle (500 ms) and upload (1000 ms + drain) are done by 2.5 s; the download is under way.
    await vi.advanceTimersByTimeAsync(2900);
    link.close();
    await vi.advanceTimersByTimeAsync(100);
    const [ql, qf] = await Promise.all([leader.done, follower.done]);
    for (const q of [ql, qf]) {
      expect(q.status).toBe('partial');
      expect(q.reason).toMatch(/closed|left/);
      expect(q.notMeasured).toContain('stream');
    }
    expect(ql.upload!.bps).toBeGreaterThan(0);
    expect(ql.notMeasured).toContain('download');
    expect(qf.download!.bps).toBeGreaterThan(0);
    expect(qf.notMeasured).toContain('upload');
  });

  it('stop() ends the test at once and is idempotent', async () => {
    const link = fakeLink({ bytesPerMs: 1000, delayMs: 10 }, now);
    const leader = startLinkTest({ role: 'leader', channels: link.a, plan, now });
    const follower = startLinkTest({ role: 'follower', channels: link.b, now });
    await vi.advanceTimersByTimeAsync(200);
    leader.stop('the other peer left');
    leader.stop('again');
    await vi.advanceTimersByTimeAsync(100);
    const q = await leader.done;
    expect(q.status).toBe('partial');
    expect(q.reason).toBe('the other peer left');
    expect(q.notMeasured).toEqual(expect.arrayContaining(['upload', 'download', 'stream']));
    // The follower is told and stops too.
    const qf = await follower.done;
    expect(qf.status).toBe('partial');
    expect(qf.reason).toMatch(/stopped the test: the other peer left/);
  });

  it('a follower that never answers ends the leader with a clear reason', async () => {
    const link = fakeLink({ bytesPerMs: 1000, delayMs: 10 }, now);
    const leader = startLinkTest({ role: 'leader', channels: link.a, plan, now, answerTimeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(2500);
    const q = await leader.done;
    expect(q.status).toBe('partial');
    expect(q.reason).toMatch(/did not send a hello in time/);
    expect(q.verdict).toBeNull();
  });

  it('ignores garbage on every channel', async () => {
    const link = fakeLink({ bytesPerMs: 1000, delayMs: 10 }, now);
    const leader = startLinkTest({ role: 'leader', channels: link.a, plan, now });
    const follower = startLinkTest({ role: 'follower', channels: link.b, now });
    link.b.control.send('not json');
    link.b.control.send(JSON.stringify({ t: 'result', quality: { version: 99 } }));
    link.b.bulk.send(new ArrayBuffer(0));
    link.b.probe.send(new ArrayBuffer(3));
    link.b.probe.send('text on the probe channel');
    await vi.advanceTimersByTimeAsync(20_000);
    expect((await leader.done).status).toBe('done');
    expect((await follower.done).status).toBe('done');
  });
});
