// The peer protocol's version exchange (common/peer-protocol.ts) on an open main channel: says this page's version
// and tells the caller, once, when the other side's hello names another. A page from before the exchange sends
// no hello and ignores ours (unknown messages parse to null on both sides).
import { PEER_PROTOCOL_VERSION, encodeChannelMessage, parseChannelMessage, peerVersionMismatchText } from '../../common/peer-protocol';

/** What it needs of an RTCDataChannel (tests pass a fake). */
export interface HelloChannel extends Pick<EventTarget, 'addEventListener' | 'removeEventListener'> {
  readonly readyState: RTCDataChannelState;
  send(data: string): void;
}

/** Call when the channel is open; returns a stop function. */
export function startProtocolHello(channel: HelloChannel, onMismatch: (message: string, theirVersion: number) => void): () => void {
  let told = false;
  const onMessage = (ev: Event) => {
    const m = parseChannelMessage((ev as MessageEvent).data);
    if (m?.t !== 'hello' || m.v === PEER_PROTOCOL_VERSION || told) return;
    told = true;
    onMismatch(peerVersionMismatchText(m.v), m.v);
  };
  channel.addEventListener('message', onMessage);
  if (channel.readyState === 'open') channel.send(encodeChannelMessage({ t: 'hello', v: PEER_PROTOCOL_VERSION }));
  return () => channel.removeEventListener('message', onMessage);
}
