import { describe, expect, it } from 'vitest';
import { parseCandidateLine, splitPriority } from './candidate-line';

describe('parseCandidateLine', () => {
  it('reads a Chromium host candidate', () => {
    const c = parseCandidateLine('candidate:3120906232 1 udp 2122260223 10.200.0.2 53761 typ host generation 0 ufrag Zx2k network-id 1');
    expect(c).toMatchObject({ foundation: '3120906232', component: 1, protocol: 'udp', priority: 2122260223, address: '10.200.0.2', port: 53761, type: 'host' });
  });

  it('reads related address and tcp type', () => {
    const c = parseCandidateLine('candidate:1 1 TCP 1518280447 192.168.1.5 9 typ host tcptype active generation 0');
    expect(c).toMatchObject({ protocol: 'tcp', port: 9, tcpType: 'active' });
    const r = parseCandidateLine('candidate:2 1 udp 41885439 203.0.113.1 50012 typ relay raddr 198.51.100.4 rport 61000 generation 0');
    expect(r).toMatchObject({ type: 'relay', relatedAddress: '198.51.100.4', relatedPort: 61000 });
  });

  it('accepts the a= prefix and IPv6', () => {
    expect(parseCandidateLine('a=candidate:9 1 udp 2122262783 fd00::2 40000 typ host')?.address).toBe('fd00::2');
  });

  it('returns null on garbage instead of throwing', () => {
    for (const bad of ['', 'candidate:', 'candidate:1 1 udp x 1.2.3.4 5 typ host', 'candidate:1 1 sctp 1 1.2.3.4 5 typ host', 'candidate:1 1 udp 1 1.2.3.4 5 typ weird']) {
      expect(parseCandidateLine(bad)).toBeNull();
    }
  });
});

describe('splitPriority', () => {
  it('splits like the trickle-ice sample', () => {
    expect(splitPriority(2122260223)).toEqual({ typePref: 126, localPref: 32542, component: 1 });
    expect(splitPriority(41885439)).toEqual({ typePref: 2, localPref: 32542, component: 1 });
  });
});
