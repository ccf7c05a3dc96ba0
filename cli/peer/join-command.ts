// `p2pcheck join <room-url>`: the headless peer joins a room link and tests the path to whoever is in it.
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';
import { PEER_OPTION_HELP, parsePeerArgs } from './peer-options';
import { parseRoomLink } from './room-link';
import { runPeerTest } from './run-peer-test';

const DEFAULT_TIMEOUT_S = 90;

export const JOIN_HELP = `Usage: p2pcheck join <room-url> [options]

Joins a p2pcheck room link (https://<server>/r/<room-id>) as a headless peer, tests the connection to the
other peer with the page's own link test and relay check, and prints the report.

${PEER_OPTION_HELP.replace('%TIMEOUT%', String(DEFAULT_TIMEOUT_S))}
`;

export async function runJoinCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parsePeerArgs(argv, DEFAULT_TIMEOUT_S);
  if (!parsed.ok) return usage(io, parsed.error);
  if (parsed.options.help) {
    io.out(JOIN_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 1) return usage(io, parsed.positionals.length === 0 ? 'give the room link to join' : `one room link only (got ${parsed.positionals.length} arguments)`);
  const link = parseRoomLink(parsed.positionals[0]!);
  if (!link.ok) return usage(io, link.error);
  if (link.link.kind === 'lobby') return usage(io, 'lobby links are not supported by the headless peer yet: use a two-person room link (/r/<room-id>)');
  return runPeerTest(link.link, parsed.options, io);
}

function usage(io: CliIo, error: string): number {
  io.err(`p2pcheck join: ${error} (see p2pcheck join --help)\n`);
  return EXIT.usage;
}
