// Hand-built lobby states for the matrix, summary, host-choice and lobby-report tests: members with real
// "Check my network" facts (the verdict is rebuilt from them, as for a peer's broadcast) and per-side links.
import type { CallDirection, CallLevel, CallTest } from '../../common/call-report';
import type { LinkSummary } from '../../common/messages';
import { verdictFacts, type DiagnosisResult } from '../../common/nat/diagnosis-result';
import { diagnosisWireSchema, type DiagnosisWire } from '../../common/nat/diagnosis-schema';
import { natVerdict } from '../../common/nat/nat-verdict';
import type { PathKind } from '../../common/path-kind';
import { emptyDiagnosis } from '../diagnosis/run-diagnosis';
import type { LobbyMember, LobbyState } from './lobby-types';

export type NatSpec = 'open' | 'full-cone' | 'restricted-cone' | 'port-restricted-cone' | 'symmetric' | 'udp-blocked' | 'unchecked';

const BEHAVIOR: Record<Exclude<NatSpec, 'unchecked' | 'udp-blocked'>, [DiagnosisResult['mapping']['result']['behavior'], DiagnosisResult['filtering']['result']['behavior']]> = {
  open: ['EIM', 'EIF'],
  'full-cone': ['EIM', 'EIF'],
  'restricted-cone': ['EIM', 'ADF'],
  'port-restricted-cone': ['EIM', 'APDF'],
  symmetric: ['APDM', 'APDF'],
};

/** A finished diagnosis of one NAT kind as it crosses the wire (facts only), each member on its own public address. */
export function diagnosisWire(nat: Exclude<NatSpec, 'unchecked'>, n: number): DiagnosisWire {
  const r = emptyDiagnosis('bundled', 1_764_000_000_000);
  r.state = 'done';
  r.hostAddresses = [`10.0.${n}.2`];
  r.serverAddress = '203.0.113.1';
  if (nat === 'udp-blocked') {
    r.reachability = { ...r.reachability, udp: 'no-answer', tcpRelay: 'ok', tlsRelay: 'not-configured', ipv6: 'none', tcpRelayPort: 3478, reasons: { ...r.reachability.reasons, udp: 'no answer over UDP within 3 s' } };
    r.mapping.result = { behavior: 'not-determined', evidence: 'no UDP' };
    r.filtering.result = { behavior: 'not-determined', evidence: 'no UDP' };
  } else {
    r.reachability = { ...r.reachability, udp: 'answered', udpMs: 20, tcpRelay: 'ok', tlsRelay: 'not-configured', ipv6: 'none', tcpRelayPort: 3478 };
    const [m, f] = BEHAVIOR[nat];
    r.mapping.result = { behavior: m, evidence: 'seen' };
    r.filtering.result = { behavior: f, evidence: 'seen' };
    r.publicAddress = nat === 'open' ? 'yes' : 'no';
    r.mappedAddress = { address: nat === 'open' ? `198.51.100.${n}` : `198.51.100.${n}`, port: 40000 + n };
    if (nat === 'open') r.hostAddresses = [`198.51.100.${n}`];
  }
  r.verdict = natVerdict(verdictFacts(r));
  return diagnosisWireSchema.parse(JSON.parse(JSON.stringify(r)));
}

export interface MemberSpec {
  id: string;
  name: string;
  nat: NatSpec;
  self?: boolean;
  left?: boolean;
}

export function link(path: PathKind | null, rttMs: number | null = null, state: LinkSummary['state'] = path ? 'connected' : 'connecting'): LinkSummary {
  return { state, path, rttMs, jitterMs: null, lossPct: null, at: 1000 };
}

/** A lobby of `specs` in join order; `links` as [from, to, summary] (add both sides for an agreed pair with `both`). */
export function lobbyState(specs: MemberSpec[], links: [string, string, LinkSummary][] = []): LobbyState {
  const members: Record<string, LobbyMember> = {};
  specs.forEach((s, i) => {
    members[s.id] = {
      peerId: s.id,
      name: s.name,
      self: s.self ?? false,
      joinedAt: i * 100,
      leftAt: s.left ? 50_000 : null,
      diagnosis: s.nat === 'unchecked' ? null : diagnosisWire(s.nat, i + 1),
    };
  });
  const out: LobbyState['links'] = {};
  for (const [from, to, l] of links) (out[from] ??= {})[to] = l;
  return {
    roomId: 'AAAAAAAAAAAAAAAAAAAAAA',
    selfId: specs.find((s) => s.self)?.id ?? null,
    capacity: 8,
    members,
    links: out,
    full: false,
    fatal: null,
    sweep: { queued: [], running: null, waiting: false, finished: 0 },
    asked: [],
  };
}

/** Both sides' summaries of one pair with the same path and RTT. */
export const both = (a: string, b: string, path: PathKind | null, rttMs: number | null = null): [string, string, LinkSummary][] => [
  [a, b, link(path, rttMs)],
  [b, a, link(path, rttMs)],
];

/** A finished call test as one end of a pair stores it: SD video this way, audio only the other. */
export function sampleCall(): CallTest {
  const direction = (level: CallLevel, label: string, height: number, fps: number, bitrateBps: number, reasons: string[]): CallDirection => ({
    summary: {
      seconds: 10, bitrateBps, fps, width: Math.round((height * 16) / 9), height, framesDecoded: fps * 10, freezeCount: 0, freezeMs: 0, lossRatio: 0.001,
      jitterMs: 3, jitterBufferMs: 40, nackCount: 0, pliCount: 0, audioConcealedRatio: 0, rttMs: 12, bandwidthEstimateBps: null, qualityLimitation: 'none', mos: 4.3,
    },
    verdict: { level, label, reasons },
    series: [{ at: 1, bps: bitrateBps, fps, height }],
  });
  return {
    version: 1, status: 'done', reason: null, startedAt: 5000, durationMs: 10_000, browser: 'chromium', disagreement: null,
    outgoing: direction('sd-video', 'SD video works', 360, 28, 1_200_000, ['held 360 lines, HD needs 720']),
    incoming: direction('audio', 'audio only', 180, 12, 300_000, ['12 fps, video needs 20']),
  };
}
