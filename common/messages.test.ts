import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, parseClientMessage, parseServerMessage } from './messages';

describe('parseClientMessage', () => {
  it('accepts a join with a 128-bit URL-safe room id', () => {
    const r = parseClientMessage(JSON.stringify({ type: 'join', roomId: 'Ab-_0123456789abcdefgh' }));
    expect(r).toEqual({ ok: true, message: { type: 'join', roomId: 'Ab-_0123456789abcdefgh' } });
  });

  it.each([
    ['not JSON', '{type:', 'malformed', /not valid JSON/],
    ['unknown type', '{"type":"nuke"}', 'malformed', /invalid message/],
    ['short room id', '{"type":"join","roomId":"abc"}', 'malformed', /roomId/],
    ['room id with slashes', `{"type":"join","roomId":"${'a'.repeat(20)}/.."}`, 'malformed', /roomId/],
    ['bad sdp type', '{"type":"description","description":{"type":"pranswer","sdp":""}}', 'malformed', /description/],
    ['array', '[1,2]', 'malformed', /invalid message/],
    ['null', 'null', 'malformed', /invalid message/],
  ])('rejects %s with a clear error', (_name, raw, code, error) => {
    const r = parseClientMessage(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.error).toMatch(error);
    }
  });

  it('rejects an oversized message before parsing it', () => {
    const huge = JSON.stringify({ type: 'peer-info', info: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } });
    expect(parseClientMessage(huge)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it('rejects a deeply nested message before JSON.parse and zod see it', () => {
    const deep = `{"type":"peer-info","info":{"relayOnly":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    expect(parseClientMessage(deep)).toMatchObject({ ok: false, code: 'too-deep' });
    expect(parseServerMessage(deep)).toMatchObject({ ok: false, code: 'too-deep' });
  });

  it('relays only the peer-info keys it knows, in the shapes it knows', () => {
    expect(parseClientMessage('{"type":"peer-info","info":{"relayOnly":true}}')).toMatchObject({ ok: true });
    expect(parseClientMessage('{"type":"peer-info","info":{"nat":"x"}}')).toMatchObject({ ok: false, code: 'malformed' });
    expect(parseClientMessage('{"type":"peer-info","info":{"relayOnly":"yes"}}')).toMatchObject({ ok: false, code: 'malformed' });
    const pair = (local: object) => JSON.stringify({ type: 'peer-info', info: { selectedPair: { local, relayOnly: false } } });
    expect(parseClientMessage(pair({ type: 'srflx', address: '198.51.100.1', port: 4000, relayProtocol: null, protocol: 'udp' })).ok).toBe(true);
    expect(parseClientMessage(pair({ type: 'wormhole', protocol: 'udp' }))).toMatchObject({ ok: false, code: 'malformed' });
    expect(parseClientMessage(pair({ type: 'host', protocol: 'udp', address: 'x'.repeat(101) }))).toMatchObject({ ok: false, code: 'malformed' });
  });

  it('round-trips a trickled candidate and the end-of-candidates marker', () => {
    const c = { candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    expect(parseClientMessage(JSON.stringify({ type: 'candidate', candidate: c }))).toEqual({ ok: true, message: { type: 'candidate', candidate: c } });
    expect(parseClientMessage('{"type":"candidate","candidate":null}')).toEqual({ ok: true, message: { type: 'candidate', candidate: null } });
  });
});

describe('parseServerMessage', () => {
  it('checks what the page receives too', () => {
    expect(parseServerMessage('{"type":"peer-left","peerId":"x","reason":"left"}').ok).toBe(true);
    expect(parseServerMessage('{"type":"peer-left"}').ok).toBe(false);
  });
});
