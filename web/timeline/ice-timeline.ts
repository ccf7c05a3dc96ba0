// The ICE timeline: one time axis from the other peer joining (0) to the settled path, built from a report
// (live or saved). Rows: milestones; candidates gathered per type (ours) and received (theirs); STUN/TURN
// servers that did not answer; each candidate pair's checks with their outcome; the selected path with every
// switch. Pure: report in, rows out; the component (web/report/ice-timeline-view.tsx) only draws them.
import type { IceEvent } from '../../common/ice-events';
import type { CandidateType, ConnectivityReport } from '../../common/report';
import { PATH_LABELS, type PathKind } from '../../common/path-kind';
import { ms } from '../format/milliseconds';

export type Tone = 'neutral' | 'progress' | 'ok' | 'fail' | 'relay' | 'direct';

export interface TimelineMark {
  at: number;
  label: string;
  tone: Tone;
}

export interface TimelineSpan {
  from: number;
  /** null: still in this state at the end of the axis. */
  to: number | null;
  label: string;
  tone: Tone;
}

export interface TimelineRow {
  id: string;
  group: 'milestones' | 'local' | 'remote' | 'servers' | 'pairs' | 'path';
  label: string;
  marks: TimelineMark[];
  spans: TimelineSpan[];
}

export interface IceTimeline {
  /** ms since the test started; the axis runs 0..endAt. */
  endAt: number;
  rows: TimelineRow[];
  /** Plain sentences: how the connection was found. */
  story: string[];
  /** False for reports without recorded pair events (then pair rows show final states only). */
  pairTimes: boolean;
}

/** What the report has already concluded and the story retells. */
export interface TimelineContext {
  /** Why this side has no relay candidate (web/report/relay-coverage.ts), null when it has one or nothing is known. */
  relayMissing: string | null;
}

export const MAX_PAIR_ROWS = 24;
const TYPES: CandidateType[] = ['host', 'srflx', 'prflx', 'relay'];
const TYPE_NAMES: Record<CandidateType, string> = { host: 'host', srflx: 'server-reflexive (STUN)', prflx: 'peer-reflexive', relay: 'relay (TURN)' };

const stateTone = (state: string): Tone =>
  state === 'succeeded' ? 'ok' : state === 'failed' ? 'fail' : state === 'in-progress' ? 'progress' : 'neutral';
const pathTone = (kind: PathKind): Tone => (kind.startsWith('relay') ? 'relay' : kind === 'none' ? 'neutral' : 'direct');

