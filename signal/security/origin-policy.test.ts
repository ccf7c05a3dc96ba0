import { describe, expect, it } from 'vitest';
import { originAllowed, parseAllowedOrigins, type OriginAllowList } from './origin-policy';

const none: OriginAllowList = { any: false, origins: new Set() };

describe('originAllowed', () => {
  it.each([
    ['the page of the same host and port', 'http://127.0.0.1:8080', '127.0.0.1:8080', true],
    ['https behind a TLS proxy (default port on both sides)', 'https://p2p.example.org', 'p2p.example.org', true],
    ['host names compare without case', 'https://P2P.Example.org', 'p2p.example.ORG', true],
    ['IPv6 literal hosts', 'http://[::1]:8080', '[::1]:8080', true],
    ['no Origin (not a browser)', undefined, 'p2p.example.org', true],
    ['another site', 'https://evil.example', 'p2p.example.org', false],
    ['another port', 'http://127.0.0.1:8081', '127.0.0.1:8080', false],
    ['a look-alike suffix', 'https://p2p.example.org.evil.example', 'p2p.example.org', false],
    ['an opaque origin', 'null', 'p2p.example.org', false],
    ['a non-web scheme', 'chrome-extension://abc', 'abc', false],
    ['no Host header', 'https://p2p.example.org', undefined, false],
    ['a Host with user info', 'http://evil.example', 'p2p@evil.example', false],
  ])('%s', (_name, origin, host, allowed) => {
    expect(originAllowed(origin, host, none)).toBe(allowed);
  });

  it('lets in listed origins and, with *, everyone', () => {
    const list = parseAllowedOrigins('https://p2p.example.org, http://localhost:5173');
    if ('error' in list) throw new Error(list.error);
    expect(originAllowed('http://localhost:5173', '127.0.0.1:8080', list)).toBe(true);
    expect(originAllowed('https://p2p.example.org', 'internal:8080', list)).toBe(true);
    expect(originAllowed('https://other.example', 'internal:8080', list)).toBe(false);
    const any = parseAllowedOrigins('*');
    if ('error' in any) throw new Error(any.error);
    expect(originAllowed('https://other.example', 'internal:8080', any)).toBe(true);
  });

  it.each(['p2p.example.org', 'https://p2p.example.org/', 'https://p2p.example.org/app', 'ftp://p2p.example.org', 'https://u@p2p.example.org'])('refuses %s as an ALLOWED_ORIGINS entry', (entry) => {
    expect(parseAllowedOrigins(entry)).toMatchObject({ error: expect.stringContaining(entry) });
  });
});
