// The minimal data-channel surface the link test uses, so tests can pass fakes. RTCDataChannel fits it.
import { LINK_CHANNELS } from './link-test-protocol';

export interface LinkChannel {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: BinaryType;
  send(data: string): void;
  send(data: ArrayBuffer): void;
  addEventListener(type: 'open' | 'close' | 'bufferedamountlow' | 'message', listener: (ev: Event) => void): void;
  removeEventListener(type: 'open' | 'close' | 'bufferedamountlow' | 'message', listener: (ev: Event) => void): void;
}

export interface LinkChannels {
  control: LinkChannel;
  bulk: LinkChannel;
  probe: LinkChannel;
}

/** Creates the three negotiated channels; call on both sides before the offer/answer so both exist from the start. */
export function createLinkChannels(pc: RTCPeerConnection): LinkChannels {
  const make = (c: (typeof LINK_CHANNELS)[keyof typeof LINK_CHANNELS]) => {
    const ch = pc.createDataChannel(c.label, c.init);
    ch.binaryType = 'arraybuffer';
    return ch;
  };
  return { control: make(LINK_CHANNELS.control), bulk: make(LINK_CHANNELS.bulk), probe: make(LINK_CHANNELS.probe) };
}

export function closeLinkChannels(ch: LinkChannels): void {
  for (const c of [ch.control, ch.bulk, ch.probe]) {
    try {
      (c as Partial<RTCDataChannel>).close?.();
    } catch {
      // already closed
    }
  }
}