export function buildIceTimeline(report: ConnectivityReport & { iceEvents?: IceEvent[] }, context: TimelineContext = { relayMissing: null }): IceTimeline {
  const events = report.iceEvents ?? [];
  const rows: TimelineRow[] = [];
  const times: number[] = [0];
  const push = (row: TimelineRow) => {
    if (row.marks.length === 0 && row.spans.length === 0) return;
    rows.push(row);
    for (const m of row.marks) times.push(m.at);
    for (const s of row.spans) times.push(s.from, s.to ?? s.from);
  };

  // Milestones.
  const t = report.timings;
  const milestones: TimelineMark[] = [{ at: 0, label: 'peer joined', tone: 'neutral' }];
  if (t.firstCandidate !== null) milestones.push({ at: t.firstCandidate, label: 'first candidate', tone: 'neutral' });
  const firstOf = (kind: IceEvent['kind'], state?: string) => events.find((e) => e.kind === kind && (state === undefined || ('state' in e && e.state === state)));
  const iceConnected = firstOf('ice', 'connected') ?? firstOf('ice', 'completed');
  if (iceConnected) milestones.push({ at: iceConnected.at, label: 'ICE connected', tone: 'ok' });
  const dtls = firstOf('dtls', 'connected');
  if (dtls) milestones.push({ at: dtls.at, label: 'DTLS connected', tone: 'ok' });
  const dtlsFailed = firstOf('dtls', 'failed');
  if (dtlsFailed) milestones.push({ at: dtlsFailed.at, label: 'DTLS failed', tone: 'fail' });
  const channel = firstOf('channel-open');
  if (channel) milestones.push({ at: channel.at, label: 'data channel open', tone: 'ok' });
  if (!iceConnected && t.connected !== null) milestones.push({ at: t.connected, label: 'connected', tone: 'ok' });
  const iceFailed = firstOf('ice', 'failed') ?? firstOf('connection', 'failed');
  if (iceFailed) milestones.push({ at: iceFailed.at, label: 'ICE failed', tone: 'fail' });
  if (t.pathSettled !== null) milestones.push({ at: t.pathSettled, label: 'path settled', tone: 'ok' });
  push({ id: 'milestones', group: 'milestones', label: 'Milestones', marks: milestones.sort((a, b) => a.at - b.at), spans: [] });

  // Candidates per type.
  for (const [side, list] of [['local', report.localCandidates], ['remote', report.remoteCandidates]] as const) {
    for (const type of TYPES) {
      const marks = list
        .filter((c) => c.type === type && c.at !== null)
        .map((c) => ({ at: c.at!, label: `${c.protocol} ${c.address ?? '(hidden)'}:${c.port ?? '?'}${c.relayProtocol ? ` via ${c.relayProtocol}` : ''}`, tone: 'neutral' as Tone }));
      push({ id: `${side}-${type}`, group: side, label: `${side === 'local' ? 'Ours' : 'Theirs'}: ${TYPE_NAMES[type]}`, marks, spans: [] });
    }
  }

  // STUN/TURN servers that did not answer (icecandidateerror).
  const serverErrors = report.errors.filter((e) => e.source === 'ice' && e.code !== 'failed');
  push({
    id: 'servers',
    group: 'servers',
    label: 'STUN/TURN errors',
    marks: serverErrors.map((e) => ({ at: e.at, label: `${e.code ?? ''} ${e.message}`.trim(), tone: 'fail' as Tone })),
    spans: [],
  });

  // Candidate pairs: spans between recorded state changes, else the final state only.
  const pairEvents = events.filter((e): e is Extract<IceEvent, { kind: 'pair' }> => e.kind === 'pair');
  const byPair = new Map<string, typeof pairEvents>();
  for (const e of pairEvents) byPair.set(e.pairId, [...(byPair.get(e.pairId) ?? []), e]);
  const selectedIds = new Set(report.pairs.filter((p) => p.nominated).map((p) => p.id));
  const pairRows: (TimelineRow & { rank: number })[] = [];
  if (byPair.size > 0) {
    for (const [id, list] of byPair) {
      const spans = list.map((e, i) => ({ from: e.at, to: list[i + 1]?.at ?? null, label: e.state, tone: stateTone(e.state) }));
      const last = list.at(-1)!;
      const rank = (selectedIds.has(id) ? 0 : 10) + (last.state === 'succeeded' ? 0 : last.state === 'failed' ? 1 : 2);
      pairRows.push({ id: `pair-${id}`, group: 'pairs', label: `${last.local} ↔ ${last.remote}`, marks: [], spans, rank });
    }
  } else {
    const end = Math.max(...times, t.pathSettled ?? 0);
    for (const p of report.pairs) {
      const l = report.localCandidates.find((c) => c.id === p.localId);
      const r = report.remoteCandidates.find((c) => c.id === p.remoteId);
      pairRows.push({
        id: `pair-${p.id}`,
        group: 'pairs',
        label: `${l?.type ?? '?'} ${l?.address ?? '?'}:${l?.port ?? '?'} ↔ ${r?.type ?? '?'} ${r?.address ?? '(hidden)'}:${r?.port ?? '?'}`,
        marks: [{ at: end, label: p.state, tone: stateTone(p.state) }],
        spans: [],
        rank: (p.nominated ? 0 : 10) + (p.state === 'succeeded' ? 0 : 1),
      });
    }
  }
  pairRows.sort((a, b) => a.rank - b.rank || (a.spans[0]?.from ?? 0) - (b.spans[0]?.from ?? 0));
  for (const { rank: _rank, ...row } of pairRows.slice(0, MAX_PAIR_ROWS)) push(row);

  // The selected path, with every switch.
  const h = report.selectedPairHistory;
  push({
    id: 'path',
    group: 'path',
    label: 'Selected path',
    marks: h.slice(1).map((e) => ({ at: e.at, label: `switched to ${PATH_LABELS[e.path]}`, tone: pathTone(e.path) })),
    spans: h.map((e, i) => ({ from: e.at, to: h[i + 1]?.at ?? null, label: `${PATH_LABELS[e.path]}: ${e.local} ↔ ${e.remote}`, tone: pathTone(e.path) })),
  });

  const endAt = Math.max(...times, t.pathSettled ?? 0) || 1;
  return { endAt, rows, story: tellStory(report, context, pairEvents, byPair.size > 0 ? byPair : null), pairTimes: byPair.size > 0 };
}

function tellStory(report: ConnectivityReport, context: TimelineContext, pairEvents: Extract<IceEvent, { kind: 'pair' }>[], byPair: Map<string, unknown[]> | null): string[] {
  const story: string[] = [];
  const counts = TYPES.map((type) => [type, report.localCandidates.filter((c) => c.type === type).length] as const).filter(([, n]) => n > 0);
  if (counts.length) story.push(`This side gathered ${counts.map(([type, n]) => `${n} ${type}`).join(', ')} candidate${counts.reduce((s, [, n]) => s + n, 0) === 1 ? '' : 's'}.`);
  if (!report.localCandidates.some((c) => c.type === 'srflx') && !report.relayOnly && report.iceServers.length) story.push('No server-reflexive candidate: the STUN server did not answer (UDP blocked?) or the address equals a host address.');
  if (context.relayMissing !== null) story.push(`No relay candidate: ${context.relayMissing}.`);
  const finals = byPair ? [...new Map(pairEvents.map((e) => [e.pairId, e.state])).values()] : report.pairs.map((p) => p.state);
  const ok = finals.filter((s) => s === 'succeeded').length;
  const failed = finals.filter((s) => s === 'failed').length;
  if (finals.length) story.push(`${finals.length} candidate pair${finals.length === 1 ? '' : 's'} checked: ${ok} succeeded, ${failed} failed, ${finals.length - ok - failed} never finished.`);
  const h = report.selectedPairHistory;
  if (h.length) story.push(`First path at ${ms(h[0]!.at)}: ${PATH_LABELS[h[0]!.path]}.`);
  for (let i = 1; i < h.length; i++) story.push(`At ${ms(h[i]!.at)} the browser switched to ${PATH_LABELS[h[i]!.path]} (${h[i]!.local} ↔ ${h[i]!.remote}).`);
  if (report.path.settled && report.timings.pathSettled !== null) story.push(`The last switch, at ${ms(report.timings.pathSettled)}, held for ${ms(report.path.settleMs)}: the path is settled.`);
  return story;
}
