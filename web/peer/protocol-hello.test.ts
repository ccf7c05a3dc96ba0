import { describe, expect, it } from 'vitest';
import { PEER_PROTOCOL_VERSION } from '../../common/peer-protocol';
import { startProtocolHello } from './protocol-hello';

/** Two open channel ends: what one sends, the other receives at once. */
class End extends EventTarget {
  readyState: RTCDataChannelState = 'open';
  other: End | null = null;
  sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
    this.other?.dispatchEvent(new MessageEvent('message', { data }));
  }
}
function pair(): [End, End] {
  const a = new End();
  const b = new End();
  a.other = b;
  b.other = a;
  return [a, b];
}

describe('startProtocolHello', () => {
  it('two pages of the same version say hello and hear nothing wrong', () => {
    const [a, b] = pair();
    const heard: string[] = [];
    startProtocolHello(a, (m) => heard.push(m));
    startProtocolHello(b, (m) => heard.push(m));
    expect(a.sent).toEqual([JSON.stringify({ t: 'hello', v: PEER_PROTOCOL_VERSION })]);
    expect(b.sent).toHaveLength(1);
    expect(heard).toEqual([]);
  });

  it('a peer of another version is reported once, naming both versions', () => {
    const [a, b] = pair();
    const heard: [string, number][] = [];
    const stop = startProtocolHello(a, (m, v) => heard.push([m, v]));
    b.send(JSON.stringify({ t: 'hello', v: 2 }));
    b.send(JSON.stringify({ t: 'hello', v: 2 }));
    expect(heard).toEqual([[expect.stringContaining('speaks peer protocol version 2, this page 1'), 2]]);
    stop();
    b.send(JSON.stringify({ t: 'hello', v: 3 }));
    expect(heard).toHaveLength(1);
  });

  it('other messages and malformed hellos are not a version', () => {
    const [a, b] = pair();
    const heard: string[] = [];
    startProtocolHello(a, (m) => heard.push(m));
    for (const m of ['{"t":"ping","seq":1,"ts":2}', '{"t":"hello"}', '{"t":"hello","v":"2"}', 'junk']) b.send(m);
    expect(heard).toEqual([]);
  });
});
