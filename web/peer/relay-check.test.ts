// The relay check's own logic without a browser: two sides joined by a fake test channel, and a fake
// RTCPeerConnection that gathers what the test says and never connects. The working path runs in the e2e tests
// (Chromium ↔ Chromium and Chromium ↔ Firefox through the bundled TURN server).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RelayCheck } from '../../common/report';
import { startRelayCheck, type RelayCheckOptions } from './relay-check';
import { fakeChannelPair, type FakeMessageChannel } from '../quality/fake-link';

const channelPair = () => fakeChannelPair('microtask');

/** A relay-only peer connection that offers the given candidates, reports the given TURN errors, never connects. */
function fakePc(candidates: string[], errors: Array<{ url: string; errorCode: number; errorText: string }> = []) {
  return () => {
    const pc = new EventTarget() as EventTarget & Record<string, unknown>;
    const fire = () => {
      for (const c of candidates) pc.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: { candidate: c, sdpMid: '0', sdpMLineIndex: 0 } }));
      for (const e of errors) pc.dispatchEvent(Object.assign(new Event('icecandidateerror'), e));
      pc.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: null }));
    };
    Object.assign(pc, {
      localDescription: null,
      remoteDescription: null,
      createDataChannel: () => Object.assign(new EventTarget(), { readyState: 'connecting', send() {} }),
      createOffer: async () => ({ type: 'offer', sdp: 'v=0 offer' }),
      createAnswer: async () => ({ type: 'answer', sdp: 'v=0 answer' }),
      setLocalDescription: async (d: RTCSessionDescriptionInit) => {
        pc.localDescription = d;
        queueMicrotask(fire);
      },
      setRemoteDescription: async (d: RTCSessionDescriptionInit) => {
        pc.remoteDescription = d;
      },
      addIceCandidate: async () => {},
      getStats: async () => new Map(),
      close: () => {},
    });
    return pc as unknown as RTCPeerConnection;
  };
}

const TURN = [{ urls: ['turn:10.0.0.1:3478?transport=udp'], username: 'u', credential: 'c' }];
const RELAY = 'candidate:1 1 udp 41885439 203.0.113.7 50000 typ relay raddr 0.0.0.0 rport 0';
const HOST = 'candidate:2 1 udp 2122260223 10.0.0.2 40000 typ host';

afterEach(() => vi.useRealTimers());

function side(role: RelayCheckOptions['role'], channel: FakeMessageChannel, extra: Partial<RelayCheckOptions> = {}) {
  const updates: RelayCheck[] = [];
  const handle = startRelayCheck({
    role, channel: channel as unknown as RTCDataChannel, iceServers: TURN, now: () => Date.now(), sinceStart: () => 5000,
    onUpdate: (c) => updates.push(c), timeoutMs: 1000, ...extra,
  });
  return { handle, updates, last: () => updates.at(-1) };
}

/** Two sides whose relay-only connection never opens, gathering these candidates: the starter's last update once
 *  its 1 s timeout has passed. */
async function starterTimedOut(starterCandidates: string[], responderCandidates: string[]): Promise<RelayCheck | undefined> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
  const [a, b] = channelPair();
  const starter = side('starter', a, { createPeerConnection: fakePc(starterCandidates) });
  side('responder', b, { createPeerConnection: fakePc(responderCandidates) });
  starter.handle.start();
  await vi.advanceTimersByTimeAsync(1010);
  return starter.last();
}

describe('relay check servers', () => {
  it('reads the servers when the check begins, not when it is set up (the room learns its nearest region later)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const [a, b] = channelPair();
    const NEAR = [{ urls: ['turn:near.example:3478'], username: 'n', credential: 'n' }];
    let servers: RTCIceServer[] = TURN;
    const configs: RTCConfiguration[] = [];
    const make = fakePc([RELAY]);
    const starter = side('starter', a, { iceServers: () => servers, createPeerConnection: (c) => (configs.push(c), make()) });
    side('responder', b, { createPeerConnection: fakePc([RELAY]) });
    servers = NEAR;
    starter.handle.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(configs).toEqual([{ iceServers: NEAR, iceTransportPolicy: 'relay' }]);
    await vi.advanceTimersByTimeAsync(1010);
  });
});

