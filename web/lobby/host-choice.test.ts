import { describe, expect, it } from 'vitest';
import type { LinkSummary } from '../../common/messages';
import type { PathKind } from '../../common/path-kind';
import { chooseHost } from './host-choice';
import { buildLobbyMatrix } from './lobby-matrix';
import { both, link, lobbyState, type MemberSpec } from './lobby-matrix-fixtures';

const NAMES = ['Ana', 'Bo', 'Cy', 'Di', 'Ed', 'Fay', 'Gus', 'Hal'];
const members = (n: number, extra: Partial<Record<number, Partial<MemberSpec>>> = {}): MemberSpec[] =>
  NAMES.slice(0, n).map((name, i) => ({ id: name.toLowerCase(), name, nat: 'full-cone', ...extra[i] }));

/** Every pair direct with `rtt(a, b)`, except those `override` names. */
function mesh(specs: MemberSpec[], rtt: (a: string, b: string) => number, override: Record<string, [PathKind | null, number | null] | 'failed'> = {}) {
  const links: [string, string, LinkSummary][] = [];
  for (let i = 0; i < specs.length; i++)
    for (let j = i + 1; j < specs.length; j++) {
      const [a, b] = [specs[i]!.id, specs[j]!.id];
      const o = override[`${a}-${b}`];
      if (o === 'failed') links.push([a, b, link(null, null, 'failed')], [b, a, link(null, null, 'failed')]);
      else links.push(...both(a, b, o ? o[0] : 'p2p-nat', o ? o[1] : rtt(a, b)));
    }
  return chooseHost(buildLobbyMatrix(lobbyState(specs, links)));
}

describe('host choice', () => {
  it('picks the peer with direct paths to the most others, and says why next to the runner-up', () => {
    const specs = members(8);
    // Hal is relayed to everyone but Ana; Bo is relayed to Hal too and slower than Ana.
    const over: Record<string, [PathKind, number]> = {};
    for (const x of ['bo', 'cy', 'di', 'ed', 'fay', 'gus']) over[`${x}-hal`] = ['relay-udp', 60];
    const got = mesh(specs, (a, b) => (a === 'bo' || b === 'bo' ? 88 : 42), over);
    expect(got.state).toBe('chosen');
    expect(got.hosts).toEqual(['ana']);
    expect(got.headline).toBe('Best host: Ana');
    expect(got.reasoning).toBe('Ana reaches all 7 directly, worst RTT 88 ms; the next best, Bo, reaches 6 of 7 directly (1 relayed).');
  });

  it('between peers with as many direct paths, the lowest worst-case RTT wins', () => {
    const specs = members(8);
    const over: Record<string, [PathKind, number]> = {};
    for (const x of ['ana', 'bo', 'cy', 'di', 'ed', 'fay', 'gus']) over[`${x}-hal`] = ['relay-udp', 15];
    // Everyone but Hal reaches 6 of 7 directly; Ana's links are the fastest, Bo's the slowest.
    // A link's RTT is the sum of both ends' delay: Ana's is smallest, Bo's largest.
    const delay: Record<string, number> = { ana: 10, bo: 44 };
    const rtt = (a: string, b: string) => (delay[a] ?? 21) + (delay[b] ?? 21);
    const got = mesh(specs, rtt, over);
    expect(got.hosts).toEqual(['ana']);
    expect(got.reasoning).toMatch(/^Ana reaches 6 of 7 directly \(1 relayed\), worst RTT 54 ms; Bo reaches 6 too but worst RTT 65 ms\.$/);
  });

  it('a failed link counts against a host even when its direct count is the same', () => {
    const specs = members(3);
    const got = mesh(specs, () => 10, { 'ana-bo': 'failed', 'ana-cy': ['relay-udp', 5], 'bo-cy': ['relay-udp', 30] });
    // Ana: 0 direct, 1 relayed, 1 failed. Bo: 0 direct, 1 relayed, 1 failed. Cy: 0 direct, 2 relayed.
    expect(got.hosts).toEqual(['cy']);
    expect(got.reasoning).toBe('Cy reaches 0 of 2 directly (2 relayed), worst RTT 30 ms; Ana reaches 0 of 2 directly (1 relayed, 1 not at all).');
  });

  it('calls near-equal worst RTTs a tie and names every tied peer', () => {
    const got = mesh(members(3), () => 40, { 'ana-bo': ['p2p-nat', 41] });
    expect(got.state).toBe('tie');
    expect(got.hosts).toEqual(['cy', 'ana', 'bo']);
    expect(got.headline).toBe('Best host: Cy, Ana and Bo (a tie)');
    expect(got.reasoning).toMatch(/each reaches all 2 directly, worst RTT 40 ms or close to it: either can host\.$/);
    expect(mesh(members(2), () => 12)).toMatchObject({ state: 'tie', hosts: ['ana', 'bo'] });
  });

  it('names no host while a link is still connecting, or while the RTTs that would decide are unknown', () => {
    const specs = members(4);
    const pending = mesh(specs, () => 10, { 'cy-di': [null, null] });
    expect(pending).toMatchObject({ state: 'pending', hosts: [], headline: 'Best host: not settled yet' });
    expect(pending.reasoning).toMatch(/^1 of 6 links is still connecting; the host is chosen once every link has settled\. So far (Ana|Bo) reaches all 3 directly\.$/);
    const noRtt = mesh(specs, () => 10, { 'ana-bo': ['p2p-nat', null] });
    expect(noRtt.state).toBe('pending');
    expect(noRtt.reasoning).toMatch(/round-trip times are still being measured/);
  });

  it('leavers are not candidates and their links do not count; one peer alone has no host', () => {
    const specs = members(3, { 0: { left: true } });
    const got = mesh(specs, (a, b) => (a === 'ana' ? 1 : 50), { 'bo-cy': ['relay-udp', 50] });
    expect(got.ranking.map((c) => c.peerId).sort()).toEqual(['bo', 'cy']);
    expect(got.state).toBe('tie');
    expect(chooseHost(buildLobbyMatrix(lobbyState(members(1))))).toMatchObject({ state: 'too-few', hosts: [] });
  });
});
