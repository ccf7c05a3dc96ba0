// A call test on one lobby link, on demand: two PeerDrivers as the lobby makes them (quality and call 'on-demand'),
// the real call session between them over a simulated main channel, fake media and fake time. The leader runs a
// call when its queue job starts; the other end follows whenever asked, again and again; a headless end (call
// 'decline') ends it as skipped with its reason, whichever end it is.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RawStat } from '../call/call-stats';
import { growingChromiumStats } from '../call/testdata/growing-stats';
import { ChannelFakePc } from '../peer/fake-channel-pc';
import { fakeChannelPair, fakeLink } from '../quality/fake-link';
import { LINK_CHANNELS } from '../quality/link-test-protocol';
import { PeerDriver, type PeerDriverOptions } from '../peer/peer-driver';
import { createAppStore, type AppStore } from '../store/app-store';

vi.mock('../call/synthetic-media', () => ({
  createSyntheticMedia: () => ({ audio: { kind: 'audio' }, video: { kind: 'video' }, stop: () => undefined }),
}));
vi.mock('../call/audio-sink', () => ({ playReceivedAudio: () => () => undefined }));

type FakeTransceiver = { mid: string | null; direction: string; currentDirection: string | null; sender: { track: unknown; replaceTrack(t: unknown): Promise<void> }; receiver: { track: { kind: string } } };

/** Enough of an RTCPeerConnection for the lobby's call: its channels are the simulated link's, transceivers are
 *  matched to the offer's m-lines as a browser does, and stats are the real Chromium capture with growing counters. */
class FakePc extends ChannelFakePc {
  readonly transceivers: FakeTransceiver[] = [];
  readonly offers: string[] = [];
  private polls = 0;
  private transceiver(kind: string, direction: string, track: unknown): FakeTransceiver {
    return { mid: String(this.transceivers.length), direction, currentDirection: null, sender: { track, async replaceTrack(t: unknown) { this.track = t; } }, receiver: { track: { kind } } };
  }
  addTransceiver(track: { kind: string }, init: { direction: string }) {
    this.transceivers.push(this.transceiver(track.kind, init.direction, track));
  }
  getTransceivers() {
    return this.transceivers;
  }
  override async createOffer(): Promise<RTCSessionDescriptionInit> {
    const sdp = this.transceivers.map((t) => `m=${t.receiver.track.kind}\r\n`).join('');
    this.offers.push(sdp);
    return { type: 'offer', sdp };
  }
  override async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: this.transceivers.map((t) => `m=${t.receiver.track.kind}\r\n`).join('') };
  }
  override async setLocalDescription(d?: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = d ?? { type: 'offer', sdp: '' };
  }
  override async setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = d;
    if (d.type !== 'offer') return;
    const kinds = [...(d.sdp ?? '').matchAll(/^m=(\w+)/gm)].map((m) => m[1]!);
    for (const kind of kinds.slice(this.transceivers.length)) this.transceivers.push(this.transceiver(kind, 'recvonly', null));
  }
  override async getStats(): Promise<Map<string, RawStat>> {
    return growingChromiumStats(++this.polls);
  }
}

const drivers: PeerDriver[] = [];

interface End {
  driver: PeerDriver;
  store: AppStore;
  pc: FakePc;
  /** The call messages this end sent on the main channel, by type. */
  sent: string[];
}

/** One lobby link: the offerer leads (it joined later), the answerer follows. */
function lobbyLink(calls: { leader?: PeerDriverOptions['call']; follower?: PeerDriverOptions['call'] } = {}) {
  const [mainA, mainB] = fakeChannelPair(5);
  const link = fakeLink({ bytesPerMs: 1000, delayMs: 5 }, Date.now);
  const end = (role: 'offerer' | 'answerer', main: typeof mainA, ch: typeof link.a, call: PeerDriverOptions['call']): End => {
    const store = createAppStore();
    store.getState().beginTest(Date.now());
    const pc = new FakePc({ p2pcheck: main, [LINK_CHANNELS.control.label]: ch.control, [LINK_CHANNELS.bulk.label]: ch.bulk, [LINK_CHANNELS.probe.label]: ch.probe });
    const driver = new PeerDriver({
      role, store, config: {}, quality: 'on-demand', call, send: () => undefined,
      now: Date.now, monotonic: Date.now, statsIntervalMs: 3_600_000,
      createPeerConnection: () => pc as unknown as RTCPeerConnection,
    });
    drivers.push(driver);
    const sent: string[] = [];
    const send = main.send.bind(main);
    main.send = (data: Parameters<typeof main.send>[0]) => {
      const t = typeof data === 'string' ? (JSON.parse(data) as { t: string }).t : '';
      if (t.startsWith('call-')) sent.push(t);
      send(data);
    };
    return { driver, store, pc, sent };
  };
  const leader = end('offerer', mainA, link.a, calls.leader ?? 'on-demand');
  const other = end('answerer', mainB, link.b, calls.follower ?? 'on-demand');
  mainA.dispatchEvent(new Event('open'));
  mainB.dispatchEvent(new Event('open'));
  return { leader, other, mainA, mainB };
}

