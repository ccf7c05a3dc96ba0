// `p2pcheck host`: offers a room. Prints its link (and a QR code on a terminal) for a browser to open, waits for
// it, then tests the connection exactly as `join` does (the browser, arriving second, makes the offer).
import QRCode from 'qrcode';
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';
import { DEFAULT_SERVER, serverOrigin } from '../nat/nat-args';
import { newRoomId, roomPath } from '../../web/routing/app-route';
import { PEER_OPTION_HELP, parsePeerArgs } from './peer-options';
import { runPeerTest, serverProblem } from './run-peer-test';

/** A person has to open the link on another device: ten minutes by default. */
const DEFAULT_TIMEOUT_S = 600;

export const HOST_HELP = `Usage: p2pcheck host [--server URL] [options]

Creates a room on a p2pcheck server, prints its link (and a QR code when the output is a terminal), waits for a
browser to open it, then tests the connection to it and prints the report, as p2pcheck join does.

  --server URL               the p2pcheck server (default: $P2PCHECK_SERVER, else ${DEFAULT_SERVER})
${PEER_OPTION_HELP.replace('%TIMEOUT%', String(DEFAULT_TIMEOUT_S))}
`;

export async function runHostCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parsePeerArgs(argv, DEFAULT_TIMEOUT_S, { server: { type: 'string' } });
  if (!parsed.ok) return usage(io, parsed.error);
  const { options } = parsed;
  if (options.help) {
    io.out(HOST_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 0) return usage(io, `unexpected argument '${parsed.positionals[0]}'`);
  const raw = parsed.extra?.server ?? io.env.P2PCHECK_SERVER ?? DEFAULT_SERVER;
  const origin = serverOrigin(raw);
  if (origin === null) return usage(io, `--server '${raw}' is not an http(s) address`);
  const problem = await serverProblem(origin, io.signal);
  if (io.signal.aborted) return EXIT.interrupted;
  if (problem !== null) {
    io.err(`p2pcheck: cannot reach the p2pcheck server at ${origin}: ${problem}\n`);
    return EXIT.serverUnreachable;
  }
  const roomId = newRoomId();
  const link = `${origin}${roomPath(roomId, options.turnOnly)}`;
  // The link on stdout for a person or a script (stderr when stdout carries the JSON report).
  const show = options.json ? io.err : io.out;
  show(`room link: ${link}\n`);
  if (io.isTty && !options.quiet && !options.json) show(`${await QRCode.toString(link, { type: 'terminal', small: true })}\n`);
  if (!options.quiet) io.err(`p2pcheck: waiting for someone to open the link (up to ${Math.round(options.timeoutMs / 1000)} s)…\n`);
  const wsUrl = `${origin.replace(/^http/, 'ws')}/ws`;
  return runPeerTest({ origin, wsUrl, roomId, relayOnly: options.turnOnly }, options, io);
}

function usage(io: CliIo, error: string): number {
  io.err(`p2pcheck host: ${error} (see p2pcheck host --help)\n`);
  return EXIT.usage;
}
