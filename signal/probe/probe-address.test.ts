import { describe, expect, it } from 'vitest';
import { probeAddressSource, type ProbeAddressConfig } from './probe-address';

const none: ProbeAddressConfig = { iceHost: null, externalIp: null, turnListen: null };

describe('probe candidate address (configuration only)', () => {
  it('takes ICE_HOST, then TURN_EXTERNAL_IP, then a specific TURN_LISTEN, then the connection\u2019s local address', async () => {
    const at = (c: Partial<ProbeAddressConfig>, local?: string) => probeAddressSource(() => ({ ...none, ...c }))(local);
    expect(await at({ iceHost: '203.0.113.9', externalIp: '198.51.100.1' }, '10.0.0.2')).toBe('203.0.113.9');
    expect(await at({ iceHost: '[2001:db8::9]' })).toBe('2001:db8::9');
    expect(await at({ externalIp: '198.51.100.1', turnListen: '10.0.0.2' }, '10.0.0.3')).toBe('198.51.100.1');
    expect(await at({ turnListen: '10.0.0.2' }, '10.0.0.3')).toBe('10.0.0.2');
    expect(await at({ turnListen: '0.0.0.0' }, '::ffff:10.0.0.3')).toBe('10.0.0.3');
    expect(await at({ turnListen: '::' }, '2001:db8::3')).toBe('2001:db8::3');
    expect(await at({}, undefined)).toBeNull();
  });

  it('resolves a configured ICE_HOST name, at most once a minute; a failed lookup gives null', async () => {
    const asked: string[] = [];
    let t = 0;
    let answer: string | null = '198.51.100.20';
    const resolve = async (name: string) => {
      asked.push(name);
      if (answer === null) throw new Error('ENOTFOUND');
      return answer;
    };
    const source = probeAddressSource(() => ({ ...none, iceHost: 'p2p.example.org' }), resolve, () => t);
    expect(await source('10.0.0.3')).toBe('198.51.100.20');
    t = 59_000;
    expect(await source('10.0.0.3')).toBe('198.51.100.20');
    expect(asked).toEqual(['p2p.example.org']);
    t = 61_000;
    answer = null;
    expect(await source('10.0.0.3')).toBeNull();
    expect(asked).toHaveLength(2);
  });
});