const call = (e: End) => e.store.getState().call;
const levels = (e: End) => [call(e).result?.incoming?.verdict.level ?? null, call(e).result?.outgoing?.verdict.level ?? null];

// The driver loads the call session lazily; loaded once here (real time), its import() then resolves at once.
beforeAll(() => import('../call/call-session'));
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
  vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0.0.0 Safari/537.36' });
});
afterEach(() => {
  for (const d of drivers.splice(0)) d.close();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('a call test on a lobby link, on demand', () => {
  it('runs only when the leader is asked, gives both ends a verdict per direction, and runs again on the same two m-lines', async () => {
    const { leader, other } = lobbyLink();
    await vi.advanceTimersByTimeAsync(2000);
    expect(call(other).phase).toBe('idle'); // following, nothing asked yet: no call started by itself
    expect(other.driver.runCallTest()).toBeNull(); // only the leader runs one

    const first = leader.driver.runCallTest();
    expect(first).not.toBeNull();
    expect(leader.driver.runCallTest()).toBeNull(); // one call at a time
    await vi.advanceTimersByTimeAsync(4000);
    expect(call(other).phase).toBe('running');
    await vi.advanceTimersByTimeAsync(12_000);
    await first;
    for (const end of [leader, other]) {
      expect(call(end).result?.status).toBe('done');
      expect(levels(end).every((l) => l !== null)).toBe(true);
    }

    // Asked again (the queue's next call job of this link): the other end follows again.
    const firstResult = call(other).result;
    const second = leader.driver.runCallTest();
    expect(second).not.toBeNull();
    await vi.advanceTimersByTimeAsync(16_000);
    await second;
    expect(call(other).result).not.toBe(firstResult);
    for (const end of [leader, other]) expect(call(end).result?.status).toBe('done');
    expect(leader.pc.offers.slice(1)).toEqual(['m=audio\r\nm=video\r\n', 'm=audio\r\nm=video\r\n']);
    expect(other.pc.transceivers).toHaveLength(2);
  });

  it('the leader\u2019s job settles when the link closes mid-call', async () => {
    const { leader, mainA } = lobbyLink();
    await vi.advanceTimersByTimeAsync(100);
    const running = leader.driver.runCallTest()!;
    await vi.advanceTimersByTimeAsync(5000);
    mainA.close();
    await vi.advanceTimersByTimeAsync(1000);
    await running;
    expect(call(leader).result?.status).toBe('partial');
  });

  it('a headless end that follows declines: the call ends skipped with its reason on the leader\u2019s side', async () => {
    const { leader, other } = lobbyLink({ follower: 'decline' });
    await vi.advanceTimersByTimeAsync(100);
    const done = leader.driver.runCallTest()!;
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(call(leader).result).toMatchObject({ status: 'skipped', reason: 'the other person skipped the call test (the other peer has no audio or video (headless))' });
    expect(other.sent).toEqual(['call-skip']);
  });

  it('a headless end that leads declines when its queue runs the call: the asking page shows it skipped with the reason', async () => {
    const { leader, other } = lobbyLink({ leader: 'decline' });
    await vi.advanceTimersByTimeAsync(100);
    const done = leader.driver.runCallTest();
    expect(done).not.toBeNull();
    await done;
    await vi.advanceTimersByTimeAsync(100);
    expect(call(other).result).toMatchObject({ status: 'skipped', reason: 'the other peer has no audio or video (headless)' });
    expect(call(leader).result).toMatchObject({ status: 'skipped', reason: 'this peer has no audio or video (headless)' });
    expect(leader.sent).toEqual(['call-skip']);
  });

  it('without call \u2019on-demand\u2019 an on-demand link runs no call, as before', async () => {
    const { leader } = lobbyLink({ leader: undefined });
    await vi.advanceTimersByTimeAsync(100);
    const d = new PeerDriver({ role: 'offerer', store: createAppStore(), config: {}, quality: 'on-demand', send: () => undefined, createPeerConnection: () => leader.pc as unknown as RTCPeerConnection });
    drivers.push(d);
    expect(d.runCallTest()).toBeNull();
  });
});
