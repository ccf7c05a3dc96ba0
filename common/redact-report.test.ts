import { describe, expect, it } from 'vitest';
import { redactJson, redactReport, redactText } from './redact-report';
import { fullReport } from './testdata/full-report';

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

describe('every spelling', () => {
  it.each([
    // [text, what must not survive, what the mask keeps]
    ['(from fd12:3456::7:50000)', 'fd12:3456::7', '(from fdxx::x:50000)'], // errors[].message: addr:port, no brackets
    ['remote fe80::1ff:fe23:4567:890a:3478 failed', '890a', 'remote fe80::x failed'], // also a whole address: the port goes too
    ['FD00:0000:0000:0000:0000:0000:0000:0001', 'FD00', 'fdxx::x'],
    ['[fe80::1%25eth0]:3478', 'eth0', '[fe80::x]:3478'],
    ['fe80::abcd%eth0 up', 'abcd', 'fe80::x up'],
    ['::ffff:10.0.0.1:5000', '10.0.0.1', '::ffff:10.x.x.x:5000'],
    ['::ffff:a00:1', 'a00:1', '::ffff:10.x.x.x'],
    ['::FFFF:C0A8:0101', 'C0A8', '::ffff:192.168.x.x'],
    ['::10.1.2.3', '10.1.2.3', '::10.x.x.x'],
    ['64:ff9b::192.168.7.7', '192.168.7.7', '64:ff9b::192.168.x.x'],
    ['64:ff9b::ac10:101', 'ac10:101', '64:ff9b::172.16-31.x.x'],
    ['2002:c0a8:0101::1', 'c0a8', '2002:x (6to4 of 192.168.x.x)'],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', '63bf', '2001:x (Teredo, 10.x.x.x)'], // client 10.0.0.1 (XOR 0xff)
    ['code:fd00::2', 'fd00::2', 'code:fdxx::x'],
    ['addr=[::1]:9', '::1]', 'addr=[::x (loopback)]:9'],
    ['010.001.002.003:80', '010.001', '10.x.x.x:80'],
    ['turn:100.64.1.1:3478?transport=udp', '100.64.1.1', 'turn:100.64-127.x.x:3478?transport=udp'],
    ['a5f3e1b2-0c4d-4e5f-8a9b-0123456789ab.local:5000', 'a5f3e1b2', 'x.local:5000'],
    ['MY-LAPTOP.LOCAL', 'LAPTOP', 'x.local'],
    ['198.18.0.9 240.1.2.3 192.0.0.8', '.9', '198.18-19.x.x 240-255.x.x.x 192.0.0.x'],
    ['turn:%5Bfd00::9%5D:3478', 'fd00::9', 'turn:%5Bfdxx::x%5D:3478'], // URL-encoded brackets
  ])('%s', (text, secret, masked) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toBe(masked);
  });

  it('keeps public addresses in the same spellings', () => {
    const text = '2a00:1450:4001:82b::200e:443 [2001:db8::1]:3478 64:ff9b::8.8.8.8 ::ffff:1.1.1.1 2002:0808:0808::1 8.8.8.8:53 ff02::1 224.0.0.251 0.0.0.0 :: localhost';
    expect(redactText(text)).toBe(text);
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

  it('with a span budget: a full report fits in a small one; a report with more address-like spans gives null', () => {
    expect(redactReport(fullReport(), 200)).toEqual(redactReport(fullReport()));
    const crammed = { errors: Array.from({ length: 10 }, () => ({ message: '10.0.0.1 fd00::1:5000 '.repeat(20) })) };
    expect(redactReport(crammed, 399)).toBeNull(); // 10 × 20 × 2 addresses
    expect(redactReport(crammed, 400)).not.toBeNull();
  });
});
