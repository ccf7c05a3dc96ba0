import { describe, expect, it } from 'vitest';
import { encodeChannelMessage, parseChannelMessage } from './channel-messages';

describe('parseChannelMessage', () => {
  it('round-trips ping and pong', () => {
    const ping = { t: 'ping' as const, seq: 3, ts: 1234.5 };
    expect(parseChannelMessage(encodeChannelMessage(ping))).toEqual(ping);
  });

  it('returns null for anything else', () => {
    for (const bad of ['nope', '{"t":"ping"}', '{"t":"later-feature","x":1}', 'null', new ArrayBuffer(2), 'x'.repeat(5000)]) {
      expect(parseChannelMessage(bad)).toBeNull();
    }
  });
});
