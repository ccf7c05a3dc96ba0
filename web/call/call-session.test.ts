// The call session's choreography between two pages, with fake connections, fake media and fake time: the leader
// asks, the follower readies, the offer/answer crosses the main channel, both poll once a second, and each side
// ends with the other's view of what it sent. Stats: the real Chromium capture, replayed with growing counters.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { growingChromiumStats } from './testdata/growing-stats';
import { startCallSession, type CallSessionOptions } from './call-session';
import { fakeChannelPair } from '../quality/fake-link';

const channelPair = () => fakeChannelPair(5);

/** Just enough of RTCPeerConnection: transceivers, descriptions, and stats whose counters grow each poll. */
class FakePc {
  transceivers: { mid: string | null; direction: string; sender: { track: unknown; replaceTrack(t: unknown): Promise<void> }; receiver: { track: { kind: string } } }[] = [];
  localDescription: { type: string; sdp: string } | null = null;
  polls = 0;
  /** How long each getStats() takes (a loaded machine). */
  statsDelayMs = 0;
  addTransceiver(track: { kind: string }, init: { direction: string }) {
    this.transceivers.push(this.transceiver(track.kind, init.direction, track));
  }
  private transceiver(kind: string, direction: string, track: unknown) {
    return { mid: String(this.transceivers.length), direction, sender: { track, async replaceTrack(t: unknown) { this.track = t; } }, receiver: { track: { kind } } };
  }
  getTransceivers() { return this.transceivers; }
  /** One m-line per transceiver, as a browser's offer has. */
  async createOffer() { return { type: 'offer', sdp: this.transceivers.map((t) => `m=${t.receiver.track.kind}\r\n`).join('') }; }
  async createAnswer() { return { type: 'answer', sdp: `answer:${this.transceivers.map((t) => t.direction).join(',')}` }; }
  async setLocalDescription(d: { type: string; sdp: string }) { this.localDescription = d; }
  /** An offer's m-lines beyond the transceivers this side has create new ones (webrtc-pc §4.4.1.6). */
  async setRemoteDescription(d: { type: string; sdp: string }) {
    if (d.type !== 'offer') return;
    const kinds = [...d.sdp.matchAll(/^m=(\w+)/gm)].map((m) => m[1]!);
    for (const kind of kinds.slice(this.transceivers.length)) this.transceivers.push(this.transceiver(kind, 'recvonly', null));
  }
  async getStats() {
    // The captured second snapshot with every counter scaled by the poll number: constant rates.
    if (this.statsDelayMs) await new Promise((r) => setTimeout(r, this.statsDelayMs));
    return growingChromiumStats(++this.polls);
  }
}

const media = () => {
  const stop = vi.fn();
  return { video: { kind: 'video' }, audio: { kind: 'audio' }, stop } as unknown as ReturnType<NonNullable<CallSessionOptions['media']>>;
};

function pair(opts: Partial<CallSessionOptions> = {}) {
  const [ca, cb] = channelPair();
  const [pa, pb] = [new FakePc(), new FakePc()];
  const common = { durationMs: 3000, media, browser: 'chromium', ...opts };
  const leader = startCallSession({ role: 'leader', pc: pa as unknown as RTCPeerConnection, channel: ca as unknown as RTCDataChannel, ...common });
  const follower = startCallSession({ role: 'follower', pc: pb as unknown as RTCPeerConnection, channel: cb as unknown as RTCDataChannel, ...common });
  return { leader, follower, ca, cb, pa, pb };
}

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] }));
afterEach(() => vi.useRealTimers());

