// Judges one pair's two connectivity reports against what the NATs should allow. Pure, unit-tested.
import type { ConnectivityReport, PathKind } from '../../common/report';
import type { ExpectedPath, LabHost } from './lab-topology';

export interface PairVerdict {
  ok: boolean;
  /** Why not, in words a person can check against the reports; empty when ok. */
  problems: string[];
  /** What the pair got, short, for the table ("p2p-nat", "relay-tcp / relay-udp", "failed" …). */
  observed: string;
  /** Connect time: the later of the two sides' `timings.connected`, ms since the peer joined. */
  connectMs: number | null;
}

const DIRECT: readonly PathKind[] = ['direct-public', 'p2p-nat'];
const RELAY: readonly PathKind[] = ['relay-udp', 'relay-tcp', 'relay-tls'];

function side(host: LabHost, r: ConnectivityReport | null, relayOnly: boolean, expected: ExpectedPath): string[] {
  const who = host.name;
  if (!r) return [`${who}: no report`];
  const problems: string[] = [];
  if (r.peerState !== 'connected') problems.push(`${who}: peer state "${r.peerState}", expected "connected"`);
  if (!r.path.settled) problems.push(`${who}: path never settled (last: ${r.path.kind})`);
  const sel = r.selectedPair;
  if (!sel) return [...problems, `${who}: no selected candidate pair`];
  const types = `${sel.local.type}→${sel.remote.type}`;
  const kind = r.path.kind;
  const usesRelay = sel.local.type === 'relay' || sel.remote.type === 'relay';
  if (r.relayOnly !== relayOnly) problems.push(`${who}: report.relayOnly=${r.relayOnly}, test asked for ${relayOnly}`);
  if (relayOnly || expected === 'relay' || expected === 'relay-tcp') {
    // Not `usesRelay`: a peer's relay often shows up here as prflx; the page tells from the peer's own view.
    if (!RELAY.includes(kind)) problems.push(`${who}: path ${kind} (${types}), expected relayed`);
    if (relayOnly && sel.local.type !== 'relay') problems.push(`${who}: local candidate is ${sel.local.type} although relay-only was forced`);
    // With UDP blocked, the only way out is TURN over TCP from this side's own allocation.
    if (host.kind === 'udp-blocked' && (kind !== 'relay-tcp' || sel.local.type !== 'relay' || sel.local.relayProtocol !== 'tcp')) {
      problems.push(`${who}: UDP is blocked here, expected a local TCP relay candidate (relay-tcp), got ${kind} (${types}, relayProtocol ${sel.local.relayProtocol})`);
    }
    // No relay-udp demand where UDP works: with both relay candidates allowed, Chromium sometimes settles on
    // its TCP allocation (seen with coturn in the lab: 2 of 22 forced-relay pairs).
  } else if (expected === 'direct-lan') {
    if (kind !== 'direct-lan' || sel.local.type !== 'host' || sel.remote.type !== 'host') problems.push(`${who}: path ${kind} (${types}), expected direct-lan host→host`);
  } else {
    if (!DIRECT.includes(kind) || usesRelay) problems.push(`${who}: path ${kind} (${types}), expected direct (p2p-nat or direct-public)`);
  }
  return problems;
}

export function judgePair(
  pair: { a: LabHost; b: LabHost; expected: ExpectedPath },
  reports: { a: ConnectivityReport | null; b: ConnectivityReport | null },
  relayOnly: boolean,
): PairVerdict {
  const problems = [...side(pair.a, reports.a, relayOnly, pair.expected), ...side(pair.b, reports.b, relayOnly, pair.expected)];
  const kinds = [reports.a, reports.b].map((r) => (r ? (r.peerState === 'connected' ? r.path.kind : r.peerState) : 'no report'));
  const observed = kinds[0] === kinds[1] ? kinds[0]! : kinds.join(' / ');
  const connected = [reports.a?.timings.connected, reports.b?.timings.connected];
  const connectMs = connected.every((t): t is number => typeof t === 'number') ? Math.round(Math.max(...connected)) : null;
  return { ok: problems.length === 0, problems, observed, connectMs };
}

/** Issue 5: each page's prediction (from both sides' "check my network" verdicts) must agree with the path
 * that page settled on. Problems in words, empty when both agree. */
export function predictionProblems(pair: { a: LabHost; b: LabHost }, reports: { a: ConnectivityReport | null; b: ConnectivityReport | null }): string[] {
  const problems: string[] = [];
  for (const [host, r] of [[pair.a, reports.a], [pair.b, reports.b]] as const) {
    if (!r) continue; // judgePair already says "no report"
    const p = r.diagnosis?.prediction;
    if (!p) problems.push(`${host.name}: no prediction in the report (local verdict ${r.diagnosis?.local?.verdict?.kind ?? 'missing'}, peer's ${r.diagnosis?.remote?.verdict?.kind ?? 'missing'})`);
    else if (p.check !== 'agree') problems.push(`${host.name}: predicted ${p.prediction.path}, settled ${p.actual ?? 'nothing'} (${p.check ?? 'not settled'})`);
  }
  return problems;
}

/** The short label of an expectation, for the table. */
export function describeExpected(expected: ExpectedPath, relayOnly: boolean): string {
  if (relayOnly) return 'relay';
  return { 'direct-lan': 'direct-lan', direct: 'direct', relay: 'relay', 'relay-tcp': 'relay-tcp' }[expected];
}
