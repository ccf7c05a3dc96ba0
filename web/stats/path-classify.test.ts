import { describe, expect, it } from 'vitest';
import { classifyPath, pathAsymmetry, relayKind, type PathEnd } from './path-classify';

const end = (type: PathEnd['type'], address: string | null, port = 5000, relayProtocol: string | null = null): PathEnd => ({
  type,
  address,
  port,
  relayProtocol,
});

describe('classifyPath', () => {
  it('two host candidates on private addresses are a direct LAN path', () => {
    expect(classifyPath({ local: end('host', '192.168.1.2'), remote: end('host', '192.168.1.3') })).toBe('direct-lan');
  });

  it('loopback test host pairs are direct LAN', () => {
    expect(classifyPath({ local: end('host', '127.0.0.1'), remote: end('host', '127.0.0.1', 6000) })).toBe('direct-lan');
  });

  it('two host candidates on the same address are one machine, so the same network', () => {
    expect(classifyPath({ local: end('host', '192.0.2.2', 43909), remote: end('host', '192.0.2.2', 35282) })).toBe('direct-lan');
  });

  it('two public host candidates are direct over public addresses', () => {
    expect(classifyPath({ local: end('host', '198.51.100.2'), remote: end('host', '203.0.113.9') })).toBe('direct-public');
  });

  it('a server-reflexive or peer-reflexive end means NAT traversal', () => {
    expect(classifyPath({ local: end('host', '192.168.1.2'), remote: end('srflx', '203.0.113.9') })).toBe('p2p-nat');
    expect(classifyPath({ local: end('srflx', '198.51.100.2'), remote: end('host', '10.0.0.3') })).toBe('p2p-nat');
    expect(classifyPath({ local: end('host', '192.168.1.2'), remote: end('prflx', '203.0.113.9') })).toBe('p2p-nat');
  });

  it('a private host talking to a public host goes through our NAT', () => {
    expect(classifyPath({ local: end('host', '192.168.1.2'), remote: end('host', '203.0.113.9') })).toBe('p2p-nat');
  });

  it('a local relay candidate decides the relay protocol', () => {
    expect(classifyPath({ local: end('relay', '203.0.113.1', 50000, 'udp'), remote: end('host', '10.0.0.3') })).toBe('relay-udp');
    expect(classifyPath({ local: end('relay', '203.0.113.1', 50000, 'tcp'), remote: end('relay', '203.0.113.1') })).toBe('relay-tcp');
    expect(classifyPath({ local: end('relay', '203.0.113.1', 50000, 'tls'), remote: end('host', '10.0.0.3') })).toBe('relay-tls');
  });

  it('a remote relay candidate is a relayed path even when the local end is host', () => {
    expect(classifyPath({ local: end('host', '10.0.0.2'), remote: end('relay', '203.0.113.1') })).toBe('relay-udp');
  });

  it("uses the peer's own view when our remote candidate is peer-reflexive but the peer sent from its relay", () => {
    const remote = end('prflx', '203.0.113.1', 50001);
    const peerLocal = end('relay', '203.0.113.1', 50001, 'tcp');
    expect(classifyPath({ local: end('host', '192.168.1.2'), remote, peerLocal })).toBe('relay-tcp');
  });

  it("does not trust a peer view matched by port alone (hidden prflx address, port-preserving NAT)", () => {
    const remote = end('prflx', null, 49437);
    expect(classifyPath({ local: end('host', '192.168.1.2'), remote, peerLocal: end('host', '10.0.0.5', 49437) })).toBe('p2p-nat');
  });

  it("ignores a peer view that describes a different candidate than the one we see", () => {
    const remote = end('prflx', '203.0.113.9', 40000);
    const peerLocal = end('host', '192.168.5.5', 40000);
    expect(classifyPath({ local: end('host', '192.168.1.2'), remote, peerLocal })).toBe('p2p-nat');
  });

  it('a peer-reflexive remote on a private address is still the same network', () => {
    expect(classifyPath({ local: end('host', '10.0.0.2'), remote: end('prflx', '10.0.0.3') })).toBe('direct-lan');
  });

  it('a server-reflexive end between private addresses is still NAT traversal (carrier-grade or double NAT)', () => {
    expect(classifyPath({ local: end('srflx', '10.0.0.2'), remote: end('host', '10.0.0.3') })).toBe('p2p-nat');
    expect(classifyPath({ local: end('host', '10.0.0.2'), remote: end('srflx', '10.0.0.3') })).toBe('p2p-nat');
    expect(classifyPath({ local: end('srflx', '100.64.0.2'), remote: end('srflx', '100.64.0.3') })).toBe('p2p-nat');
  });

  it('one address at both ends means one machine only for two host candidates', () => {
    expect(classifyPath({ local: end('srflx', '203.0.113.5', 40000), remote: end('host', '203.0.113.5', 40001) })).toBe('p2p-nat');
    expect(classifyPath({ local: end('host', '203.0.113.5', 40000), remote: end('prflx', '203.0.113.5', 40001) })).toBe('p2p-nat');
    expect(classifyPath({ local: end('host', '203.0.113.5', 40000), remote: end('srflx', '203.0.113.5', 40001) })).toBe('p2p-nat');
  });

  it('unknown addresses are neither the same machine nor public', () => {
    expect(classifyPath({ local: end('host', null, 40000), remote: end('host', null, 40001) })).toBe('p2p-nat');
    expect(classifyPath({ local: end('host', null), remote: end('host', '203.0.113.9') })).toBe('p2p-nat');
    expect(classifyPath({ local: end('host', '198.51.100.2'), remote: end('host', null) })).toBe('p2p-nat');
  });

  it('direct-public needs two public host candidates', () => {
    expect(classifyPath({ local: end('host', '198.51.100.2'), remote: end('host', '192.168.1.3') })).toBe('p2p-nat');
    expect(classifyPath({ local: end('srflx', '198.51.100.2'), remote: end('host', '203.0.113.9') })).toBe('p2p-nat');
    expect(classifyPath({ local: end('host', '198.51.100.2'), remote: end('prflx', '203.0.113.9') })).toBe('p2p-nat');
  });

  it("trusts the peer's view only for the exact address and port we see", () => {
    const local = end('host', '192.168.1.2');
    const viaRelay = (address: string | null, port: number) => end('relay', address, port, 'tcp');
    // A hidden far address cannot be matched, even by a peer view that hides its own address too.
    expect(classifyPath({ local, remote: end('prflx', null, 49437), peerLocal: viaRelay(null, 49437) })).toBe('p2p-nat');
    expect(classifyPath({ local, remote: end('prflx', '203.0.113.9', 40000), peerLocal: viaRelay('203.0.113.1', 40000) })).toBe('p2p-nat');
    expect(classifyPath({ local, remote: end('prflx', '203.0.113.1', 40000), peerLocal: viaRelay('203.0.113.1', 40001) })).toBe('p2p-nat');
    expect(classifyPath({ local, remote: end('prflx', '203.0.113.1', 40000), peerLocal: viaRelay('203.0.113.1', 40000) })).toBe('relay-tcp');
  });
});

