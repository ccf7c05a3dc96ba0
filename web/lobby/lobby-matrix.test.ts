import { describe, expect, it } from 'vitest';
import { both, diagnosisWire, link, lobbyState } from './lobby-matrix-fixtures';
import { buildLobbyMatrix, natPhraseOf, reachText } from './lobby-matrix';

describe('lobby matrix', () => {
  it('has one row per member in join order, with the NAT verdict rebuilt from its facts and its reach', () => {
    const s = lobbyState(
      [
        { id: 'a', name: 'Ana', nat: 'full-cone', self: true },
        { id: 'b', name: 'Bo', nat: 'symmetric' },
        { id: 'c', name: 'Cy', nat: 'unchecked' },
      ],
      [...both('a', 'b', 'p2p-nat', 12), ...both('a', 'c', 'relay-udp', 30), ...both('b', 'c', null)],
    );
    const m = buildLobbyMatrix(s);
    expect(m.members.map((x) => [x.name, x.natLabel, x.self, x.left])).toEqual([
      ['Ana', 'Full cone NAT', true, false],
      ['Bo', 'Symmetric NAT', false, false],
      ['Cy', 'network not checked yet', false, false],
    ]);
    expect(reachText(m.members[0]!.reach)).toBe('reaches 2 of 2 (1 direct, 1 relayed)');
    expect(reachText(m.members[1]!.reach)).toBe('reaches 1 of 2 (1 direct), 1 connecting');
    expect(m.cells).toHaveLength(3);
    expect(m.cell('b', 'a')).toBe(m.cell('a', 'b'));
    expect(m.cell('a', 'a')).toBeUndefined();
  });

  it('never takes a member\u2019s own words for its verdict: a forged label in its broadcast is replaced', () => {
    const s = lobbyState([{ id: 'a', name: 'Ana', nat: 'symmetric' }]);
    const forged = { ...(s.members.a!.diagnosis as object), verdict: { label: 'Full cone NAT', kind: 'full-cone' } };
    s.members.a!.diagnosis = forged as never;
    expect(buildLobbyMatrix(s).members[0]!.natLabel).toBe('Symmetric NAT');
  });

  it('a cell reads both sides: settled path, mean RTT, agreement, and the prediction from both NATs', () => {
    const s = lobbyState(
      [
        { id: 'a', name: 'Ana', nat: 'full-cone' },
        { id: 'b', name: 'Bo', nat: 'symmetric' },
        { id: 'c', name: 'Cy', nat: 'port-restricted-cone' },
        { id: 'd', name: 'Di', nat: 'symmetric' },
      ],
      [
        ['a', 'b', link('p2p-nat', 10)],
        ['b', 'a', link('p2p-nat', 14)],
        // Symmetric vs port-restricted: relayed, each side through its own transport to TURN.
        ['b', 'c', link('relay-udp', 40)],
        ['c', 'b', link('relay-tcp', 42)],
        // One side relayed, the other sees a direct pair: the cell says relayed and flags the disagreement.
        ['c', 'a', link('p2p-nat', 9)],
        ['a', 'c', link('relay-udp', 11)],
        // Only one side has settled.
        ['a', 'd', link('p2p-nat', 5)],
        ['d', 'a', link(null)],
      ],
    );
    const m = buildLobbyMatrix(s);
    expect(m.cell('a', 'b')).toMatchObject({ state: 'connected', path: 'p2p-nat', route: 'direct', rttMs: 12, agreement: 'agree', mismatch: false });
    expect(m.cell('a', 'b')!.prediction).toMatchObject({ predictedLabel: 'direct (peer-to-peer)', check: 'agree' });
    expect(m.cell('b', 'c')).toMatchObject({ path: 'relay-tcp', route: 'relayed', rttMs: 41, agreement: 'agree', mismatch: false });
    expect(m.cell('b', 'c')!.prediction?.prediction.path).toBe('relay');
    expect(m.cell('a', 'c')).toMatchObject({ path: 'relay-udp', agreement: 'disagree' });
    expect(m.cell('a', 'c')!.fromA?.path).toBe('relay-udp');
    expect(m.cell('a', 'c')!.fromB?.path).toBe('p2p-nat');
    expect(m.cell('a', 'd')).toMatchObject({ path: 'p2p-nat', agreement: 'one-side' });
    // Not yet any data for b–d: pending, and the prediction waits for a path.
    expect(m.cell('b', 'd')).toMatchObject({ state: 'connecting', path: 'pending', route: null, rttMs: null, agreement: 'unknown', mismatch: false });
    expect(m.cell('b', 'd')!.prediction).toMatchObject({ prediction: { path: 'relay' }, check: null });
  });

  it('calls out a path that contradicts the NAT prediction, and a failure where a path was predicted', () => {
    const s = lobbyState(
      [
        { id: 'a', name: 'Ana', nat: 'symmetric' },
        { id: 'b', name: 'Bo', nat: 'symmetric' },
        { id: 'c', name: 'Cy', nat: 'full-cone' },
      ],
      [...both('a', 'b', 'p2p-nat', 8), ['a', 'c', link(null, null, 'failed')], ['c', 'a', link(null, null, 'failed')]],
    );
    const m = buildLobbyMatrix(s);
    expect(m.cell('a', 'b')).toMatchObject({ mismatch: true, prediction: { check: 'disagree' } });
    expect(m.cell('a', 'b')!.prediction!.note).toMatch(/^Predicted relayed via TURN, but the connection settled on peer-to-peer through NAT/);
    expect(m.cell('a', 'c')).toMatchObject({ state: 'failed', path: 'failed', mismatch: true, prediction: { check: 'no-path' } });
  });

  it('keeps a leaver\u2019s cells with their last path, marked left; present members stop counting them', () => {
    const s = lobbyState(
      [
        { id: 'a', name: 'Ana', nat: 'full-cone' },
        { id: 'b', name: 'Bo', nat: 'full-cone', left: true },
        { id: 'c', name: 'Cy', nat: 'full-cone' },
      ],
      [...both('a', 'b', 'p2p-nat', 10), ...both('a', 'c', 'p2p-nat', 10), ['b', 'c', link('p2p-nat', 3, 'closed')]],
    );
    const m = buildLobbyMatrix(s);
    expect(m.members[1]).toMatchObject({ name: 'Bo', left: true });
    expect(m.cell('a', 'b')).toMatchObject({ state: 'left', path: 'p2p-nat', rttMs: 10 });
    expect(m.cell('b', 'c')).toMatchObject({ state: 'left', path: 'p2p-nat', rttMs: 3 });
    expect(m.members[0]!.reach).toEqual({ direct: 1, relayed: 0, failed: 0, pending: 0, of: 1 });
    expect(m.members[1]!.reach.of).toBe(2);
  });

  it('names NAT kinds inside a sentence', () => {
    expect(natPhraseOf('symmetric')).toBe('symmetric NAT');
    expect(natPhraseOf('port-restricted-cone')).toBe('port-restricted cone NAT');
    expect(natPhraseOf('udp-blocked')).toBe('UDP blocked');
    expect(natPhraseOf('open')).toBe('no NAT');
    expect(natPhraseOf(null)).toBe('network not checked');
    expect(diagnosisWire('udp-blocked', 1).reachability.udp).toBe('no-answer');
  });
});
