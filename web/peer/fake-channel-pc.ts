// Test support: just enough of an RTCPeerConnection for a PeerDriver over a simulated link (web/quality/fake-link.ts):
// createDataChannel hands out the fake channel of that label, nothing is negotiated, the stats are empty. Tests that
// need more (the call's transceivers, growing stats) extend it.
export class ChannelFakePc extends EventTarget {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'connected';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  constructor(private readonly byLabel: Record<string, unknown>) {
    super();
  }
  createDataChannel(label: string): unknown {
    const ch = this.byLabel[label];
    if (!ch) throw new Error(`no fake channel for ${label}`);
    return ch;
  }
  async createOffer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'offer', sdp: 'offer' };
  }
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: 'answer' };
  }
  async setLocalDescription(d?: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = d ?? { type: 'offer', sdp: 'offer' };
  }
  async setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
    this.remoteDescription = d;
  }
  async addIceCandidate(): Promise<void> {}
  restartIce(): void {}
  async getStats(): Promise<Map<string, unknown>> {
    return new Map();
  }
  close(): void {}
}
