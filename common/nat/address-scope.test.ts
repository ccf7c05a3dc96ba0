import { describe, expect, it } from 'vitest';
import { isGlobalIpv6, isLoopbackAddress } from './address-scope';

describe('isLoopbackAddress', () => {
  it('127/8, ::1 in its spellings, IPv4-mapped loopback', () => {
    for (const a of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST.', 'p2p.localhost']) expect(isLoopbackAddress(a), a).toBe(true);
  });
  it('not other addresses', () => {
    for (const a of ['10.0.0.1', '128.0.0.1', '::', '::2', 'fe80::1', '2001:db8::1', '::ffff:10.0.0.1', 'x.local', 'localhost.example.org']) expect(isLoopbackAddress(a), a).toBe(false);
  });
});

describe('isGlobalIpv6', () => {
  it('global unicast', () => {
    for (const a of ['2a01:4f8::1', '2600:1f18::5', '3fff::1', '2001:4860:4860::8888', '2001:db8:1::2']) expect(isGlobalIpv6(a), a).toBe(true);
  });
  it('not link-local, unique-local, loopback, Teredo, IPv4, mDNS names', () => {
    for (const a of ['fe80::1', 'fd00::2', '::1', '2001::1', '2001:0:4136:e378::1', '192.0.2.1', 'abc.local', '::ffff:8.8.8.8']) expect(isGlobalIpv6(a), a).toBe(false);
  });
});
