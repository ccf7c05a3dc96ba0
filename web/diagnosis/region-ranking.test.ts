// Ranking ICE regions: the order and winner from measured round trips, the sampling plan, and one sample's timing
// read from a scripted PeerConnection (host candidate, then srflx or the end of gathering) on a fake clock.
import { describe, expect, it } from 'vitest';
import type { RegionRtt } from '../../common/ice-regions';
import { chooseRegion, iceServersForRegion, measureRegions, rankRegions, regionRtt, sampleStunRtt, stunUrlOf } from './region-ranking';
import type { PcFactory } from './peer-tests';

const rtt = (id: string, rttMs: number | null): RegionRtt => ({ id, name: id.toUpperCase(), rttMs, samples: [rttMs] });

describe('rankRegions / chooseRegion', () => {
  it('puts the nearest first and regions without an answer last, in configured order', () => {
    const ranked = rankRegions([rtt('far', 180), rtt('dead', null), rtt('near', 12), rtt('mid', 60), rtt('dead2', null)]);
    expect(ranked.map((r) => r.id)).toEqual(['near', 'mid', 'far', 'dead', 'dead2']);
  });

  it('uses the nearest; none when no region answered', () => {
    expect(chooseRegion([rtt('a', 90), rtt('b', 30)]).used).toBe('b');
    expect(chooseRegion([rtt('a', null), rtt('b', null)])).toMatchObject({ used: null, ranking: [{ id: 'a' }, { id: 'b' }] });
  });

  it('takes the median of the answered samples (a value that was measured)', () => {
    expect(regionRtt({ id: 'a', name: 'A', stunUrl: 'stun:a' }, [40.4, null, 90, 41.6])).toEqual({ id: 'a', name: 'A', rttMs: 42, samples: [40, null, 90, 42] });
    expect(regionRtt({ id: 'a', name: 'A', stunUrl: 'stun:a' }, [null]).rttMs).toBeNull();
  });

  it('writes IPv6 hosts in brackets in the STUN URL', () => {
    expect(stunUrlOf({ id: 'x', name: 'X', primary: { host: '2001:db8::1', port: 3478 }, alternatePort: null, alternateHost: null, probe: null })).toBe('stun:[2001:db8::1]:3478');
  });
});

describe('iceServersForRegion', () => {
  const FAR = [{ urls: ['turn:far:3478'], username: 'f', credential: 'f' }];
  const NEAR = [{ urls: ['turn:near:3478'], username: 'n', credential: 'n' }];
  it('the named region\'s servers and credential; the default ones when none is named; none for a region the server does not have', () => {
    const ice = { iceServers: FAR, regions: [{ id: 'far', iceServers: FAR }, { id: 'near', iceServers: NEAR }] };
    expect(iceServersForRegion(ice, 'near')).toEqual(NEAR);
    expect(iceServersForRegion(ice, null)).toEqual(FAR);
    expect(iceServersForRegion({ iceServers: FAR }, null)).toEqual(FAR);
    expect(iceServersForRegion(ice, 'gone')).toEqual([]);
  });
});

describe('measureRegions', () => {
  it('samples every region each round, stops asking one that did not answer, and ranks by median', async () => {
    const calls: string[] = [];
    const script: Record<string, (number | null)[]> = { 'stun:eu': [30, 32, 29], 'stun:us': [95, 120, 90], 'stun:ap': [null] };
    const choice = await measureRegions(
      [
        { id: 'us', name: 'Virginia', stunUrl: 'stun:us' },
        { id: 'ap', name: 'Tokyo', stunUrl: 'stun:ap' },
        { id: 'eu', name: 'Frankfurt', stunUrl: 'stun:eu' },
      ],
      { samples: 3, sample: async (url) => (calls.push(url), script[url]!.shift() ?? null) },
    );
    expect(calls.filter((u) => u === 'stun:ap')).toHaveLength(1);
    expect(calls.filter((u) => u === 'stun:eu')).toHaveLength(3);
    expect(choice.used).toBe('eu');
    expect(choice.ranking.map((r) => [r.id, r.rttMs])).toEqual([['eu', 30], ['us', 95], ['ap', null]]);
    expect(choice.method).toMatch(/median of 3 STUN Binding round trips/);
  });
});

/** A PeerConnection that, once the offer is set, plays `events` on the fake clock. */
function scriptedPc(clock: { t: number }, events: Array<{ at: number; candidate?: string; error?: true; complete?: true }>): PcFactory {
  return () => {
    const pc = {
      onicecandidate: null as ((e: unknown) => void) | null,
      onicecandidateerror: null as ((e: unknown) => void) | null,
      onicegatheringstatechange: null as (() => void) | null,
      iceGatheringState: 'new',
      createDataChannel: () => ({}),
      createOffer: async () => ({ type: 'offer', sdp: '' }),
      close: () => undefined,
      async setLocalDescription() {
        queueMicrotask(() => {
          for (const e of events) {
            clock.t = e.at;
            if (e.candidate) {
              const [, , protocol, , address, port, , type] = e.candidate.split(' ');
              pc.onicecandidate?.({ candidate: { candidate: e.candidate, type, address, port: Number(port), protocol } });
            }
            if (e.error) pc.onicecandidateerror?.({ url: 'stun:x', errorCode: 701, errorText: 'timeout' });
            if (e.complete) {
              pc.iceGatheringState = 'complete';
              pc.onicegatheringstatechange?.();
              pc.onicecandidate?.({ candidate: null });
            }
          }
        });
      },
    };
    return pc as unknown as RTCPeerConnection;
  };
}

const HOST = 'candidate:1 1 udp 2122260223 10.0.0.5 50000 typ host';
const SRFLX = 'candidate:2 1 udp 1686052607 198.51.100.7 61000 typ srflx raddr 10.0.0.5 rport 50000';

describe('sampleStunRtt', () => {
  it('times the first host candidate to the srflx candidate', async () => {
    const clock = { t: 0 };
    const pc = scriptedPc(clock, [{ at: 8, candidate: HOST }, { at: 55, candidate: SRFLX }, { at: 60, complete: true }]);
    expect(await sampleStunRtt('stun:x', pc, 1500, () => clock.t)).toBe(47);
  });

  it('times to the end of gathering when the browser hides a srflx equal to the host address', async () => {
    const clock = { t: 0 };
    const pc = scriptedPc(clock, [{ at: 10, candidate: HOST }, { at: 31, complete: true }]);
    expect(await sampleStunRtt('stun:x', pc, 1500, () => clock.t)).toBe(21);
  });

  it('is null when the STUN server failed (gathering ended with an error and no srflx)', async () => {
    const clock = { t: 0 };
    const pc = scriptedPc(clock, [{ at: 10, candidate: HOST }, { at: 900, error: true }, { at: 901, complete: true }]);
    expect(await sampleStunRtt('stun:x', pc, 1500, () => clock.t)).toBeNull();
  });
});
