// Placeholder for `p2pcheck nat`; the NAT check's own implementation replaces this file.
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';

export async function runNatCommand(argv: string[], io: CliIo): Promise<number> {
  void argv;
  io.err('p2pcheck nat: not available in this build yet\n');
  return EXIT.internal;
}