describe('relayKind', () => {
  it('names the relay by the protocol its end uses to reach the TURN server, in any case', () => {
    expect(relayKind('tcp')).toBe('relay-tcp');
    expect(relayKind('TCP')).toBe('relay-tcp');
    expect(relayKind('tls')).toBe('relay-tls');
    expect(relayKind('Tls')).toBe('relay-tls');
    expect(relayKind('udp')).toBe('relay-udp');
  });
  it('takes UDP when the browser does not say (the default transport to a TURN server)', () => {
    expect(relayKind(null)).toBe('relay-udp');
    expect(relayKind(undefined)).toBe('relay-udp');
  });
});

describe('pathAsymmetry', () => {
  const host = (address: string | null, port: number): PathEnd => ({ type: 'host', address, port, relayProtocol: null });
  const relay = (address: string, port: number): PathEnd => ({ type: 'relay', address, port, relayProtocol: 'udp' });
  const prflx = (address: string | null, port: number): PathEnd => ({ type: 'prflx', address, port, relayProtocol: null });

  it('this side sends to the peer\u2019s relay while the peer sends from its host address (seen in the NAT lab)', () => {
    const text = pathAsymmetry({ local: host('198.51.100.101', 48928), remote: relay('198.51.100.1', 52152), peerLocal: host('198.51.100.102', 50675) });
    expect(text).toMatch(/sends to the other peer's TURN relay, while the other peer sends from its own host address/);
  });
  it('the peer sends from its relay while this side sends to its direct address', () => {
    expect(pathAsymmetry({ local: host('10.0.0.2', 1), remote: prflx('203.0.113.9', 4000), peerLocal: relay('198.51.100.1', 5000) })).toMatch(/other peer sends through its TURN relay/);
  });
  it('is silent when both use the same relayed pair, even when we see the relay as prflx', () => {
    expect(pathAsymmetry({ local: host('10.0.0.2', 1), remote: prflx('198.51.100.1', 5000), peerLocal: relay('198.51.100.1', 5000) })).toBeNull();
    expect(pathAsymmetry({ local: relay('198.51.100.1', 6000), remote: relay('198.51.100.1', 5000), peerLocal: relay('198.51.100.1', 5000) })).toBeNull();
  });
  it('is silent for direct pairs, without the peer\u2019s view, and when the far address is hidden', () => {
    expect(pathAsymmetry({ local: host('10.0.0.2', 1), remote: prflx('203.0.113.9', 4000), peerLocal: host('10.1.0.2', 4000) })).toBeNull();
    expect(pathAsymmetry({ local: host('10.0.0.2', 1), remote: relay('198.51.100.1', 5000), peerLocal: null })).toBeNull();
    expect(pathAsymmetry({ local: host('10.0.0.2', 1), remote: prflx(null, 5000), peerLocal: relay('198.51.100.1', 5000) })).toBeNull();
  });
});
