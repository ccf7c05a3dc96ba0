import { describe, expect, it } from 'vitest';
import { embeddedIPv4, inCidr, isGlobalIpv6, isLoopbackAddress, isPrivateAddress, parseCidr, specialRangeOf, unmapIPv4 } from './address-ranges';
import { bytesToIp, ipToBytes } from './ip-address';

const kindOf = (ip: string) => specialRangeOf(ipToBytes(ip)!)?.kind ?? null;

describe('specialRangeOf', () => {
  it.each([
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['010.001.002.003', 'private'], ['100.64.0.1', 'shared'], ['127.0.0.1', 'loopback'], ['0.0.0.0', 'unspecified'],
    ['169.254.169.254', 'link-local'], ['192.0.0.8', 'protocol'], ['192.0.2.1', 'documentation'], ['198.18.0.1', 'benchmarking'],
    ['224.0.0.251', 'multicast'], ['255.255.255.255', 'reserved'], ['192.88.99.1', 'anycast'],
    ['::', 'unspecified'], ['[::]', 'unspecified'], ['::1', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'], ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'], ['::FFFF:7F00:1', 'loopback'], ['0:0:0:0:0:ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'embeds-ipv4'], ['::ffff:0:127.0.0.1', 'embeds-ipv4'], ['64:ff9b::a00:1', 'embeds-ipv4'], ['64:ff9b:1::7f00:1', 'embeds-ipv4'],
    ['2002:c0a8:101::1', 'embeds-ipv4'], ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'embeds-ipv4'],
    ['fe80::1', 'link-local'], ['FE80::1%eth0', 'link-local'], ['fe80::1%25eth0', 'link-local'], ['[fe80::2]', 'link-local'],
    ['fc00::1', 'unique-local'], ['fd12:3456::1', 'unique-local'], ['fec0::1', 'site-local'], ['100::1', 'discard'],
    ['2001:2::1', 'benchmarking'], ['2001:db8::1', 'documentation'], ['3fff::1', 'documentation'], ['ff02::1', 'multicast'],
  ])('%s is %s', (ip, kind) => {
    expect(kindOf(ip)).toBe(kind);
  });

  it.each([['8.8.8.8'], ['172.32.0.1'], ['100.128.0.1'], ['::ffff:8.8.8.8'], ['2a00:1450:4001::1'], ['2001:4860:4860::8888']])('%s is in no special range', (ip) => {
    expect(kindOf(ip)).toBeNull();
  });
});

