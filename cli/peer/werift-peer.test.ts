// The headless peer's RTCPeerConnection against p2pcheck's own TURN server on loopback: two of them, relay only, with
// the TURN transport the probe chose — werift allocates over that one, and the stats say so (relayProtocol), as a
// browser's do; without that, every relay read as "relay-udp".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../signal/app';
import type { TurnTransport } from './turn-transport';
import { createWeriftPeerConnectionFactory } from './werift-peer';

let app: RunningApp;
let iceServers: RTCIceServer[];
beforeAll(async () => {
  const env = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: '0', STATIC_DIR: mkdtempSync(join(tmpdir(), 'p2pcheck-wp-static-')), DATA_DIR: mkdtempSync(join(tmpdir(), 'p2pcheck-wp-data-')) };
  app = await startApp(env, []);
  const res = await fetch(`http://127.0.0.1:${app.httpPort}/api/ice-servers`);
  iceServers = ((await res.json()) as { iceServers: RTCIceServer[] }).iceServers;
});
afterAll(async () => {
  await app?.close();
});

type StatLike = { type: string; candidateType?: string; relayProtocol?: string; state?: string; nominated?: boolean; localCandidateId?: string; id: string };

/** Two relay-only peers made by the factory, connected through the TURN server; the relay protocol of the local
 *  candidate of the first one's nominated pair. */
async function relayProtocolOfConnectedPair(turnTransport: TurnTransport | null): Promise<string | undefined> {
  const make = createWeriftPeerConnectionFactory({ hostAddresses: ['127.0.0.1'], turnTransport });
  const a = make({ iceServers, iceTransportPolicy: 'relay' });
  const b = make({ iceServers, iceTransportPolicy: 'relay' });
  try {
    a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
    b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
    a.createDataChannel('x');
    const connected = new Promise<void>((resolve) => (a.onconnectionstatechange = () => a.connectionState === 'connected' && resolve()));
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    await connected;
    const stats = [...(await a.getStats()).values()] as StatLike[];
    const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated);
    return stats.find((s) => s.id === pair?.localCandidateId)?.relayProtocol;
  } finally {
    a.close();
    b.close();
  }
}

describe('the headless peer\'s RTCPeerConnection (werift)', () => {
  it('relays over the TURN transport it is given, and names it in the stats', { timeout: 60_000 }, async () => {
    expect(await relayProtocolOfConnectedPair('tcp')).toBe('tcp');
    expect(await relayProtocolOfConnectedPair(null)).toBe('udp'); // the server's order: UDP first
  });
});
