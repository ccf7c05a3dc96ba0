import { describe, expect, it } from 'vitest';
import { parseIPv6, redactJson, redactReport, redactText } from './redact-report';

describe('redactText', () => {
  it('masks every private IPv4 range and keeps public addresses', () => {
    expect(redactText('10.200.3.1:5000 172.20.1.1 172.32.0.1 192.168.1.20 100.100.0.1 169.254.9.9 127.0.0.1 8.8.8.8 203.0.113.7')).toBe(
      '10.x.x.x:5000 172.16-31.x.x 172.32.0.1 192.168.x.x 100.64-127.x.x 169.254.x.x 127.x.x.x 8.8.8.8 203.0.113.7',
    );
  });

  it('masks ULA, link-local, loopback and IPv4-mapped private IPv6, keeps global IPv6', () => {
    expect(redactText('[fd12:3456::1]:3478 fe80::1%eth0 ::1 ::ffff:192.168.0.5 2001:db8::42 [2a00:1450::e]:443')).toBe(
      '[fdxx::x]:3478 fe80::x ::x (loopback) ::ffff:192.168.x.x 2001:db8::42 [2a00:1450::e]:443',
    );
  });

  it('leaves things that only look like addresses alone', () => {
    const text = 'version 1.2.3.4.5, 12:30:45, aa:bb:cc:dd:ee:ff, 999.10.0.1, turn:example.org:3478';
    expect(redactText(text)).toBe(text);
  });

  it('masks addresses inside sentences', () => {
    expect(redactText('turn:10.0.0.1:3478?transport=udp: no answer (from 10.0.0.2:5000).')).toBe('turn:10.x.x.x:3478?transport=udp: no answer (from 10.x.x.x:5000).');
  });
});

describe('parseIPv6', () => {
  it('expands the forms browsers produce', () => {
    expect(parseIPv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('fe80::1:2')).toEqual([0xfe80, 0, 0, 0, 0, 0, 1, 2]);
    expect(parseIPv6('::ffff:10.1.2.3')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0203]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const bad of ['1:2:3', '1::2::3', '12345::1', 'g::1', '1:2:3:4:5:6:7:8:9']) expect(parseIPv6(bad)).toBeNull();
  });
});

describe('redactReport', () => {
  it('masks private addresses in every field, including ones it does not know, and marks the copy', () => {
    const report = {
      localCandidates: [{ address: '10.200.1.1', port: 5000, type: 'host' }, { address: '198.51.100.9', port: 6000, type: 'srflx' }],
      selectedPairHistory: [{ local: '10.200.1.1:5000', remote: '[fd00::2]:7000' }],
      errors: [{ message: 'stun:192.168.0.1:3478: timeout' }],
      somethingNew: { nested: ['172.16.0.1'] },
      count: 10,
      flag: null,
    };
    const out = redactReport(report);
    expect(JSON.stringify(out)).not.toMatch(/10\.200|fd00::2|192\.168\.0|172\.16\.0\.1/);
    expect(out.localCandidates[1]!.address).toBe('198.51.100.9');
    expect(out.localCandidates[0]).toEqual({ address: '10.x.x.x', port: 5000, type: 'host' });
    expect(out.count).toBe(10);
    expect(out.flag).toBeNull();
    expect((out as { redacted?: boolean }).redacted).toBe(true);
    // The input is not changed.
    expect(report.localCandidates[0]!.address).toBe('10.200.1.1');
    expect(redactJson(['127.0.0.1'])).toEqual(['127.x.x.x']);
  });
});