describe('embeddedIPv4', () => {
  const inside = (ip: string) => embeddedIPv4(ipToBytes(ip)!).map(({ how, v4 }) => `${how} ${bytesToIp(v4)}`);

  it('finds the IPv4 address in every IPv6 form that carries one', () => {
    expect(inside('::ffff:10.0.0.1')).toEqual(['mapped 10.0.0.1']);
    expect(inside('::ffff:0:a00:1')).toEqual(['siit 10.0.0.1']);
    expect(inside('::10.0.0.1')).toEqual(['compatible 10.0.0.1']);
    expect(inside('64:ff9b::10.0.0.1')).toEqual(['nat64 10.0.0.1']);
    expect(inside('2002:c0a8:101::1')).toEqual(['6to4 192.168.1.1']);
    expect(inside('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toEqual(['teredo-server 65.54.227.120', 'teredo-client 192.0.2.45']);
  });

  it('none in IPv4, ::, ::1 or native IPv6', () => {
    for (const ip of ['10.0.0.1', '::', '::1', '2001:db8::1', 'fe80::1']) expect(inside(ip), ip).toEqual([]);
  });
});

describe('parseCidr, inCidr, unmapIPv4', () => {
  it('parses both families, a bare address as a host route, and refuses bad prefixes', () => {
    expect(parseCidr(' 10.0.0.0/8 ')).toMatchObject({ prefix: 8, text: '10.0.0.0/8' });
    expect(parseCidr('fd00::/8')?.bytes.length).toBe(16);
    expect(parseCidr('192.0.2.7')?.prefix).toBe(32);
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/-1', '10.0.0.0/8.5', '10.0.0.0/', '10.0.0.0/ 8', '10.0.0.0/0x8', '10.0.0.0/1e1', 'nope/8']) expect(parseCidr(bad), bad).toBeNull();
  });

  it('matches on the prefix bits only, and never across families', () => {
    const cgnat = parseCidr('100.64.0.0/10')!;
    expect(inCidr(ipToBytes('100.127.255.255')!, cgnat)).toBe(true);
    expect(inCidr(ipToBytes('100.128.0.0')!, cgnat)).toBe(false);
    expect(inCidr(ipToBytes('::ffff:100.64.0.1')!, cgnat)).toBe(false);
    expect(inCidr(unmapIPv4(ipToBytes('::ffff:100.64.0.1')!), cgnat)).toBe(true);
    expect(inCidr(ipToBytes('1.2.3.4')!, parseCidr('0.0.0.0/0')!)).toBe(true);
  });

  it('unmaps only IPv4-mapped addresses', () => {
    expect(bytesToIp(unmapIPv4(ipToBytes('::ffff:192.0.2.1')!))).toBe('192.0.2.1');
    expect(bytesToIp(unmapIPv4(ipToBytes('::ffff:0:192.0.2.1')!))).toBe('::ffff:0:c000:201');
    expect(bytesToIp(unmapIPv4(ipToBytes('64:ff9b::192.0.2.1')!))).toBe('64:ff9b::c000:201');
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.20', true],
    ['169.254.10.1', true],
    ['127.0.0.1', true],
    ['100.64.0.1', true],
    ['100.128.0.1', false],
    ['203.0.113.7', false],
    ['8.8.8.8', false],
    ['::1', true],
    ['fe80::1', true],
    ['fd12:3456::1', true],
    ['2001:db8::1', false],
    ['::ffff:192.168.0.1', true],
    ['[fe80::2]', true],
    ['1f0e2a7c-9d3b-4c1e-8a2f-0b7e5c6d4a3f.local', true],
    [null, false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it.each([
    [' 192.168.1.20 ', true], ['192.168.001.020', true], ['FE80::1', true], ['fe80::1%eth0', true], ['FD00::1', true],
    ['::ffff:c0a8:1', true], ['0:0:0:0:0:ffff:10.0.0.1', true], ['X.LOCAL', true], ['0:0:0:0:0:0:0:1', true],
    ['2002:c0a8:101::1', false], ['64:ff9b::a00:1', false], ['fec0::1', false], ['::ffff:8.8.8.8', false], ['not an address', false], ['', false],
  ])('other spellings: %j → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('isLoopbackAddress', () => {
  it('127/8, ::1 in its spellings, IPv4-mapped loopback', () => {
    for (const a of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST.', 'p2p.localhost']) expect(isLoopbackAddress(a), a).toBe(true);
  });
  it('not other addresses', () => {
    for (const a of ['10.0.0.1', '128.0.0.1', '::', '::2', 'fe80::1', '2001:db8::1', '::ffff:10.0.0.1', 'x.local', 'localhost.example.org']) expect(isLoopbackAddress(a), a).toBe(false);
  });
  it('other spellings', () => {
    for (const a of ['0000::0001', '::FFFF:7F00:1', '127.000.000.001', ' 127.0.0.1 ', '::1%lo']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['127.0.0.1:80', '::127.0.0.1', '1::1']) expect(isLoopbackAddress(a), a).toBe(false);
  });
});

describe('isGlobalIpv6', () => {
  it('global unicast', () => {
    for (const a of ['2a01:4f8::1', '2600:1f18::5', '3fff::1', '2001:4860:4860::8888', '2001:db8:1::2']) expect(isGlobalIpv6(a), a).toBe(true);
  });
  it('not link-local, unique-local, loopback, Teredo, IPv4, mDNS names', () => {
    for (const a of ['fe80::1', 'fd00::2', '::1', '2001::1', '2001:0:4136:e378::1', '192.0.2.1', 'abc.local', '::ffff:8.8.8.8']) expect(isGlobalIpv6(a), a).toBe(false);
  });
  it('other spellings', () => {
    for (const a of ['[2A01:4F8::1]', '2a01:4f8::1%eth0', ' 2a01:04f8:0000::0001 ']) expect(isGlobalIpv6(a), a).toBe(true);
    for (const a of ['2001:0000:4136::1', '4002:c0a8:101::1', '64:ff9b::8.8.8.8', '2a01:4f8::1:3478:1:2:3:4']) expect(isGlobalIpv6(a), a).toBe(false);
  });
});
