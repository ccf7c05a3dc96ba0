// Picks the `p2pcheck` subcommand and hands it the rest of the arguments. Each subcommand parses its own options
// (node:util parseArgs) and returns an exit status from cli/exit-codes.ts.
import { readFileSync } from 'node:fs';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { runNatCommand } from './nat/nat-command';

export const USAGE = `p2pcheck — WebRTC connectivity test from the command line

Usage:
  p2pcheck join <room-url> [options]   join a room or lobby link and test the path to the other peer
  p2pcheck host [options]              create a room, print its link and QR code, wait for a browser, test
  p2pcheck nat [options]               check this network's NAT against a p2pcheck server
  p2pcheck --version | --help
  p2pcheck <command> --help            options of one command

Exit codes: 0 ok, 2 bad arguments, 3 server unreachable, 4 room full/expired, 5 nobody joined / peer left,
6 no connection (ICE failed), 7 path not as --expect, 8 test incomplete at --timeout, 1 internal error,
130 interrupted. See docs/cli.md.
`;

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

type Command = (argv: string[], io: CliIo) => Promise<number>;

// Loaded on demand so `p2pcheck nat` and `--help` never load the WebRTC stack.
const COMMANDS: Record<string, () => Promise<Command>> = {
  join: async () => (await import('./peer/join-command')).runJoinCommand,
  host: async () => (await import('./peer/host-command')).runHostCommand,
  nat: async () => runNatCommand,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? io.err : io.out)(USAGE);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    io.out(`p2pcheck ${packageVersion()}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (load === undefined) {
    io.err(`p2pcheck: unknown command '${first}' (expected join, host or nat; see p2pcheck --help)\n`);
    return EXIT.usage;
  }
  const command = await load();
  return command(rest, io);
}
