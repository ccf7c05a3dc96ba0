// PeerDriver's negotiation with a fake RTCPeerConnection that records what the driver asked of it: perfect
// negotiation when the lobby names a polite side, and exactly today's behaviour when it does not (a room).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../store/app-store';
import { PeerDriver, type PeerDriverOptions } from './peer-driver';

class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  binaryType = 'arraybuffer';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  constructor(readonly label: string, readonly init: RTCDataChannelInit | undefined) {
    super();
  }
  send(): void {}
  close(): void {
    this.readyState = 'closed';
  }
}

class FakePc extends EventTarget {
  static last: FakePc;
  readonly calls: string[] = [];
  readonly channels: FakeChannel[] = [];
  signalingState: RTCSignalingState = 'stable';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  connectionState: RTCPeerConnectionState = 'new';
  private offerGate: Promise<void> = Promise.resolve();
  releaseOffer: () => void = () => undefined;
  constructor() {
    super();
    FakePc.last = this;
  }
  /** The next offer (createOffer, or setLocalDescription() making one) waits until releaseOffer(): glare. */
  holdOffer(): void {
    this.offerGate = new Promise((r) => (this.releaseOffer = r));
  }
  createDataChannel(label: string, init?: RTCDataChannelInit): FakeChannel {
    const ch = new FakeChannel(label, init);
    this.channels.push(ch);
    return ch;
  }
  async createOffer(): Promise<RTCSessionDescriptionInit> {
    this.calls.push('createOffer');
    await this.offerGate;
    return { type: 'offer', sdp: 'local-offer' };
  }
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    this.calls.push('createAnswer');
    return { type: 'answer', sdp: 'local-answer' };
  }
  async setLocalDescription(given?: RTCSessionDescriptionInit): Promise<void> {
    if (!given) await this.offerGate;
    // Without an argument: what the state needs (webrtc-pc §4.4.1.5).
    const d = given ?? { type: this.signalingState === 'have-remote-offer' ? 'answer' : 'offer', sdp: 'local' };
    this.calls.push(`setLocal:${d.type}`);
    if (d.type === 'rollback' && this.signalingState === 'stable') throw new Error('InvalidStateError: nothing to roll back');
    if (d.type === 'offer' && this.signalingState === 'have-remote-offer') throw new Error('InvalidStateError: offer in have-remote-offer');
    if (d.type === 'rollback') {
      this.signalingState = 'stable';
      this.localDescription = null;
      return;
    }
    this.localDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    this.calls.push(`setRemote:${d.type}`);
    if (d.type === 'offer' && this.signalingState === 'have-local-offer') throw new Error('InvalidStateError: glare without rollback');
    this.remoteDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
  }
  async addIceCandidate(): Promise<void> {
    this.calls.push('addIceCandidate');
  }
  restartIce(): void {
    this.calls.push('restartIce');
  }
  async getStats(): Promise<Map<string, unknown>> {
    return new Map();
  }
  close(): void {
    this.calls.push('close');
  }
}

const drivers: PeerDriver[] = [];
function driver(opts: Partial<PeerDriverOptions>) {
  const store = createAppStore();
  store.getState().beginTest(0);
  const sent: unknown[] = [];
  const d = new PeerDriver({ role: 'offerer', store, config: {}, send: (m) => sent.push(m), ...opts });
  drivers.push(d);
  return { d, pc: FakePc.last, sent, store };
}
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('RTCPeerConnection', FakePc);
});
afterEach(() => {
  for (const d of drivers.splice(0)) d.close();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('PeerDriver negotiation', () => {
  it('an offer arriving while the polite side is still making its own is answered, with nothing to roll back', async () => {
    vi.stubGlobal('RTCPeerConnection', class extends FakePc {
      constructor() {
        super();
        this.holdOffer();
      }
    });
    const { d, pc, sent, store } = driver({ polite: true });
    await d.handleDescription({ type: 'offer', sdp: 'their-offer' }); // arrives while our offer is being made
    pc.releaseOffer();
    await flush();
    expect(pc.calls).not.toContain('setLocal:rollback');
    expect(pc.calls.slice(pc.calls.indexOf('setRemote:offer'))).toContain('setLocal:answer');
    expect(sent).toContainEqual({ type: 'description', description: { type: 'answer', sdp: 'local-answer' } });
    expect(store.getState().peer.errors).toEqual([]);
  });

  it('the impolite side ignores an offer that collides with its own, and the candidates that come with it', async () => {
    const { d, pc, store } = driver({ polite: false });
    await flush(); // our offer is out: have-local-offer
    expect(pc.signalingState).toBe('have-local-offer');
    await d.handleDescription({ type: 'offer', sdp: 'their-offer' });
    await d.handleCandidate({ candidate: 'candidate:1 1 udp 2122260223 10.0.0.2 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    expect(pc.calls).not.toContain('setRemote:offer');
    expect(store.getState().peer.errors).toEqual([]);
  });

  it('the polite side rolls back an offer already sent when the other side offers too', async () => {
    const { d, pc } = driver({ polite: true });
    await flush();
    await d.handleDescription({ type: 'offer', sdp: 'their-offer' });
    expect(pc.calls.slice(-4)).toEqual(['setLocal:rollback', 'setRemote:offer', 'createAnswer', 'setLocal:answer']);
  });

  it('without a polite side (a two-person room) an offer goes straight to setRemoteDescription, as before', async () => {
    const { d, pc, store } = driver({ role: 'answerer' });
    await d.handleDescription({ type: 'offer', sdp: 'their-offer' });
    expect(pc.calls).toEqual(['setRemote:offer', 'createAnswer', 'setLocal:answer']);
    expect(d.restartIce()).toBe(false);
    expect(store.getState().peer.errors).toEqual([]);
    // Today's channels: the main one and the link test's three, no ping channel.
    expect(pc.channels.map((c) => c.label)).not.toContain('p2pcheck-ping');
  });

  it('restarts ICE with a new offer when asked (lobby), only from a stable state', async () => {
    const { d, pc, sent } = driver({ polite: false });
    await flush();
    expect(d.restartIce()).toBe(false); // our first offer is still unanswered
    await d.handleDescription({ type: 'answer', sdp: 'their-answer' });
    expect(d.restartIce()).toBe(true);
    await flush();
    expect(pc.calls.slice(-2)).toEqual(['restartIce', 'setLocal:offer']);
    expect(sent.filter((m) => (m as { type: string }).type === 'description')).toHaveLength(2);
  });

  it('pings on an unreliable channel of its own when the lobby asks for it', () => {
    const { pc } = driver({ polite: false, ping: { intervalMs: 1000, channel: 'unreliable' } });
    const ping = pc.channels.find((c) => c.label === 'p2pcheck-ping');
    expect(ping?.init).toEqual({ negotiated: true, id: 9, ordered: false, maxRetransmits: 0 });
  });
});
