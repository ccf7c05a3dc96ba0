// werift behind the browser's RTCPeerConnection interface, against p2pcheck's own STUN/TURN server on loopback:
// what web/diagnosis reads from a browser (srflx candidates with url, icecandidateerror, relay-protocol) is there.
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestCredential } from '../../turn/auth/rest-credentials';
import { startServerForTest, TEST_SECRET } from '../../turn/testing/test-server';
import { startGathering, runRelayTest } from '../../web/diagnosis/peer-tests';
import { splitIceServers, stunTarget, turnTransportOf, weriftPcFactory } from './werift-peer-connection';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function factory() {
  const f = weriftPcFactory();
  cleanups.push(() => f.closeAll());
  return f.factory;
}

describe('werift as the diagnosis peer', () => {
  it('asks every STUN server from the same socket: one srflx with its url per server that answers, 701 for one that does not', async () => {
    const server = await startServerForTest(cleanups, { TURN_ALT_PORT: '0' });
    const silent = createSocket('udp4');
    silent.bind(0, '127.0.0.1');
    await once(silent, 'listening');
    cleanups.push(async () => silent.close());
    const silentUrl = `stun:127.0.0.1:${silent.address().port}`;
    const urls = [`stun:127.0.0.1:${server.udpPort}`, `stun:127.0.0.1:${server.altPort}`, silentUrl];
    const g = await startGathering({ iceServers: urls.map((u) => ({ urls: u })) }, factory());
    await g.until(() => false, 8000);
    expect(g.complete).toBe(true);
    const srflx = g.candidates.filter((c) => c.type === 'srflx');
    expect(srflx.map((c) => c.url).sort()).toEqual(urls.slice(0, 2).sort());
    // Both answers name the same mapped address: one local socket, no NAT on loopback.
    expect(new Set(srflx.map((c) => `${c.address}:${c.port}`)).size).toBe(1);
    expect(srflx[0]!.relatedPort).toBe(srflx[0]!.port);
    const host = g.candidates.find((c) => c.type === 'host' && c.port === srflx[0]!.relatedPort);
    expect(host).toBeDefined();
    expect(g.errors).toEqual([expect.objectContaining({ url: silentUrl, code: 701 })]);
  });

  it('without a STUN server werift asks none (its fallback to a public Google server is off)', async () => {
    const g = await startGathering({ iceServers: [] }, factory());
    await g.until(() => false, 5000);
    expect(g.complete).toBe(true);
    expect(g.candidates.filter((c) => c.type !== 'host')).toEqual([]);
    const connection = (g.pc as unknown as { pc: { iceTransports: { connection: { stunServer?: unknown } }[] } }).pc.iceTransports[0]!.connection;
    expect(connection.stunServer).toBeUndefined();
  });

  it('ICE is not "connected" or "completed" without a working pair (werift says "completed" when gathering ends)', async () => {
    const g = await startGathering({ iceServers: [] }, factory());
    const seen: string[] = [];
    g.pc.oniceconnectionstatechange = () => seen.push(g.pc.iceConnectionState);
    await g.until(() => false, 5000);
    expect(g.complete).toBe(true);
    // Nobody was ever asked: no remote description, no check sent.
    expect(g.pc.iceConnectionState).not.toMatch(/^(connected|completed)$/);
    expect(seen.filter((s) => s === 'connected' || s === 'completed')).toEqual([]);
  });

  it('a relay over TURN/TCP is reported as relay-protocol tcp', async () => {
    const server = await startServerForTest(cleanups);
    const cred = createRestCredential(TEST_SECRET, { ttlSeconds: 600, id: 'cli' });
    const r = await runRelayTest({ urls: `turn:127.0.0.1:${server.tcpPort}?transport=tcp`, username: cred.username, credential: cred.credential }, 'tcp', 5000, factory());
    expect(r.result).toBe('ok');
    expect(r.relay?.relayProtocol).toBe('tcp');
    expect(server.counters().tcpConnections).toBeGreaterThan(0);
  });

  it('reads ICE server URLs as werift uses them', () => {
    expect(splitIceServers([{ urls: ['stun:a:1', 'turn:a:1?transport=tcp'], username: 'u', credential: 'c' }, { urls: 'turns:b:443' }])).toEqual({
      stun: ['stun:a:1'],
      turn: [{ urls: ['turn:a:1?transport=tcp'], username: 'u', credential: 'c' }, { urls: ['turns:b:443'] }],
    });
    expect(turnTransportOf('turns:b:443?transport=tcp')).toBe('tls');
    expect(turnTransportOf('turn:b:3478?transport=tcp')).toBe('tcp');
    expect(turnTransportOf('turn:b:3478')).toBe('udp');
    expect(stunTarget('stun:[2001:db8::1]:3479')).toEqual(['2001:db8::1', 3479]);
    expect(stunTarget('stun:example.org')).toEqual(['example.org', 3478]);
    expect(stunTarget('stun:example.org:0')).toBeNull();
  });
});
