// The lobby session's call option reaches every link's driver: a page follows a call the leading end starts, and
// the headless peer (call 'decline', cli/peer/headless-lobby.ts) answers it with call-skip and its reason. The relay
// is a fake socket, the link a fake RTCPeerConnection whose channels record what the page sends.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeChannelMessage } from '../../common/peer-protocol';
import { FakeWebSocket } from '../signaling/fake-signaling-socket';
import { startLobbySession, type LobbySessionOptions } from './lobby-session';
import { createLobbyStore, type LobbyStore } from './lobby-store';
import { linkJobBusy } from './lobby-job-state';

vi.mock('../call/synthetic-media', () => ({
  createSyntheticMedia: () => ({ audio: { kind: 'audio' }, video: { kind: 'video' }, stop: () => undefined }),
}));
vi.mock('../call/audio-sink', () => ({ playReceivedAudio: () => () => undefined }));

class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  binaryType = 'arraybuffer';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  readonly sent: string[] = [];
  constructor(readonly label: string) {
    super();
  }
  send(data: string): void {
    this.sent.push(data);
  }
  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
  close(): void {
    this.readyState = 'closed';
  }
}

class FakePc extends EventTarget {
  static all: FakePc[] = [];
  readonly channels: FakeChannel[] = [];
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'connected';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  constructor() {
    super();
    FakePc.all.push(this);
  }
  createDataChannel(label: string): FakeChannel {
    const ch = new FakeChannel(label);
    this.channels.push(ch);
    return ch;
  }
  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: 'o' };
  }
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: 'a' };
  }
  async setLocalDescription(d?: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = d ?? null;
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = d;
  }
  async addIceCandidate(): Promise<void> {}
  restartIce(): void {}
  getTransceivers(): RTCRtpTransceiver[] {
    return [];
  }
  async getStats(): Promise<Map<string, unknown>> {
    return new Map();
  }
  close(): void {}
}

const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
let store: LobbyStore;
let stop: (() => void) | null = null;
const socket = () => FakeWebSocket.sockets[0]!;

/** This page joins after p0, which then offers as if it had joined later: this page follows its link's tests. */
async function followerLink(call: LobbySessionOptions['call'], callStart = true) {
  const session = startLobbySession({ roomId: ROOM, store, name: 'Page', diagnosis: false, createPeerConnection: () => new FakePc() as unknown as RTCPeerConnection, ...(call ? { call } : {}) });
  stop = () => session.stop();
  socket().serverOpens();
  socket().serverSends({ type: 'joined', roomId: ROOM, peerId: 'p1', peers: [], polite: false, lobby: true, capacity: 8 });
  socket().serverSends({ type: 'peer-joined', peerId: 'p0' });
  socket().serverSends({ type: 'description', from: 'p0', description: { type: 'offer', sdp: 'v=0\r\na=fingerprint:sha-256 AA\r\n' } });
  await vi.advanceTimersByTimeAsync(50);
  const pc = FakePc.all.at(-1)!;
  const main = pc.channels.find((c) => c.label === 'p2pcheck')!;
  main.open();
  if (callStart) main.dispatchEvent(new MessageEvent('message', { data: encodeChannelMessage({ t: 'call-start', durationMs: 10_000 }) }));
  await vi.advanceTimersByTimeAsync(50);
  const calls = main.sent.map((d) => JSON.parse(d) as { t: string; reason?: string }).filter((m) => m.t.startsWith('call-'));
  return { calls, pair: store.getState().pairStores.get('p0')!, session, pc, main };
}

beforeAll(() => import('../call/call-session'));
beforeEach(() => {
  store = createLobbyStore();
  FakePc.all = [];
  FakeWebSocket.sockets = [];
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('location', { protocol: 'http:', host: 'p2pcheck.test', search: '' });
  vi.stubGlobal('navigator', { userAgent: 'Chrome/130.0.0.0' });
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ iceServers: [], ttl: 600 }), { status: 200 })));
});
afterEach(() => {
  stop?.();
  stop = null;
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the lobby session\u2019s call option', () => {
  it('by default a page follows a call the leading end starts (it readies its media)', async () => {
    const { calls, pair } = await followerLink(undefined);
    expect(calls.map((m) => m.t)).toEqual(['call-ready']);
    expect(pair.getState().call.phase).toBe('running');
  });

  it('the headless peer (call \u2019decline\u2019) answers with call-skip and why, and starts nothing', async () => {
    const { calls, pair } = await followerLink('decline');
    expect(calls).toEqual([{ t: 'call-skip', reason: 'the other peer has no audio or video (headless)' }]);
    expect(pair.getState().call.phase).toBe('off');
  });

  it('a call asked of the leading page shows as queued there until this end sees a result of it (a declining leader sends only that)', async () => {
    const { session, pc, main } = await followerLink(undefined, false);
    const lobbyChannel = pc.channels.find((c) => c.label === 'p2pcheck-lobby')!;
    lobbyChannel.open();
    Object.assign(pc, { connectionState: 'connected' });
    pc.dispatchEvent(new Event('connectionstatechange'));
    await vi.advanceTimersByTimeAsync(10);
    const why = () => linkJobBusy('p0', store.getState().sweep, store.getState().asked, null);
    expect(why()).toBeNull();
    expect(session.runCall('p0')).toBe(true);
    expect(lobbyChannel.sent.map((d) => JSON.parse(d) as unknown)).toContainEqual({ t: 'lq-ask', job: 'call' });
    expect(why()).toBe('a call test of this link is queued on the other page');
    // The headless leader's queue ran it: it declines with call-skip, this end records the call as skipped.
    main.dispatchEvent(new MessageEvent('message', { data: encodeChannelMessage({ t: 'call-skip', reason: 'the other peer has no audio or video (headless)' }) }));
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().pairStores.get('p0')!.getState().call.result).toMatchObject({ status: 'skipped', reason: 'the other peer has no audio or video (headless)' });
    expect(why()).toBeNull();
    // An ask the leader never answers (an older page) stops showing after jobMaxMs (60 s): the button works again.
    expect(session.runCall('p0')).toBe(true);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(why()).not.toBeNull();
    await vi.advanceTimersByTimeAsync(1_500);
    expect(why()).toBeNull();
  });
});
