import { describe, expect, it } from 'vitest';
import { figureFailures, LAB_ROWS, starvation, verdictFailures, type RowMeasurement } from './quality-lab-conditions';

const row = (name: string) => LAB_ROWS.find((r) => r.name === name)!;
const base: RowMeasurement = {
  row: 'clean',
  link: { level: 'hd-video', uploadBps: 4e6, downloadBps: 4e6, rttMs: 20, loss: 0, jitterMs: 2, mos: 4.4, sent: 400 },
  call: { status: 'done', level: 'hd-video', outLevel: 'hd-video', bitrateBps: 2e6, height: 720, fps: 30, loss: 0, rttMs: 18, jitterMs: 3, jitterBufferMs: 40, mos: 4.38, limitation: 'none', points: 10 },
  path: 'host-udp',
};

describe('link-condition lab checks', () => {
  it('passes a clean row that measured a clean link', () => {
    expect(figureFailures(row('clean'), base)).toEqual([]);
    expect(verdictFailures(row('clean'), base)).toEqual([]);
  });

  it('catches a cap the link did not hold, loss that was not set, and media that bypassed the forwarder', () => {
    const capped = { ...base, link: { ...base.link, uploadBps: 2e6 }, call: { ...base.call, bitrateBps: 0.8e6 } };
    expect(figureFailures(row('1 Mbit/s cap'), capped)).toEqual(['link upload 2.00 Mbit/s is not within 0.33 Mbit/s–1.05 Mbit/s', 'link download 4.00 Mbit/s is not within 0.33 Mbit/s–1.05 Mbit/s']);
    expect(figureFailures(row('10 % loss'), base)).toContain('the call saw no loss at all');
    expect(figureFailures(row('clean'), { ...base, path: 'relay-udp' })).toEqual(['the media took relay-udp, not host-udp']);
    const delayed = { ...base, link: { ...base.link, rttMs: 120 }, call: { ...base.call, rttMs: 118 } };
    expect(figureFailures(row('100 ms delay'), delayed)).toEqual(['the media took host-udp, not relay-udp (through the forwarder)']);
    expect(figureFailures(row('100 ms delay'), { ...delayed, path: 'relay-tcp' })).toEqual(['the media took relay-tcp, not relay-udp (through the forwarder)']);
  });

  it('lets the call land lower only when its sender named a CPU limit', () => {
    const low = { ...base, call: { ...base.call, level: 'audio' as const } };
    expect(verdictFailures(row('clean'), low)).toEqual(['call verdict audio, expected hd-video (lower, and no CPU limit named)']);
    expect(verdictFailures(row('clean'), { ...low, call: { ...low.call, limitation: 'cpu' } })).toEqual([]);
  });

  it('calls a page starved when its own RTT reads far above the browser-measured one, and then judges only the counted figures', () => {
    const starved = { ...base, link: { ...base.link, rttMs: 1611, level: 'unusable' as const } };
    expect(starvation(starved)).toMatch(/^page event loop starved: data-channel RTT 1611 ms vs ICE RTT 18 ms/);
    expect(figureFailures(row('clean'), starved)).toEqual([]);
    expect(starvation({ ...base, call: { ...base.call, points: 2 } })).toBe('call stats polls ran late: 2 points in a 10 s call');
    expect(starvation(base)).toBeNull();
  });

  it('calls a receiver starved whose audio buffer is far beyond the jitter it measured, unless the row sets jitter', () => {
    const buffered = { ...base, call: { ...base.call, jitterMs: 15, jitterBufferMs: 433 } };
    expect(starvation(buffered, row('clean'))).toBe("audio jitter buffer 433 ms on a path whose audio jitter was 15 ms (this machine's threads ran late)");
    expect(starvation({ ...buffered, call: { ...buffered.call, jitterBufferMs: 200 } }, row('clean'))).toBeNull();
    expect(starvation({ ...buffered, call: { ...buffered.call, jitterBufferMs: 300 } }, row('jitter 30 ms'))).toBeNull();
  });

  it('judges a starved run from above: a verdict better than the row allows is still wrong, a worse one says nothing', () => {
    const capped = { ...base, link: { ...base.link, level: 'audio' as const }, call: { ...base.call, level: 'unusable' as const, outLevel: 'unusable' as const } };
    expect(verdictFailures(row('300 kbit/s cap'), capped, true)).toEqual([]);
    expect(verdictFailures(row('300 kbit/s cap'), capped)).toEqual(['call verdict unusable, expected audio or sd-video (lower, and no CPU limit named)']);
    const tooGood = { ...capped, link: { ...capped.link, level: 'sd-video' as const }, call: { ...capped.call, outLevel: 'hd-video' as const } };
    expect(verdictFailures(row('300 kbit/s cap'), tooGood, true)).toEqual(['data-channel verdict sd-video is above audio', 'call verdict the other way hd-video is above audio or sd-video']);
  });

  it("counts the forwarder's mean jitter delay into a jitter row's RTT bound", () => {
    const jittered = { ...base, path: 'relay-udp', link: { ...base.link, rttMs: 89, jitterMs: 9, level: 'sd-video' as const }, call: { ...base.call, rttMs: 101, jitterMs: 14 } };
    expect(figureFailures(row('jitter 30 ms'), jittered)).toEqual([]);
    expect(figureFailures(row('jitter 30 ms'), { ...jittered, call: { ...jittered.call, rttMs: 150 } })).toEqual(['call RTT (ICE, measured by the browser) 150 ms is not within 0–140 ms']);
  });

  it('under starvation takes the stream loss as a lower bound only', () => {
    const starvedCap = { ...base, link: { ...base.link, level: 'unusable' as const, uploadBps: 0.2e6, downloadBps: 0.13e6, rttMs: 420, loss: 0.335 }, call: { ...base.call, bitrateBps: 0.15e6, rttMs: 171 } };
    expect(figureFailures(row('300 kbit/s cap'), starvedCap)).toEqual([]);
    expect(figureFailures(row('300 kbit/s cap'), { ...starvedCap, link: { ...starvedCap.link, rttMs: 180 } })).toEqual(['link loss 33.5 % is above 0 + 5 % under a rate cap']);
    const starvedLoss = { ...base, link: { ...base.link, rttMs: 1000, sent: 400 }, call: { ...base.call, loss: 0.05 } };
    expect(figureFailures(row('10 % loss'), { ...starvedLoss, link: { ...starvedLoss.link, loss: 0.3 } })).toEqual([]);
    expect(figureFailures(row('10 % loss'), { ...starvedLoss, link: { ...starvedLoss.link, loss: 0.01 } })).toEqual(['link loss 1.0 % is not 10.0 ± 9.0 %']);
  });

  it('under starvation takes the set delay as a lower bound of the browser-measured RTT', () => {
    const late = { ...base, link: { ...base.link, rttMs: 1578 }, call: { ...base.call, rttMs: 115 } };
    expect(figureFailures(row('clean'), late)).toEqual([]);
    expect(figureFailures(row('clean'), { ...late, link: { ...late.link, rttMs: 120 } })).toEqual(['call RTT (ICE, measured by the browser) 115 ms is not within 0–80 ms', 'link idle RTT 120 ms is not within 0–80 ms']);
  });
});
