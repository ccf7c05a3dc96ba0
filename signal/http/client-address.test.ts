import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressOf, parseTrustedProxies, type TrustedProxies } from './client-address';

const req = (remoteAddress: string, xff?: string | string[]) =>
  ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;
const proxies = (raw: string): TrustedProxies => {
  const p = parseTrustedProxies(raw);
  if (p && 'error' in p) throw new Error(p.error);
  return p;
};

describe('clientAddressOf', () => {
  it('ignores X-Forwarded-For unless the direct peer is a trusted proxy (no dodging limits by naming yourself)', () => {
    expect(clientAddressOf(req('203.0.113.5', '198.51.100.1'), null)).toBe('203.0.113.5');
    expect(clientAddressOf(req('203.0.113.5', '198.51.100.1'), proxies('loopback'))).toBe('203.0.113.5');
  });

  it('through trusted proxies takes the nearest hop that is not one of them, whatever the client prepended', () => {
    const p = proxies('loopback, 10.0.0.0/8');
    expect(clientAddressOf(req('127.0.0.1', '198.51.100.1'), p)).toBe('198.51.100.1');
    expect(clientAddressOf(req('::ffff:127.0.0.1', '198.51.100.1'), p)).toBe('198.51.100.1');
    expect(clientAddressOf(req('127.0.0.1', '1.2.3.4, 198.51.100.1, 10.0.0.7'), p)).toBe('198.51.100.1');
    expect(clientAddressOf(req('127.0.0.1', ['1.2.3.4', '198.51.100.1']), p)).toBe('198.51.100.1');
    expect(clientAddressOf(req('127.0.0.1', '2001:db8::1'), p)).toBe('2001:db8::1');
  });

  it('falls back to the direct peer on a header it cannot read', () => {
    const p = proxies('loopback');
    expect(clientAddressOf(req('127.0.0.1', 'not-an-ip'), p)).toBe('127.0.0.1');
    expect(clientAddressOf(req('127.0.0.1', '198.51.100.1, unknown'), p)).toBe('127.0.0.1');
    expect(clientAddressOf(req('127.0.0.1'), p)).toBe('127.0.0.1');
  });

  it('parses TRUST_PROXY or says what is wrong', () => {
    expect(parseTrustedProxies('')).toBeNull();
    expect(parseTrustedProxies('proxy.example')).toEqual({ error: '"proxy.example" is not an IP address or CIDR range' });
    expect(parseTrustedProxies('10.0.0.0/40')).toEqual({ error: '"10.0.0.0/40" has a bad prefix length' });
    expect(proxies('2001:db8::/32')?.check('2001:db8:1::5', 'ipv6')).toBe(true);
  });
});