describe('call session', () => {
  it('renegotiates over the main channel and gives each side both directions', async () => {
    const { leader, follower, pb, ca } = pair();
    await vi.advanceTimersByTimeAsync(5000);
    const [l, f] = await Promise.all([leader.done, follower.done]);
    // The follower answered with its own media on both transceivers.
    expect(pb.transceivers.map((t) => [t.direction, (t.sender.track as { kind: string }).kind])).toEqual([['sendrecv', 'audio'], ['sendrecv', 'video']]);
    expect(ca.sent.map((m) => JSON.parse(m).t)).toEqual(['call-start', 'call-offer', 'call-result']);
    for (const r of [l, f]) {
      expect(r.status).toBe('done');
      expect(r.incoming!.series).toHaveLength(3);
      expect(r.incoming!.summary).toMatchObject({ height: 360, width: 640, fps: 28 });
      // What the other side received is this side's outgoing direction, with this side's bandwidth estimate.
      expect(r.outgoing!.summary.bandwidthEstimateBps).toBe(595000);
      expect(r.outgoing!.summary.qualityLimitation).toBe('bandwidth');
      // And the other side's sender figures reach this side's incoming direction.
      expect(r.incoming!.summary.bandwidthEstimateBps).toBe(595000);
    }
    expect(l.outgoing!.summary.framesDecoded).toBe(f.incoming!.summary.framesDecoded);
  });

  it('plays the received audio on both sides (so Chromium runs and reports its jitter buffer) and stops it at the end', async () => {
    const played: string[] = [];
    const stopped = vi.fn();
    const playAudio = (track: MediaStreamTrack) => (played.push(track.kind), stopped);
    const { leader, follower } = pair({ playAudio });
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all([leader.done, follower.done]);
    expect(played).toEqual(['audio', 'audio']);
    expect(stopped).toHaveBeenCalledTimes(2);
  });

  it('fails with a reason a person can act on when the other page never answers (an older page)', async () => {
    const [ca] = channelPair();
    ca.other = null;
    const s = startCallSession({ role: 'leader', pc: new FakePc() as unknown as RTCPeerConnection, channel: ca as unknown as RTCDataChannel, media, answerTimeoutMs: 8000 });
    await vi.advanceTimersByTimeAsync(20_000);
    const r = await s.done;
    expect(r).toMatchObject({ status: 'failed', incoming: null, outgoing: null });
    expect(r.reason).toBe('the other page did not start the call test (an older page?) within 8 s');
  });

  it('a skip on either side ends both, and the other is told who skipped', async () => {
    const { leader, follower } = pair({ durationMs: 10_000 });
    await vi.advanceTimersByTimeAsync(2500);
    follower.stop('skipped by the user', true);
    await vi.advanceTimersByTimeAsync(6000);
    const [l, f] = await Promise.all([leader.done, follower.done]);
    expect(f).toMatchObject({ status: 'skipped', reason: 'skipped by the user' });
    expect(l.status).toBe('skipped');
    expect(l.reason).toBe('the other person skipped the call test (skipped by the user)');
    // What ran before the skip is kept.
    expect(l.incoming!.series.length).toBeGreaterThanOrEqual(1);
  });

  it('ends by the wall clock when getStats is slow: a 3 s call stays ~3 s', async () => {
    const { leader, pa, pb } = pair();
    pa.statsDelayMs = pb.statsDelayMs = 1500;
    await vi.advanceTimersByTimeAsync(8000);
    const r = await leader.done;
    expect(r.status).toBe('done');
    expect(r.durationMs).toBeLessThanOrEqual(3000 + 1500 + 100);
  });

  it('keeps one point per second when getStats is slow: polls run on a fixed one-second grid', async () => {
    // A loaded machine: each getStats() takes 400 ms. Polling 1 s after the previous poll ended gave a point every
    // 1.4 s (7 in a 10 s call); on the grid each second still gets its point.
    const { leader, follower, pa, pb } = pair({ durationMs: 10_000 });
    pa.statsDelayMs = pb.statsDelayMs = 400;
    await vi.advanceTimersByTimeAsync(20_000);
    for (const r of await Promise.all([leader.done, follower.done])) {
      expect(r.status).toBe('done');
      expect(r.incoming!.series.length).toBeGreaterThanOrEqual(9);
      expect(r.durationMs).toBeLessThanOrEqual(10_000 + 400 + 100);
    }
  });

  it('ends partial when the channel closes mid-call, and stops its media', async () => {
    const { leader, ca } = pair({ durationMs: 10_000 });
    await vi.advanceTimersByTimeAsync(3500);
    ca.close();
    await vi.advanceTimersByTimeAsync(1000);
    const r = await leader.done;
    expect(r.status).toBe('partial');
    expect(r.reason).toBe('the data channel closed during the call');
  });

  it('a second call on the same connection reuses the first call\u2019s two transceivers, with fresh tracks both ways', async () => {
    const [ca, cb] = channelPair();
    const [pa, pb] = [new FakePc(), new FakePc()];
    let n = 0;
    const numbered = () => {
      const k = ++n;
      return { audio: { kind: 'audio', id: `a${k}` }, video: { kind: 'video', id: `v${k}` }, stop: vi.fn() } as unknown as ReturnType<NonNullable<CallSessionOptions['media']>>;
    };
    const call = async () => {
      const common = { durationMs: 2000, media: numbered, browser: 'chromium' };
      const leader = startCallSession({ role: 'leader', pc: pa as unknown as RTCPeerConnection, channel: ca as unknown as RTCDataChannel, ...common });
      const follower = startCallSession({ role: 'follower', pc: pb as unknown as RTCPeerConnection, channel: cb as unknown as RTCDataChannel, ...common });
      await vi.advanceTimersByTimeAsync(4000);
      return Promise.all([leader.done, follower.done]);
    };
    await call();
    // The first call's tracks end with it (the follower's media were made second: a2, v2).
    pa.transceivers[0]!.direction = pb.transceivers[0]!.direction = 'inactive';
    const second = await call();
    expect(second.map((r) => r.status)).toEqual(['done', 'done']);
    expect(pa.localDescription!.sdp).toBe('m=audio\r\nm=video\r\n');
    // Each side sends the second call's tracks (made third and fourth), audio then video, on the same two transceivers.
    const tracks = (pc: FakePc) => pc.transceivers.map((t) => `${t.direction} ${(t.sender.track as { id: string }).id.replace(/\d/, '')}`);
    expect(tracks(pa)).toEqual(['sendrecv a', 'sendrecv v']);
    expect(tracks(pb)).toEqual(['sendrecv a', 'sendrecv v']);
    const ids = [...pa.transceivers, ...pb.transceivers].map((t) => (t.sender.track as { id: string }).id).sort();
    expect(ids).toEqual(['a3', 'a4', 'v3', 'v4']);
  });

  it('a follower started on a call-start that has already arrived (the lobby) does not wait for another', async () => {
    const [ca, cb] = channelPair();
    const common = { durationMs: 2000, media, browser: 'chromium' };
    const leader = startCallSession({ role: 'leader', pc: new FakePc() as unknown as RTCPeerConnection, channel: ca as unknown as RTCDataChannel, ...common });
    await vi.advanceTimersByTimeAsync(20); // the call-start has crossed; the lobby's driver saw it and starts the follower
    const follower = startCallSession({ role: 'follower', pc: new FakePc() as unknown as RTCPeerConnection, channel: cb as unknown as RTCDataChannel, asked: true, ...common });
    await vi.advanceTimersByTimeAsync(5000);
    const [l, f] = await Promise.all([leader.done, follower.done]);
    expect([l.status, f.status]).toEqual(['done', 'done']);
  });
});
