// A small but complete report for tests (shaped like what two browsers on 10.200.x.x produce).
import type { ConnectivityReport } from '../report';

export function sampleReport(): ConnectivityReport {
  const local = { id: 'Ilocal1', type: 'host' as const, protocol: 'udp' as const, address: '10.200.11.1', port: 50000, priority: 2122260223, relayProtocol: null, url: null, at: 12 };
  const remote = { id: 'Iremote1', type: 'host' as const, protocol: 'udp' as const, address: '10.200.11.1', port: 50001, priority: 2122260223, relayProtocol: null, url: null, at: 40 };
  const relay = { id: 'Ilocal2', type: 'relay' as const, protocol: 'udp' as const, address: '203.0.113.5', port: 49160, priority: 41885439, relayProtocol: 'udp', url: 'turn:10.200.11.1:3478?transport=udp', at: 60 };
  return {
    version: 1,
    roomId: 'AAAAAAAAAAAAAAAAAAAAAA',
    createdAt: 1_764_000_000_000,
    startedAt: 1_764_000_001_000,
    relayOnly: false,
    peerState: 'connected',
    path: { kind: 'direct-lan', label: 'direct (same network)', settled: true, settleMs: 3000 },
    selectedPair: { local, remote, currentRtt: 0.001 },
    selectedPairHistory: [
      { at: 90, localType: 'relay', remoteType: 'host', local: '203.0.113.5:49160', remote: '10.200.11.1:50001', path: 'relay-udp' },
      { at: 140, localType: 'host', remoteType: 'host', local: '10.200.11.1:50000', remote: '10.200.11.1:50001', path: 'direct-lan' },
    ],
    localCandidates: [local, relay],
    remoteCandidates: [remote],
    pairs: [
      { id: 'CP1', localId: 'Ilocal1', remoteId: 'Iremote1', state: 'succeeded', nominated: true, requestsSent: 3, responsesReceived: 3, currentRtt: 0.001, bytesSent: 4000, bytesReceived: 4000 },
      { id: 'CP2', localId: 'Ilocal2', remoteId: 'Iremote1', state: 'succeeded', nominated: false, requestsSent: 2, responsesReceived: 2, currentRtt: 0.002, bytesSent: 100, bytesReceived: 100 },
    ],
    rtt: { samples: [{ at: 500, rtt: 1.2 }, { at: 1000, rtt: 0.9 }], min: 0.9, avg: 1.05, max: 1.2 },
    timings: { peerJoined: 0, firstCandidate: 12, connected: 95, pathSettled: 3140 },
    iceServers: [{ urls: ['stun:10.200.11.1:3478', 'turn:10.200.11.1:3478?transport=udp'] }],
    errors: [{ at: 30, source: 'ice', code: 701, message: 'stun:10.200.11.1:3479: STUN host lookup received error. (from 10.200.11.1:50000)' }],
  };
}
