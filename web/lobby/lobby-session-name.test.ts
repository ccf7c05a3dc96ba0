import { describe, expect, it } from 'vitest';
import { MAX_PEER_NAME } from '../../common/messages';
import { checkPeerName, defaultPeerName } from './lobby-session-name';

describe('lobby names', () => {
  it('defaults to the browser and the OS', () => {
    expect(defaultPeerName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(defaultPeerName('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe('Firefox on Linux');
    expect(defaultPeerName('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1')).toBe('Safari on iOS');
    expect(defaultPeerName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0')).toBe('Edge on Windows');
    expect(defaultPeerName('curl/8')).toBe('Peer');
  });

  it('takes a trimmed name up to the wire limit and says what is wrong otherwise', () => {
    expect(checkPeerName('  Dana   K ')).toEqual({ ok: true, name: 'Dana K' });
    expect(checkPeerName('   ')).toMatchObject({ ok: false, error: 'A name needs at least one character.' });
    expect(checkPeerName('x'.repeat(MAX_PEER_NAME + 1))).toMatchObject({ ok: false, error: expect.stringContaining(`at most ${MAX_PEER_NAME}`) });
  });
});
