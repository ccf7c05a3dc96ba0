// `p2pcheck join` (being built: issue 16).
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';

export async function runJoinCommand(argv: string[], io: CliIo): Promise<number> {
  void argv;
  io.err('p2pcheck join: not available in this build yet\n');
  return EXIT.internal;
}
