// Two ends of a simulated link for tests of the link test: each direction serialises messages at a fixed rate
// (so bufferedAmount and back-pressure behave like a real send buffer), adds a fixed delay, and the unordered
// channel can drop a share of messages. Driven by timers, so tests use vitest's fake timers.
import type { LinkChannel, LinkChannels } from './link-channels';

export interface FakeLinkOptions {
  /** Bytes per ms each way (1 byte/ms = 8 kbit/s). */
  bytesPerMs: number;
  /** One-way delay, ms. */
  delayMs: number;
  /** Share of probe-channel messages dropped, 0..1 (deterministic: every n-th). */
  dropRatio?: number;
}

class FakeChannel extends EventTarget implements LinkChannel {
  readyState: RTCDataChannelState = 'open';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'arraybuffer';
  peer: FakeChannel | null = null;
  sentMessages = 0;

  constructor(private readonly wire: Wire, private readonly lossy: boolean) {
    super();
  }

  send(data: string | ArrayBuffer): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError: channel not open');
    const size = typeof data === 'string' ? data.length : data.byteLength;
    this.bufferedAmount += size;
    this.sentMessages++;
    const drop = this.lossy && this.wire.shouldDrop();
    this.wire.transmit(size, () => {
      const before = this.bufferedAmount;
      this.bufferedAmount -= size;
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) this.dispatchEvent(new Event('bufferedamountlow'));
    }, () => {
      if (!drop && this.peer && this.peer.readyState === 'open') this.peer.dispatchEvent(new MessageEvent('message', { data }));
    });
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
    this.peer?.close();
  }
}

/** One direction of the link, shared by the three channels (one SCTP association, one bottleneck). */
class Wire {
  private freeAt = 0;
  private count = 0;
  constructor(private readonly opts: FakeLinkOptions, private readonly now: () => number) {}
  shouldDrop(): boolean {
    const r = this.opts.dropRatio ?? 0;
    this.count++;
    return r > 0 && Math.floor(this.count * r) !== Math.floor((this.count - 1) * r);
  }
  transmit(size: number, onSerialized: () => void, onDelivered: () => void): void {
    const start = Math.max(this.freeAt, this.now());
    this.freeAt = start + size / this.opts.bytesPerMs;
    setTimeout(onSerialized, this.freeAt - this.now());
    setTimeout(onDelivered, this.freeAt - this.now() + this.opts.delayMs);
  }
}

export function fakeLink(opts: FakeLinkOptions, now: () => number): { a: LinkChannels & Record<string, FakeChannel>; b: LinkChannels & Record<string, FakeChannel>; close(): void } {
  const ab = new Wire(opts, now);
  const ba = new Wire(opts, now);
  const make = (lossy: boolean) => {
    const x = new FakeChannel(ab, lossy);
    const y = new FakeChannel(ba, lossy);
    x.peer = y;
    y.peer = x;
    return [x, y] as const;
  };
  const [ca, cb] = make(false);
  const [ba1, bb] = make(false);
  const [pa, pb] = make(true);
  return {
    a: { control: ca, bulk: ba1, probe: pa },
    b: { control: cb, bulk: bb, probe: pb },
    close: () => ca.close(),
  };
}

/** A test's fake data channel of the main connection: records what it sent and hands it to the other end. */
export class FakeMessageChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open';
  other: FakeMessageChannel | null = null;
  sent: string[] = [];
  constructor(private readonly delayMs: number | 'microtask') {
    super();
  }
  send(data: string): void {
    this.sent.push(data);
    const to = this.other;
    const deliver = () => to?.readyState === 'open' && to.dispatchEvent(new MessageEvent('message', { data }));
    if (this.delayMs === 'microtask') queueMicrotask(deliver);
    else setTimeout(deliver, this.delayMs);
  }
  /** Closes both ends, as a closing SCTP stream does. */
  close(): void {
    for (const c of [this, this.other]) {
      if (!c || c.readyState === 'closed') continue;
      c.readyState = 'closed';
      c.dispatchEvent(new Event('close'));
    }
  }
}

/** Two connected fake channels; messages arrive after `delayMs` of (fake) time, or in a microtask. */
export function fakeChannelPair(delayMs: number | 'microtask' = 'microtask'): [FakeMessageChannel, FakeMessageChannel] {
  const a = new FakeMessageChannel(delayMs);
  const b = new FakeMessageChannel(delayMs);
  a.other = b;
  b.other = a;
  return [a, b];
}
