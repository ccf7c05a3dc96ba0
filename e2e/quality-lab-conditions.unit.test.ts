import { describe, expect, it } from 'vitest';
import { figureFailures, LAB_ROWS, starvation, verdictFailures, type RowMeasurement } from './quality-lab-conditions';

const row = (name: string) => LAB_ROWS.find((r) => r.name === name)!;
const base: RowMeasurement = {
  row: 'clean',
  link: { level: 'hd-video', uploadBps: 4e6, downloadBps: 4e6, rttMs: 20, loss: 0, jitterMs: 2, mos: 4.4, sent: 400 },
  call: { status: 'done', level: 'hd-video', outLevel: 'hd-video', bitrateBps: 2e6, height: 720, fps: 30, loss: 0, rttMs: 18, jitterMs: 3, jitterBufferMs: 40, mos: 4.38, limitation: 'none', points: 10 },
  relayProtocol: 'udp',
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
    expect(figureFailures(row('clean'), { ...base, relayProtocol: 'tcp' })).toEqual(['the media did not cross the forwarder (relay protocol tcp)']);
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
});
