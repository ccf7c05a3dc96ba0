// The lobby report (common/lobby-report.ts) from what a lobby page knows: its LobbyState, the matrix built from
// it, and the full report of each of its own pairs. Pure. Keeps the report under the server's default save limit
// by thinning the longest series of the pair reports (RTT samples, ICE events) when it has to, and says so
// (`trimmed`). A lobby lists at most LOBBY_REPORT_MAX_MEMBERS members: everyone present, then the latest leavers.
import { LOBBY_REPORT_MAX_MEMBERS, LOBBY_REPORT_VERSION, type LobbyReport, type LobbyReportCell } from '../../common/lobby-report';
import type { ConnectivityReport } from '../../common/report';
import { buildLobbyMatrix } from './lobby-matrix';
import type { LobbyState } from './lobby-types';

/** Largest lobby report the page sends, bytes: under the server's default REPORT_MAX_KB (512) with room to spare. */
export const LOBBY_REPORT_BUDGET_BYTES = 448 * 1024;

/** Caps tried in turn, until the report fits: [RTT samples kept (the latest), ICE events kept (the first)] per pair. */
const THINNING: readonly (readonly [number, number])[] = [
  [Infinity, Infinity],
  [300, 1000],
  [120, 400],
  [60, 200],
  [20, 60],
];

function thin(report: ConnectivityReport, samples: number, events: number): { report: ConnectivityReport; trimmed: boolean } {
  const tooManySamples = report.rtt.samples.length > samples;
  const tooManyEvents = (report.iceEvents?.length ?? 0) > events;
  if (!tooManySamples && !tooManyEvents) return { report, trimmed: false };
  return {
    report: {
      ...report,
      rtt: tooManySamples ? { ...report.rtt, samples: report.rtt.samples.slice(-samples) } : report.rtt,
      iceEvents: tooManyEvents ? report.iceEvents!.slice(0, events) : report.iceEvents,
    },
    trimmed: true,
  };
}

function keptMembers(state: Pick<LobbyState, 'members'>): Set<string> {
  const all = Object.values(state.members);
  if (all.length <= LOBBY_REPORT_MAX_MEMBERS) return new Set(all.map((m) => m.peerId));
  const present = all.filter((m) => m.leftAt === null);
  const leavers = all.filter((m) => m.leftAt !== null).sort((x, y) => y.leftAt! - x.leftAt!);
  return new Set([...present, ...leavers].slice(0, LOBBY_REPORT_MAX_MEMBERS).map((m) => m.peerId));
}

export interface LobbyReportInput {
  state: Pick<LobbyState, 'roomId' | 'selfId' | 'capacity' | 'members' | 'links'>;
  /** This page's own pairs' reports, keyed by the other peer's id. */
  pairReports: ReadonlyMap<string, ConnectivityReport>;
  /** Epoch ms: when this page opened the lobby, and now. */
  createdAt: number;
  savedAt: number;
  budgetBytes?: number;
}

export function buildLobbyReport({ state, pairReports, createdAt, savedAt, budgetBytes = LOBBY_REPORT_BUDGET_BYTES }: LobbyReportInput): LobbyReport {
  const kept = keptMembers(state);
  const members = Object.values(state.members).filter((m) => kept.has(m.peerId));
  const links: LobbyReport['links'] = {};
  for (const [from, to] of Object.entries(state.links)) {
    if (!kept.has(from)) continue;
    const mine = Object.entries(to).filter(([other]) => kept.has(other));
    if (mine.length) links[from] = Object.fromEntries(mine);
  }
  const matrix = buildLobbyMatrix({ members: Object.fromEntries(members.map((m) => [m.peerId, m])), links, selfId: state.selfId });
  const cells: LobbyReportCell[] = matrix.cells.map((c) => ({
    a: c.a,
    b: c.b,
    state: c.state,
    path: c.path,
    rttMs: c.rttMs,
    agreement: c.agreement,
    predicted: c.prediction?.prediction.path ?? null,
    check: c.prediction?.check ?? null,
    mismatch: c.mismatch,
  }));
  const base: Omit<LobbyReport, 'pairs'> = {
    kind: 'lobby',
    version: LOBBY_REPORT_VERSION,
    roomId: state.roomId,
    createdAt,
    savedAt,
    capacity: state.capacity,
    selfId: state.selfId !== null && kept.has(state.selfId) ? state.selfId : null,
    members: members.map((m) => ({ peerId: m.peerId, name: m.name, self: m.self, joinedAt: m.joinedAt, leftAt: m.leftAt, diagnosis: m.diagnosis })),
    links,
    cells,
  };
  // Each pair's call test (run on demand, lobby-session.ts runCall) when it ran, null otherwise: a reader of the JSON
  // tells "no call test" from a report that predates them.
  const own = [...pairReports].filter(([peerId]) => kept.has(peerId)).map(([peerId, r]): [string, ConnectivityReport] => [peerId, { ...r, call: r.call ?? null }]);
  let report: LobbyReport = { ...base, pairs: [] };
  for (const [samples, events] of THINNING) {
    report = { ...base, pairs: own.map(([peerId, r]) => ({ peerId, ...thin(r, samples, events) })) };
    if (new TextEncoder().encode(JSON.stringify(report)).length <= budgetBytes) break;
  }
  return report;
}
