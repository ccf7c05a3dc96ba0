// The readable summary of `p2pcheck join <lobby-link>`: the lobby's headline and host choice as the page words
// them (web/lobby/lobby-summary.ts, host-choice.ts), then this peer's row of the matrix: each other peer, the path,
// the RTT and whether both ends see the same path. Pure: the lobby state in, lines out.
import { rttMs } from '../../web/format/milliseconds';
import { chooseHost } from '../../web/lobby/host-choice';
import { buildLobbyMatrix, cellPathTitle, type MatrixCell } from '../../web/lobby/lobby-matrix';
import { summarizeLobby } from '../../web/lobby/lobby-summary';
import type { LobbyState } from '../../web/lobby/lobby-types';

const AGREEMENT_WORDS: Record<MatrixCell['agreement'], string> = {
  agree: 'both ends agree',
  disagree: 'the two ends see different paths',
  'one-side': 'only one end has settled',
  unknown: 'neither end has settled',
};

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);


/** Everyone this peer met, as present: the command ends after its links settled, and by then the others may have
 *  finished and left — the lobby it measured is what the headline and host choice describe (the rows say who left). */
const everyoneMet = <S extends Pick<LobbyState, 'members'>>(state: S): S => ({
  ...state,
  members: Object.fromEntries(Object.entries(state.members).map(([id, m]) => [id, { ...m, leftAt: null }])),
});

export function lobbyHeadline(state: Pick<LobbyState, 'members' | 'links' | 'selfId'>): string {
  return `lobby: ${summarizeLobby(buildLobbyMatrix(everyoneMet(state))).headline}`;
}

export function lobbyRowSummary(state: Pick<LobbyState, 'members' | 'links' | 'selfId'>): string[] {
  const matrix = buildLobbyMatrix(state);
  const met = buildLobbyMatrix(everyoneMet(state));
  const summary = summarizeLobby(met);
  const host = chooseHost(met);
  const lines = [`lobby: ${summary.headline}`];
  for (const b of summary.blocked) lines.push(`  ${capitalised(b)}`);
  for (const m of summary.mismatches) lines.push(`  ${m}`);
  if (summary.left) lines.push(`  ${capitalised(summary.left)}`);
  lines.push(`${host.headline}: ${host.reasoning}`);
  const self = matrix.members.find((m) => m.self);
  if (!self) return lines;
  lines.push(`this peer (${self.name}, ${self.peerId}):`);
  for (const other of matrix.members) {
    if (other.self) continue;
    const cell = matrix.cell(self.peerId, other.peerId)!;
    const rtt = cell.rttMs === null ? '' : `, RTT ${rttMs(cell.rttMs)}`;
    lines.push(`  to ${other.name} (${other.peerId}): ${cellPathTitle(cell.path)}${rtt}; ${AGREEMENT_WORDS[cell.agreement]}${other.left ? ' (left)' : ''}`);
  }
  return lines;
}
