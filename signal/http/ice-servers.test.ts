import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildIceServers, hostFromHeader } from './ice-servers';

describe('buildIceServers', () => {
  const nowMs = 1_700_000_000_000;
  const base = { host: 'example.org', secret: 's3cret', ttlSeconds: 600, nowMs };

  it('hands out the bundled STUN and TURN URLs with a REST credential a TURN server can verify', () => {
    const res = buildIceServers({ ...base, turn: { udpPort: 3478, tcpPort: 3478, tlsPort: null } });
    expect(res.ttl).toBe(600);
    expect(res.iceServers[0]).toEqual({ urls: ['stun:example.org:3478'] });
    const turn = res.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:example.org:3478?transport=udp', 'turn:example.org:3478?transport=tcp']);
    const [expiry, id] = turn.username!.split(':');
    expect(Number(expiry)).toBe(nowMs / 1000 + 600);
    expect(id!.length).toBeGreaterThan(8);
    // The password a coturn with static-auth-secret would compute for this username.
    expect(turn.credential).toBe(createHmac('sha1', 's3cret').update(turn.username!).digest('base64'));
  });

  it('adds turns: when TLS is configured and brackets IPv6 literals', () => {
    const res = buildIceServers({ ...base, host: '2001:db8::1', turn: { udpPort: 3478, tcpPort: null, tlsPort: 5349 } });
    expect(res.iceServers[0]!.urls).toEqual(['stun:[2001:db8::1]:3478']);
    expect(res.iceServers[1]!.urls).toEqual(['turn:[2001:db8::1]:3478?transport=udp', 'turns:[2001:db8::1]:5349?transport=tcp']);
  });

  it('gives every request its own username', () => {
    const t = { udpPort: 3478, tcpPort: null, tlsPort: null };
    expect(buildIceServers({ ...base, turn: t }).iceServers[1]!.username).not.toBe(buildIceServers({ ...base, turn: t }).iceServers[1]!.username);
  });
});

describe('hostFromHeader', () => {
  it.each([
    ['example.org:8080', 'example.org'],
    ['10.0.0.5', '10.0.0.5'],
    ['[::1]:8080', '::1'],
    ['evil.org/?x=', null],
    ['a b', null],
    [undefined, null],
  ])('%s → %s', (header, host) => expect(hostFromHeader(header)).toBe(host));
});
