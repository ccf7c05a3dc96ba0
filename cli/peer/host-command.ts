// `p2pcheck host` (being built: issue 16).
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';

export async function runHostCommand(argv: string[], io: CliIo): Promise<number> {
  void argv;
  io.err('p2pcheck host: not available in this build yet\n');
  return EXIT.internal;
}
