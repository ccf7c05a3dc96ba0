// Did each side get a TURN relay candidate, and was the relay path actually shown to work? A report that simply
// lacks a relay row makes the relay fallback look tested when it was not. Pure: report in, verdict out.
//
// Chromium (libwebrtc P2PTransportChannel::OnConnectionStateChange → MaybeStopPortAllocatorSessions) stops
// gathering as soon as one candidate pair is strongly connected; a TURN allocation still in flight then
// completes on the server but its candidate is never surfaced (no icecandidate, no getStats entry, no error).
// On a fast direct path that often beats the Allocate/401/Allocate exchange, so one side ends without a relay
// candidate although its TURN server works.
import type { IceEvent } from '../../common/ice-events';
import type { ConnectivityReport, RelayCheck } from '../../common/report';
import { turnRefusalText } from '../errors/limit-messages';
import { ms } from '../format/milliseconds';
import { mbps } from '../quality/quality-verdict';

export type LocalRelay =
  | { state: 'gathered'; count: number; via: string[] }
  | { state: 'not-configured' }
  | { state: 'pending' }
  | { state: 'not-gathered'; reason: 'turn-error' | 'stopped-on-connect' | 'no-answer' | 'unknown'; text: string };

export interface RelayCoverage {
  local: LocalRelay;
  /** What the other side sent us; why it sent none is in its own report. */
  remoteCount: number;
  /** `check`: the state of the relay-only check between the two pages (relay-check.ts), null when there was none. */
  fallback: { verified: boolean; text: string; check: RelayCheck['state'] | null };
  /** This side's "Check my network" TURN-over-TCP allocation (null before it ran): the TURN server works for us. */
  networkCheck: 'ok' | 'failed' | 'not-tested' | null;
}

type Report = ConnectivityReport & { iceEvents?: IceEvent[] };

const isTurnUrl = (u: string) => /^turns?:/i.test(u);

/** Why this side has no relay candidate, or null when it has one or nothing is known (the timeline's story retells it). */
export function missingRelayText(report: Report): string | null {
  const local = relayCoverage(report).local;
  return local.state === 'not-gathered' ? local.text : null;
}

export function relayCoverage(report: Report): RelayCoverage {
  const relays = report.localCandidates.filter((c) => c.type === 'relay');
  const remoteCount = report.remoteCandidates.filter((c) => c.type === 'relay').length;
  return {
    local: localRelay(report, relays.length, [...new Set(relays.map((c) => c.relayProtocol ?? c.protocol))]),
    remoteCount,
    fallback: fallback(report),
    networkCheck: report.diagnosis?.local?.reachability.tcpRelay ?? null,
  };
}

function localRelay(report: Report, count: number, via: string[]): LocalRelay {
  if (count > 0) return { state: 'gathered', count, via };
  if (!report.iceServers.some((s) => s.urls.some(isTurnUrl))) return { state: 'not-configured' };
  const turnErrors = report.errors.filter((e) => e.source === 'ice' && e.code !== 'failed' && isTurnUrl(e.message));
  if (turnErrors.length > 0) {
    // A refusal for lack of room (486/508) first: it is the one a person can do something about.
    const e = turnErrors.find((x) => turnRefusalText(x.code) !== null) ?? turnErrors[0]!;
    const refusal = turnRefusalText(e.code);
    return { state: 'not-gathered', reason: 'turn-error', text: refusal ?? `the TURN server answered with an error (${e.code ?? 'no code'}: ${e.message})` };
  }
  const events = report.iceEvents;
  if (!events) return { state: 'not-gathered', reason: 'unknown', text: 'this report has no gathering events to tell why' };
  const complete = events.find((e) => e.kind === 'gathering' && e.state === 'complete');
  if (!complete) {
    const ended = report.peerState === 'failed' || report.peerState === 'peer-left';
    return ended ? { state: 'not-gathered', reason: 'unknown', text: 'the test ended before gathering finished' } : { state: 'pending' };
  }
  const connectedAt = firstConnectedAt(events);
  if (connectedAt !== null && complete.at >= connectedAt) {
    return {
      state: 'not-gathered',
      reason: 'stopped-on-connect',
      text:
        `Chromium stopped gathering when the first candidate pair connected (${ms(connectedAt)}; gathering ended at ${ms(complete.at)}), ` +
        'before the TURN allocation answered. No TURN error was reported; the relay was simply not needed for this connection',
    };
  }
  return { state: 'not-gathered', reason: 'no-answer', text: `gathering ended at ${ms(complete.at)} without a relay candidate or an error from the TURN server` };
}

function firstConnectedAt(events: readonly IceEvent[]): number | null {
  const times = events
    .filter((e) => (e.kind === 'ice' && (e.state === 'connected' || e.state === 'completed')) || (e.kind === 'pair' && e.state === 'succeeded'))
    .map((e) => e.at);
  return times.length ? Math.min(...times) : null;
}

/**
 * Verified = the relay-only check between the two pages connected, or (without one) a candidate pair with a relay
 * candidate at either end passed its connectivity checks.
 */
function fallback(report: Report): RelayCoverage['fallback'] {
  const rc = report.relayCheck;
  if (rc?.state === 'works') {
    const via = rc.path?.startsWith('relay-') ? `; this side reached its TURN server over ${rc.path.slice('relay-'.length).toUpperCase()}` : '';
    return {
      verified: true,
      check: rc.state,
      text: `works: the two pages connected to each other through TURN relays only (a second, relay-only connection) in ${ms(rc.connectMs)}, round trip ${rc.rttMs === null ? '—' : `${rc.rttMs} ms`}${rc.throughputBps ? `, ${mbps(rc.throughputBps)} through the relays in a 2 s burst` : ''}${via}`,
    };
  }
  if (rc?.state === 'failed') {
    return {
      verified: false,
      check: rc.state,
      text: `FAILED: a relay-only connection between the two pages did not work — ${rc.reason ?? 'no reason recorded'}. Where hole punching fails, this TURN setup would not save the connection`,
    };
  }
  const fromPairs = fallbackFromPairs(report);
  if (rc?.state === 'running') return { ...fromPairs, check: rc.state, text: `${fromPairs.text}; a relay-only connection between the two pages is being tried…` };
  if (rc?.state === 'skipped') return { ...fromPairs, check: rc.state, text: `${fromPairs.text} (relay-only check skipped: ${rc.reason ?? 'no reason recorded'})` };
  return { ...fromPairs, check: null };
}

function fallbackFromPairs(report: Report): { verified: boolean; text: string } {
  const relayIds = new Set([...report.localCandidates, ...report.remoteCandidates].filter((c) => c.type === 'relay').map((c) => c.id));
  const viaStats = report.pairs.some((p) => p.state === 'succeeded' && (relayIds.has(p.localId) || relayIds.has(p.remoteId)));
  const viaEvents = (report.iceEvents ?? []).some((e) => e.kind === 'pair' && e.state === 'succeeded' && (e.local.startsWith('relay ') || e.remote.startsWith('relay ')));
  if (viaStats || viaEvents) return { verified: true, text: 'verified: a candidate pair through the TURN relay passed its connectivity checks' };
  const anyRelay = relayIds.size > 0;
  return {
    verified: false,
    text: anyRelay
      ? 'not verified: relay candidates were gathered, but no pair through the relay passed its checks in this test'
      : 'not verified: neither side has a relay candidate in this test',
  };
}
