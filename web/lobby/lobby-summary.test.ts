import { describe, expect, it } from 'vitest';
import type { LinkSummary } from '../../common/messages';
import type { PathKind } from '../../common/path-kind';
import { buildLobbyMatrix } from './lobby-matrix';
import { both, link, lobbyState, type MemberSpec, type NatSpec } from './lobby-matrix-fixtures';
import { summarizeLobby } from './lobby-summary';

const NAMES = ['Ana', 'Bo', 'Cy', 'Di', 'Ed', 'Fay', 'Gus', 'Hal'];

function summary(nats: NatSpec[], path: (a: number, b: number) => PathKind | null | 'failed', extra: Partial<Record<number, Partial<MemberSpec>>> = {}) {
  const specs = nats.map((nat, i) => ({ id: NAMES[i]!.toLowerCase(), name: NAMES[i]!, nat, ...extra[i] }));
  const links: [string, string, LinkSummary][] = [];
  for (let i = 0; i < specs.length; i++)
    for (let j = i + 1; j < specs.length; j++) {
      const p = path(i, j);
      if (p === 'failed') links.push([specs[i]!.id, specs[j]!.id, link(null, null, 'failed')], [specs[j]!.id, specs[i]!.id, link(null, null, 'failed')]);
      else links.push(...both(specs[i]!.id, specs[j]!.id, p, p ? 10 : null));
    }
  return summarizeLobby(buildLobbyMatrix(lobbyState(specs, links)));
}

describe('lobby summary', () => {
  it('all 28 links of 8 peers work: the headline counts direct and relayed; the relayed ones are explained by NAT type', () => {
    // Cy is behind a symmetric NAT: relayed to the port-restricted peers (Di, Ed) and to the other symmetric one (Hal).
    const nats: NatSpec[] = ['full-cone', 'full-cone', 'symmetric', 'port-restricted-cone', 'port-restricted-cone', 'restricted-cone', 'restricted-cone', 'symmetric'];
    const relayedPairs = new Set(['2-3', '2-4', '2-7', '3-7', '4-7']);
    const s = summary(nats, (a, b) => (relayedPairs.has(`${a}-${b}`) ? 'relay-udp' : 'p2p-nat'));
    expect(s.counts).toEqual({ total: 28, direct: 23, relayed: 5, failed: 0, pending: 0 });
    expect(s.headline).toBe('all 28 links work (23 direct, 5 relayed)');
    expect(s.blocked).toEqual([
      'Cy (symmetric NAT) cannot connect directly to Di (port-restricted cone NAT), Ed (port-restricted cone NAT) or Hal (symmetric NAT): relayed through TURN',
      'Hal (symmetric NAT) cannot connect directly to Di (port-restricted cone NAT) or Ed (port-restricted cone NAT): relayed through TURN',
    ]);
    expect(s.mismatches).toEqual([]);
    expect(s.left).toBeNull();
  });

  it('failed links: "26 of 28 links work; 2 fail", naming who cannot connect at all', () => {
    const nats: NatSpec[] = ['full-cone', 'full-cone', 'udp-blocked', 'full-cone', 'full-cone', 'full-cone', 'full-cone', 'symmetric'];
    const s = summary(nats, (a, b) => (a === 2 && (b === 3 || b === 7) ? 'failed' : a === 2 || b === 2 ? 'relay-tcp' : 'p2p-nat'));
    expect(s.headline).toBe('26 of 28 links work (21 direct, 5 relayed); 2 fail');
    expect(s.blocked[0]).toBe('Cy (UDP blocked) cannot connect directly to Ana (full cone NAT), Bo (full cone NAT), Ed (full cone NAT), Fay (full cone NAT) or Gus (full cone NAT): relayed through TURN');
    expect(s.blocked[1]).toBe('Cy (UDP blocked) cannot connect at all to Di (full cone NAT) or Hal (symmetric NAT): no direct path, and no relay got through');
    // UDP blocked predicts a TCP relay, not no connection: both failures contradict it.
    expect(s.mismatches).toEqual([
      'Cy and Di: their NAT types predict relayed via TURN over TCP, but no connection was made',
      'Cy and Hal: their NAT types predict relayed via TURN over TCP, but no connection was made',
    ]);
  });

  it('while links connect, says how many work so far and how many are still connecting', () => {
    expect(summary(['full-cone', 'full-cone', 'full-cone'], (a, b) => (b === 2 ? null : 'direct-lan')).headline).toBe(
      '1 of 3 links work so far (1 direct); 2 still connecting',
    );
    expect(summary(['full-cone', 'full-cone', 'full-cone'], () => null).headline).toBe('connecting all 3 links…');
    expect(summary(['full-cone', 'symmetric'], () => 'failed').headline).toBe('the link fails');
    expect(summary(['full-cone', 'symmetric'], () => 'relay-udp').headline).toBe('the link works (1 relayed)');
    expect(summary(['full-cone'], () => null).headline).toBe('waiting for others to join: send them the link');
  });

  it('calls out a link that settled otherwise than predicted', () => {
    const s = summary(['symmetric', 'symmetric'], () => 'p2p-nat');
    expect(s.mismatches).toEqual(['Ana and Bo: their NAT types predict relayed via TURN, but it settled on peer-to-peer through NAT']);
  });

  it('counts the pairs of present peers only, and says who left', () => {
    const s = summary(['full-cone', 'symmetric', 'full-cone', 'symmetric'], (a, b) => (a === 1 && b === 3 ? 'relay-udp' : 'p2p-nat'), { 1: { left: true } });
    expect(s.counts.total).toBe(3);
    expect(s.headline).toBe('all 3 links work (3 direct)');
    expect(s.blocked).toEqual([]);
    expect(s.left).toBe('Bo left: that peer\u2019s links are kept in the matrix, marked');
  });
});
