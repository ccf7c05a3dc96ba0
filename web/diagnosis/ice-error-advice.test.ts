import { describe, expect, it } from 'vitest';
import { FIREFOX_TURNS_IP, firefoxIgnoresTurnsUrl, relayFailureReason } from './ice-error-advice';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROMIUM = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('firefoxIgnoresTurnsUrl', () => {
  it('Firefox with a turns: URL whose host is an IPv4 or IPv6 literal', () => {
    expect(firefoxIgnoresTurnsUrl('turns:198.51.100.1:443?transport=tcp', FIREFOX)).toBe(true);
    expect(firefoxIgnoresTurnsUrl('turns:[2001:db8::1]:443?transport=tcp', FIREFOX)).toBe(true);
  });
  it('not with a DNS name, not in Chromium, not for turn:', () => {
    expect(firefoxIgnoresTurnsUrl('turns:turn.example.org:443?transport=tcp', FIREFOX)).toBe(false);
    expect(firefoxIgnoresTurnsUrl('turns:198.51.100.1:443?transport=tcp', CHROMIUM)).toBe(false);
    expect(firefoxIgnoresTurnsUrl('turn:198.51.100.1:3478?transport=tcp', FIREFOX)).toBe(false);
  });
});

describe('relayFailureReason: every failed relay test says why', () => {
  const base = { url: 'turns:198.51.100.1:443?transport=tcp', protocol: 'tls' as const, timeoutMs: 4000, gotProtocol: null, errors: [] };
  it('Firefox silently skipping an IP-literal turns: URL', () => {
    expect(relayFailureReason(base, FIREFOX)).toBe(FIREFOX_TURNS_IP);
    expect(FIREFOX_TURNS_IP).toMatch(/^Firefox does not use TURN over TLS with an IP address; the server needs a DNS name/);
  });
  it('an error from the server: its code and what it means', () => {
    const r = relayFailureReason({ ...base, protocol: 'tcp', url: 'turn:x:3478?transport=tcp', errors: [{ url: 'turn:x:3478?transport=tcp', code: 401, text: 'Unauthorized' }] }, CHROMIUM);
    expect(r).toMatch(/^401 Unauthorized: The TURN server rejected the username or password/);
  });
  it('silence: a firewall on the way, naming the transport and port', () => {
    expect(relayFailureReason(base, CHROMIUM)).toBe('no relay within 4 s and no error from the server: a firewall or proxy on the way probably blocks TLS to port 443');
  });
  it('a relay over another transport than asked for', () => {
    expect(relayFailureReason({ ...base, gotProtocol: 'udp' }, CHROMIUM)).toBe('the relay was reached over UDP, not TLS');
  });
});
