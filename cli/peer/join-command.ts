// `p2pcheck join <room-url>`: the headless peer joins a room link and tests the path to whoever is in it.
import { LOBBY_CAPACITY } from '../../common/messages';
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';
import { PEER_OPTION_HELP, parsePeerArgs } from './peer-options';
import { parseRoomLink } from './room-link';
import { runLobbyTest } from './run-lobby-test';
import { runPeerTest } from './run-peer-test';

const DEFAULT_TIMEOUT_S = 90;

export const JOIN_HELP = `Usage: p2pcheck join <room-url|lobby-url> [options]

Joins a p2pcheck room link (https://<server>/r/<room-id>) as a headless peer, tests the connection to the
other peer with the page's own link test and relay check, and prints the report.

Joins a lobby link (https://<server>/lobby/<room-id>) as one more peer of the lobby, connects to everyone in it,
waits until each of its links has settled (a path both ends report, or a failure), and prints the lobby's
headline, its host choice and this peer's row of the matrix (--json: the lobby report). --expect applies to
every one of its links.

${PEER_OPTION_HELP.replace('%TIMEOUT%', String(DEFAULT_TIMEOUT_S))}
  --peers <n>                lobby only: wait until n peers (this one included) have joined (default 2; 2 to 8)
`;

const LOBBY_OPTIONS = { peers: { type: 'string' } } as const;

export async function runJoinCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parsePeerArgs(argv, DEFAULT_TIMEOUT_S, LOBBY_OPTIONS);
  if (!parsed.ok) return usage(io, parsed.error);
  if (parsed.options.help) {
    io.out(JOIN_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 1) return usage(io, parsed.positionals.length === 0 ? 'give the room link to join' : `one room link only (got ${parsed.positionals.length} arguments)`);
  const link = parseRoomLink(parsed.positionals[0]!);
  if (!link.ok) return usage(io, link.error);
  const peersText = parsed.extra?.peers;
  if (link.link.kind === 'lobby') {
    if (parsed.options.turnOnly) return usage(io, '--turn-only is for two-person rooms: a lobby tests every path (its relay checks run from the page)');
    const peers = peersText === undefined ? 2 : Number(peersText);
    if (!Number.isInteger(peers) || peers < 2 || peers > LOBBY_CAPACITY) return usage(io, `--peers '${peersText}': give a whole number from 2 to ${LOBBY_CAPACITY}`);
    return runLobbyTest(link.link, parsed.options, peers, io);
  }
  if (peersText !== undefined) return usage(io, '--peers is for lobby links (/lobby/<room-id>)');
  return runPeerTest(link.link, parsed.options, io);
}

function usage(io: CliIo, error: string): number {
  io.err(`p2pcheck join: ${error} (see p2pcheck join --help)\n`);
  return EXIT.usage;
}
