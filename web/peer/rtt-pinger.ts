// Round-trip time over the data channel: ping every interval, answer the other side's pings, and turn each
// pong into an RTT sample. Measures the whole path (SCTP over DTLS over ICE), as the application sees it.
import { encodeChannelMessage, parseChannelMessage } from '../../common/peer-protocol';

export interface RttPingerOptions {
  /** 0: only answer the other side's pings. */
  intervalMs?: number;
  /** Monotonic clock in ms (performance.now). */
  now(): number;
  onSample(rttMs: number): void;
  /** Each ping sent (the lobby counts them for loss on its unreliable ping channel). */
  onPing?(): void;
}

export function startRttPinger(channel: RTCDataChannel, { intervalMs = 500, now, onSample, onPing }: RttPingerOptions): () => void {
  let seq = 0;
  const sent = new Map<number, number>();
  const onMessage = (ev: MessageEvent) => {
    const msg = parseChannelMessage(ev.data);
    if (!msg) return;
    if (msg.t === 'ping') {
      if (channel.readyState === 'open') channel.send(encodeChannelMessage({ t: 'pong', seq: msg.seq, ts: msg.ts }));
    } else if (msg.t === 'pong') {
      const ts = sent.get(msg.seq);
      if (ts === undefined) return;
      sent.delete(msg.seq);
      onSample(now() - ts);
    }
  };
  channel.addEventListener('message', onMessage);
  const tick = () => {
    if (channel.readyState !== 'open') return;
    const ts = now();
    sent.set(seq, ts);
    // Forget pings that never came back so the map stays small.
    for (const [s, t] of sent) if (ts - t > 30_000) sent.delete(s);
    channel.send(encodeChannelMessage({ t: 'ping', seq: seq++, ts }));
    onPing?.();
  };
  let timer: ReturnType<typeof setInterval> | null = null;
  if (intervalMs > 0) {
    tick();
    timer = setInterval(tick, intervalMs);
  }
  return () => {
    if (timer !== null) clearInterval(timer);
    channel.removeEventListener('message', onMessage);
  };
}
