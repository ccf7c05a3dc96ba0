// The region a page's connections use (a lobby's links): the ranking's nearest once measured, the default servers
// (null) without regions, without a browser to measure with, or when the ranking takes too long.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerInfo } from '../../common/messages';
import { REGION_WAIT_MS, startConnectionRegion, usedRegion } from './connection-region';

const region = (id: string, port: number) => ({ id, name: id, primary: { host: '192.0.2.1', port }, alternatePort: null, alternateHost: null, probe: null });
const config = (regions?: ReturnType<typeof region>[]) => async () => ({ regions }) as unknown as ServerInfo;

/** STUN answer time per region port, in ms of fake time (null: no answer within the sample deadline). */
const sampler = (rttByPort: Record<number, number | null>) => (url: string) =>
  new Promise<number | null>((resolve) => {
    const rtt = rttByPort[Number(/:(\d+)$/.exec(url)![1])] ?? null;
    setTimeout(() => resolve(rtt), rtt ?? 1500);
  });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the region a lobby page’s links use', () => {
  it('is the nearest region of the ranking, as soon as it is measured', async () => {
    const r = startConnectionRegion({ rank: true, fetchConfig: config([region('far', 4000), region('near', 4001)]), sample: sampler({ 4000: 300, 4001: 20 }) });
    expect(r.current()).toBeNull();
    const settled = r.settled();
    await vi.advanceTimersByTimeAsync(3000);
    expect(await settled).toBe('near');
    expect(r.current()).toBe('near');
    expect((await r.ranking)?.ranking.map((x) => x.id)).toEqual(['near', 'far']);
    expect(r.store.getState()).toMatchObject({ known: true, choice: { used: 'near' } });
  });

  it('is the default servers (null) without ICE_REGIONS, without a browser to rank with, or when the config fails', async () => {
    expect(await startConnectionRegion({ rank: true, fetchConfig: config(undefined) }).settled()).toBeNull();
    const fetchConfig = vi.fn(config([region('a', 4000)]));
    const headless = startConnectionRegion({ rank: false, fetchConfig });
    expect(await headless.settled()).toBeNull();
    expect(fetchConfig).not.toHaveBeenCalled();
    expect(await startConnectionRegion({ rank: true, fetchConfig: () => Promise.reject(new Error('503')) }).settled()).toBeNull();
  });

  it('does not keep a link waiting longer than REGION_WAIT_MS for a ranking that does not come', async () => {
    const r = startConnectionRegion({ rank: true, fetchConfig: () => new Promise<ServerInfo>(() => undefined) });
    let got: string | null | undefined;
    void r.settled().then((x) => (got = x));
    await vi.advanceTimersByTimeAsync(REGION_WAIT_MS - 1);
    expect(got).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toBeNull();
  });

  it('picks what the ranking chose', () => {
    expect(usedRegion(null)).toBeNull();
    expect(usedRegion({ ranking: [], used: null, method: '' })).toBeNull();
    expect(usedRegion({ ranking: [], used: 'eu', method: '' })).toBe('eu');
  });
});
