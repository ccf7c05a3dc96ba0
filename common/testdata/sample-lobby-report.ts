// A small but complete lobby report for tests: three members (the saving page "a", a peer "b" it reached directly,
// a peer "c" that left after a relayed link), their broadcast diagnoses, both sides' link views, the cells, and the
// page's two pair reports (a two-person report each, with private addresses to mask).
import type { LobbyReport } from '../lobby-report';
import { diagnosisWireSchema } from '../nat/diagnosis-schema';
import { fullReport } from './full-report';
import { sampleReport } from './sample-report';

export function sampleLobbyReport(): LobbyReport {
  const diagnosis = diagnosisWireSchema.parse(JSON.parse(JSON.stringify(fullReport().diagnosis!.local)));
  const link = (path: 'p2p-nat' | 'relay-udp', rttMs: number) => ({ state: 'connected' as const, path, rttMs, jitterMs: 0.4, lossPct: 0, at: 900 });
  return {
    kind: 'lobby',
    version: 1,
    roomId: 'AAAAAAAAAAAAAAAAAAAAAA',
    createdAt: 1_764_000_000_000,
    savedAt: 1_764_000_060_000,
    capacity: 8,
    selfId: 'a',
    members: [
      { peerId: 'a', name: 'Ana (Linux, Chromium)', self: true, joinedAt: 0, leftAt: null, diagnosis },
      { peerId: 'b', name: 'Bo', self: false, joinedAt: 400, leftAt: null, diagnosis: { ...diagnosis, hostAddresses: ['192.168.1.20'] } },
      { peerId: 'c', name: 'Cy', self: false, joinedAt: 800, leftAt: 30_000, diagnosis: null },
    ],
    links: {
      a: { b: link('p2p-nat', 12), c: link('relay-udp', 40) },
      b: { a: link('p2p-nat', 14), c: link('relay-udp', 44) },
      c: { a: link('relay-udp', 41) },
    },
    cells: [
      { a: 'a', b: 'b', state: 'connected', path: 'p2p-nat', rttMs: 13, agreement: 'agree', predicted: 'direct', check: 'agree', mismatch: false },
      { a: 'a', b: 'c', state: 'left', path: 'relay-udp', rttMs: 40.5, agreement: 'agree', predicted: null, check: null, mismatch: false },
      { a: 'b', b: 'c', state: 'left', path: 'relay-udp', rttMs: 44, agreement: 'one-side', predicted: null, check: null, mismatch: false },
    ],
    pairs: [
      { peerId: 'b', trimmed: false, report: fullReport() },
      { peerId: 'c', trimmed: false, report: { ...sampleReport(), peerState: 'peer-left' } },
    ],
  };
}
