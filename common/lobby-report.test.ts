import { describe, expect, it } from 'vitest';
import { lobbyReportSchema, LOBBY_REPORT_MAX_MEMBERS } from './lobby-report';
import { isLobbyReport } from './lobby-report-kind';
import { sampleLobbyReport } from './testdata/sample-lobby-report';
import { sampleReport } from './testdata/sample-report';

/** The first issue's path and message, as the save route words it. */
function refusal(value: unknown): string | null {
  const r = lobbyReportSchema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

describe('lobby report schema', () => {
  it('accepts a lobby report and keeps everything in it', () => {
    const json = JSON.parse(JSON.stringify(sampleLobbyReport())) as unknown;
    const parsed = lobbyReportSchema.safeParse(json);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data).toEqual(json);
  });

  it('drops fields it does not know (nothing unchecked is stored)', () => {
    const r = JSON.parse(JSON.stringify(sampleLobbyReport())) as Record<string, any>;
    r.zzUnknown = 'x';
    r.members[0].zzUnknown = 'y';
    r.pairs[0].report.zzUnknown = 'z';
    expect(JSON.stringify(lobbyReportSchema.parse(r))).not.toContain('zzUnknown');
  });

  it('refuses bad ones, naming the field', () => {
    const r = () => JSON.parse(JSON.stringify(sampleLobbyReport())) as Record<string, any>;
    const cases: [(x: Record<string, any>) => unknown, RegExp][] = [
      [(x) => ({ ...x, version: 2 }), /^version: /],
      [(x) => ({ ...x, kind: 'room' }), /^kind: /],
      [(x) => (x.members[1].name = 'n'.repeat(41), x), /^members\.1\.name: /],
      [(x) => (x.members[0].peerId = 'has space', x), /^members\.0\.peerId: peer id/],
      [(x) => (x.members[1].diagnosis.reachability.udp = 'maybe', x), /^members\.1\.diagnosis\.reachability\.udp: /],
      [(x) => (x.cells[0].path = 'teleport', x), /^cells\.0\.path: /],
      [(x) => (x.cells[2].b = 'zz', x), /^cells\.2\.b: "zz" is not a member/],
      [(x) => (x.pairs[0].peerId = 'zz', x), /^pairs\.0\.peerId: "zz" is not a member/],
      [(x) => (x.pairs[0].report.version = 9, x), /^pairs\.0\.report\.version: /],
      [(x) => (x.links.a.b.rttMs = -1, x), /^links\.a\.b\.rttMs: /],
      [(x) => (x.links.zz = {}, x), /^links\.zz: "zz" is not a member/],
      [(x) => (x.selfId = 'zz', x), /^selfId: "zz" is not a member/],
      [(x) => (x.members.push(x.members[0]), x), /^members: a peer id is listed twice/],
      [(x) => ({ ...x, members: Array.from({ length: LOBBY_REPORT_MAX_MEMBERS + 1 }, (_, i) => ({ ...x.members[2], peerId: `p${i}` })) }), /^members: /],
      [(x) => ({ ...x, pairs: Array.from({ length: 8 }, () => x.pairs[0]) }), /^pairs: /],
    ];
    for (const [mutate, expected] of cases) expect(refusal(mutate(r()))).toMatch(expected);
    expect(refusal(sampleReport())).toMatch(/^kind: /);
  });

  it('tells a lobby report from a two-person one', () => {
    expect(isLobbyReport(sampleLobbyReport())).toBe(true);
    expect(isLobbyReport(sampleReport())).toBe(false);
  });
});
