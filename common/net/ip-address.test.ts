import { describe, expect, it } from 'vitest';
import { bytesToIp, ipToBytes } from './ip-address';

const hex = (ip: string) => {
  const b = ipToBytes(ip);
  return b && Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
};

describe('ipToBytes', () => {
  it.each([
    ['1.2.3.4', '01020304'],
    ['0.0.0.0', '00000000'],
    ['255.255.255.255', 'ffffffff'],
    ['010.001.000.009', '0a010009'], // leading zeros read as decimal, not octal
    ['::', '00000000000000000000000000000000'],
    ['::1', '00000000000000000000000000000001'],
    ['[::1]', '00000000000000000000000000000001'],
    ['0:0:0:0:0:0:0:1', '00000000000000000000000000000001'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '00000000000000000000000000000001'],
    ['2001:DB8::A', '20010db800000000000000000000000a'],
    ['2001:db8:0:0:1::', '20010db8000000000001000000000000'],
    ['fe80::1%eth0', 'fe800000000000000000000000000001'],
    ['fe80::1%25eth0', 'fe800000000000000000000000000001'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['::FFFF:a00:1', '00000000000000000000ffff0a000001'],
    ['0:0:0:0:0:ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['::127.0.0.1', '0000000000000000000000007f000001'], // IPv4-compatible
    ['64:ff9b::192.0.2.1', '0064ff9b0000000000000000c0000201'], // NAT64
    ['2002:c0a8:101::1', '2002c0a8010100000000000000000001'], // 6to4 of 192.168.1.1
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '200100004136e378800063bf3ffffdd2'], // Teredo
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
  ])('%s', (ip, bytes) => {
    expect(hex(ip)).toBe(bytes);
  });

  it.each([
    [''], ['1.2.3'], ['1.2.3.4.5'], ['256.0.0.1'], ['1.2.3.0004'], ['1..2.3'], [' 1.2.3.4'], ['1.2.3.4:3478'],
    ['[1.2.3.4]:3478'], ['[::1]:3478'], ['[::1'], [':'], [':::'], ['1::2::3'], ['a:::b'], ['12345::'], ['g::1'],
    ['1:2:3:4:5:6:7'], ['1:2:3:4:5:6:7:8:9'], ['1:2:3:4:5:6:7:8::'], ['1:2:3:4:5:6:7:1.2.3.4'], ['::1.2.3'],
    ['1.2.3.4::1:1.2.3.4'], ['::ffff:1.2.3.4:80'], ['localhost'], ['x.local'],
  ])('not an address: %j', (ip) => {
    expect(ipToBytes(ip)).toBeNull();
  });
});

describe('bytesToIp', () => {
  const round = (ip: string) => bytesToIp(ipToBytes(ip)!);

  it('IPv4 as a dotted quad', () => {
    expect(round('010.001.000.009')).toBe('10.1.0.9');
  });

  it('IPv6 in RFC 5952 form: lower case, no leading zeros, the longest zero run compressed (the first of equals)', () => {
    expect(round('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(round('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(round('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(round('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1'); // a single zero group stays
    expect(round('[::]')).toBe('::');
    expect(round('fe80::1%eth0')).toBe('fe80::1');
  });

  it('IPv4-mapped with a dotted tail, other embeddings in hex', () => {
    expect(round('::FFFF:a00:1')).toBe('::ffff:10.0.0.1');
    expect(round('::127.0.0.1')).toBe('::7f00:1');
    expect(round('64:ff9b::192.0.2.1')).toBe('64:ff9b::c000:201');
  });

  it('reads any Uint8Array view, such as a slice of a received packet', () => {
    const packet = new Uint8Array([9, 9, 192, 0, 2, 1, 9]);
    expect(bytesToIp(packet.subarray(2, 6))).toBe('192.0.2.1');
  });
});
