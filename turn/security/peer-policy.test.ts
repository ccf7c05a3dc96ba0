import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../common/net/address-ranges';
import { PeerPolicy } from './peer-policy';

describe('peer policy (attack: relaying into the server\'s own networks)', () => {
  // Built inside each test, not at collection time, so a broken constructor fails a test.
  it.each([
    ['127.0.0.1'], ['127.1.2.3'], ['0.0.0.0'], ['::'], ['::1'], ['[::1]'], ['[::]'], ['::ffff:127.0.0.1'],
    ['::ffff:7f00:1'], ['::127.0.0.1'], ['::ffff:0:127.0.0.1'], ['0:0:0:0:0:ffff:10.0.0.1'],
    ['2002:7f00:1::'], ['2002:c0a8:101::1'], ['2001:0:4136:e378:8000:63bf:80ff:fffe'], ['64:ff9b::127.0.0.1'],
    ['64:ff9b::a00:1'], ['64:ff9b:1::7f00:1'], ['10.1.2.3'], ['172.16.0.1'], ['172.31.255.255'], ['192.168.1.1'],
    ['169.254.169.254'], ['100.64.0.1'], ['224.0.0.251'], ['239.255.255.250'], ['255.255.255.255'], ['240.0.0.1'],
    ['192.0.2.1'], ['198.51.100.7'], ['203.0.113.9'], ['198.18.0.1'], ['fe80::1'], ['fc00::1'], ['fd12:3456::1'],
    ['ff02::1'], ['2001:db8::1'], ['fec0::1'], ['100::1'], ['not-an-ip'], ['1.2.3'], [''],
  ])('refuses %s', (ip) => {
    expect(new PeerPolicy().allows(ip)).toBe(false);
  });

  it.each([['8.8.4.4'], ['1.1.1.1'], ['2a00:1450:4001::1'], ['::ffff:8.8.8.8'], ['172.32.0.1'], ['100.128.0.1']])('allows public %s', (ip) => {
    expect(new PeerPolicy().allows(ip)).toBe(true);
  });

  it('an allow-list opens ranges a deployment needs, in either spelling', () => {
    const lab = new PeerPolicy(['10.77.0.0/16', '127.0.0.0/8']);
    expect(lab.allows('10.77.3.4')).toBe(true);
    expect(lab.allows('::ffff:10.77.3.4')).toBe(true);
    expect(lab.allows('127.0.0.1')).toBe(true);
    expect(lab.allows('10.78.0.1')).toBe(false);
    expect(lab.allows('2002:a4d:304::')).toBe(false); // 6to4 form of an allowed address stays denied
  });

  it('rejects bad CIDRs with a clear message', () => {
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(() => new PeerPolicy(['nope/8'])).toThrow(/not a CIDR: "nope\/8"/);
  });
});
