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
