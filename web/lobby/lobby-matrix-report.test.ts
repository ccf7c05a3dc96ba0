import { describe, expect, it } from 'vitest';
import { LOBBY_REPORT_MAX_MEMBERS, lobbyReportSchema } from '../../common/lobby-report';
import { fullReport } from '../../common/testdata/full-report';
import type { ConnectivityReport } from '../../common/report';
import { both, link, lobbyState, sampleCall } from './lobby-matrix-fixtures';
import { buildLobbyReport } from './lobby-matrix-report';

const state = () =>
  lobbyState(
    [
      { id: 'a', name: 'Ana', nat: 'full-cone', self: true },
      { id: 'b', name: 'Bo', nat: 'symmetric' },
      { id: 'c', name: 'Cy', nat: 'port-restricted-cone', left: true },
    ],
    [...both('a', 'b', 'p2p-nat', 12), ...both('a', 'c', 'relay-udp', 40), ['b', 'c', link(null)]],
  );

/** A pair report with long series: 600 RTT samples and 1000 ICE events, as after a long session. */
function longReport(): ConnectivityReport {
  const r = fullReport();
  return {
    ...r,
    rtt: { ...r.rtt, samples: Array.from({ length: 600 }, (_, i) => ({ at: i * 500, rtt: 1 + (i % 7) / 10 })) },
    iceEvents: Array.from({ length: 1000 }, (_, i) => ({ at: i, kind: 'pair' as const, pairId: `CP${i % 40}`, local: 'host 10.200.11.1:50000', remote: 'srflx 198.51.100.7:40000', state: 'succeeded', from: 'in-progress' })),
  };
}

describe('building the lobby report', () => {
  it('holds every member, both sides\u2019 links, every cell and this page\u2019s pair reports, and passes the saved-report schema', () => {
    const r = buildLobbyReport({ state: state(), pairReports: new Map([['b', fullReport()], ['c', fullReport()]]), createdAt: 1000, savedAt: 2000 });
    expect(r.members.map((m) => [m.name, m.self, m.leftAt !== null])).toEqual([['Ana', true, false], ['Bo', false, false], ['Cy', false, true]]);
    expect(r.cells.map((c) => `${c.a}-${c.b}:${c.path}:${c.state}`)).toEqual(['a-b:p2p-nat:connected', 'a-c:relay-udp:left', 'b-c:pending:left']);
    expect(r.cells[0]).toMatchObject({ rttMs: 12, agreement: 'agree', predicted: 'direct', check: 'agree', mismatch: false });
    expect(r.links.b).toEqual({ a: link('p2p-nat', 12), c: link(null) });
    expect(r.pairs.map((p) => [p.peerId, p.trimmed])).toEqual([['b', false], ['c', false]]);
    const json = JSON.parse(JSON.stringify(r)) as unknown;
    const parsed = lobbyReportSchema.safeParse(json);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(json);
  });

  it('stays under the save budget with seven long pair reports, thinning their series and saying so', () => {
    const reports = new Map(['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => [id, longReport()]));
    const specs = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id, i) => ({ id, name: id.toUpperCase(), nat: 'full-cone' as const, self: i === 0 }));
    const untrimmed = buildLobbyReport({ state: lobbyState(specs), pairReports: reports, createdAt: 0, savedAt: 1, budgetBytes: Infinity });
    const size = (x: unknown) => new TextEncoder().encode(JSON.stringify(x)).length;
    expect(size(untrimmed)).toBeGreaterThan(448 * 1024);
    const r = buildLobbyReport({ state: lobbyState(specs), pairReports: reports, createdAt: 0, savedAt: 1 });
    expect(size(r)).toBeLessThanOrEqual(448 * 1024);
    expect(r.pairs.every((p) => p.trimmed)).toBe(true);
    // The latest RTT samples and the first ICE events (the connection's setup) are the ones kept.
    const first = r.pairs[0]!.report;
    expect(first.rtt.samples.at(-1)).toEqual(longReport().rtt.samples.at(-1));
    expect(first.iceEvents![0]).toEqual(longReport().iceEvents![0]);
    expect(lobbyReportSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  });

  it('lists at most the members the format allows: everyone present, then the latest leavers', () => {
    const specs = Array.from({ length: 40 }, (_, i) => ({ id: `p${i}`, name: `P${i}`, nat: 'unchecked' as const, left: i >= 4 }));
    const s = lobbyState(specs);
    for (let i = 4; i < 40; i++) s.members[`p${i}`]!.leftAt = i;
    const r = buildLobbyReport({ state: s, pairReports: new Map(), createdAt: 0, savedAt: 1 });
    expect(r.members).toHaveLength(LOBBY_REPORT_MAX_MEMBERS);
    expect(r.members.map((m) => m.peerId)).toContain('p0');
    expect(r.members.map((m) => m.peerId)).toContain('p39');
    expect(r.members.map((m) => m.peerId)).not.toContain('p4');
    expect(lobbyReportSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  });

  it('holds each pair\u2019s call test when it ran (its verdict per direction) and null when it did not', () => {
    const withCall: ConnectivityReport = { ...fullReport(), call: sampleCall() };
    const r = buildLobbyReport({ state: state(), pairReports: new Map([['b', withCall], ['c', fullReport()]]), createdAt: 1000, savedAt: 2000 });
    const saved = lobbyReportSchema.parse(JSON.parse(JSON.stringify(r)));
    const calls = saved.pairs.map((p) => [p.peerId, p.report.call?.status ?? null, p.report.call?.outgoing?.verdict.label ?? null, p.report.call?.incoming?.verdict.label ?? null]);
    expect(calls).toEqual([['b', 'done', 'SD video works', 'audio only'], ['c', null, null, null]]);
    expect(saved.pairs[1]!.report.call).toBeNull();
    expect('call' in saved.pairs[1]!.report).toBe(true);
  });
});