describe('relay check (failure paths)', () => {
  it('skips on both sides when the starting side has no TURN server, and says which side', async () => {
    const [a, b] = channelPair();
    const starter = side('starter', a, { iceServers: [{ urls: ['stun:10.0.0.1:3478'] }] });
    const responder = side('responder', b);
    responder.handle.start();
    starter.handle.start();
    await vi.waitFor(() => expect(responder.last()?.state).toBe('skipped'));
    expect(starter.last()).toMatchObject({ state: 'skipped', reason: 'no TURN server configured on this side' });
    expect(responder.last()).toMatchObject({ state: 'skipped', reason: 'no TURN server configured on the other side' });
  });

  it('fails with this side\'s TURN errors when its TURN server gave no relay candidate, and the other side shows the same verdict', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const [a, b] = channelPair();
    const starter = side('starter', a, { createPeerConnection: fakePc([HOST], [{ url: 'turn:10.0.0.1:3478?transport=udp', errorCode: 401, errorText: 'Unauthorized' }]) });
    const responder = side('responder', b, { createPeerConnection: fakePc([RELAY]) });
    starter.handle.start();
    responder.handle.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(starter.last()?.state).toBe('running');
    expect(responder.last()?.state).toBe('running');
    await vi.advanceTimersByTimeAsync(1000);
    const reason = 'this side got no relay candidate from its TURN server (turn:10.0.0.1:3478?transport=udp: 401 Unauthorized)';
    expect(starter.last()).toMatchObject({ state: 'failed', reason, rttMs: null });
    // The responder adopts the starter's verdict (its own reason would be about the other side).
    await vi.advanceTimersByTimeAsync(10);
    expect(responder.last()).toMatchObject({ state: 'failed', reason });
  });

  it('names the other side when only this side got relay candidates', async () => {
    expect(await starterTimedOut([RELAY], [HOST])).toMatchObject({ state: 'failed', reason: 'the other side sent no relay candidate (its TURN server gave it none)' });
  });

  it('says no relay pair connected when both sides have relay candidates', async () => {
    expect((await starterTimedOut([RELAY], [RELAY]))?.reason).toMatch(/^both sides have relay candidates, but no pair between them connected within 1 s/);
  });

  it('a responder whose peer never starts gives up with a reason; stopping while waiting ends it as failed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const [, b] = channelPair();
    const waiting = side('responder', b);
    waiting.handle.start();
    expect(waiting.last()).toMatchObject({ state: 'running', startedAt: 5000 });
    await vi.advanceTimersByTimeAsync(6010);
    expect(waiting.last()).toMatchObject({ state: 'failed', reason: 'the other side did not start the relay check (an older p2pcheck page?)' });

    const [, d] = channelPair();
    const stopped = side('responder', d);
    stopped.handle.start();
    stopped.handle.stop();
    expect(stopped.last()).toMatchObject({ state: 'failed', reason: 'the test ended before the relay check finished' });
  });
});

/** The relay-only data channel: text (pings, burst end and result) arrives at once; binary is only queued, never
 *  sent (a relay that stalls under load), so bufferedAmount stays high. Counts its listeners by type. */
class StalledRelayChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'arraybuffer';
  other: StalledRelayChannel | null = null;
  readonly listeners = new Map<string, Set<unknown>>();
  send(data: string | ArrayBuffer): void {
    if (typeof data !== 'string') {
      this.bufferedAmount += data.byteLength;
      return;
    }
    const to = this.other;
    if (to) queueMicrotask(() => to.readyState === 'open' && to.dispatchEvent(new MessageEvent('message', { data })));
  }
  override addEventListener(type: string, l: EventListenerOrEventListenerObject | null, o?: AddEventListenerOptions | boolean): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
    super.addEventListener(type, l, o);
  }
  override removeEventListener(type: string, l: EventListenerOrEventListenerObject | null, o?: EventListenerOptions | boolean): void {
    this.listeners.get(type)?.delete(l);
    super.removeEventListener(type, l, o);
  }
  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
}

/** Two relay-only peer connections whose data channels open once the starter has the answer; getStats answers
 *  after `statsMs` (a loaded browser takes its time). */
function connectingPcs(statsMs = 0) {
  const channels: StalledRelayChannel[] = [];
  const make = () => {
    const pc = new EventTarget() as EventTarget & Record<string, unknown>;
    const dc = new StalledRelayChannel();
    channels.push(dc);
    if (channels.length === 2) [channels[0]!.other, channels[1]!.other] = [channels[1]!, channels[0]!];
    Object.assign(pc, {
      localDescription: null,
      remoteDescription: null,
      createDataChannel: () => dc,
      createOffer: async () => ({ type: 'offer', sdp: 'v=0 offer' }),
      createAnswer: async () => ({ type: 'answer', sdp: 'v=0 answer' }),
      setLocalDescription: async (d: RTCSessionDescriptionInit) => {
        pc.localDescription = d;
      },
      setRemoteDescription: async (d: RTCSessionDescriptionInit) => {
        pc.remoteDescription = d;
        if (d.type === 'answer') queueMicrotask(() => channels.forEach((c) => c.open()));
      },
      addIceCandidate: async () => {},
      getStats: () => new Promise((resolve) => setTimeout(() => resolve(new Map()), statsMs)),
      close: () => {},
    });
    return pc as unknown as RTCPeerConnection;
  };
  return { make, channels };
}

describe('relay check (measurement)', () => {
  it('leaves no bufferedamountlow listener behind when the relay stalls during the burst', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    const [a, b] = channelPair();
    const pcs = connectingPcs();
    const starter = side('starter', a, { createPeerConnection: pcs.make, timeoutMs: 20_000 });
    side('responder', b, { createPeerConnection: pcs.make, timeoutMs: 20_000 });
    starter.handle.start();
    await vi.advanceTimersByTimeAsync(10_000);
    // Round trips measured; the stalled burst carried too little to give a throughput.
    expect(starter.last()).toMatchObject({ state: 'works', throughputBps: null });
    expect(pcs.channels[0]!.bufferedAmount).toBeGreaterThan(0);
    expect(pcs.channels[0]!.listeners.get('bufferedamountlow')?.size ?? 0).toBe(0);
  });

  it('the responder shows the starter\'s verdict even when the starter leaves the moment it sent it', async () => {
    // The headless peer (the starter when it joins second) ends its test as soon as its own check is over; the
    // server's peer-left then ends the page's test while the page still reads its relay path from getStats. The
    // verdict had arrived: it must not turn into "the test ended before the relay check finished".
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    const [a, b] = channelPair();
    const pcs = connectingPcs(300);
    const responder = side('responder', b, { createPeerConnection: pcs.make, timeoutMs: 20_000 });
    const starter = side('starter', a, {
      createPeerConnection: pcs.make,
      timeoutMs: 20_000,
      onUpdate: (c) => c.state === 'works' && setTimeout(() => responder.handle.stop(), 1),
    });
    responder.handle.start();
    starter.handle.start();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(responder.last()).toMatchObject({ state: 'works', reason: null });
  });
});
