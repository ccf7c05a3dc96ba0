// `p2pcheck` process entry (bin/p2pcheck.mjs loads it through tsx): wires signals and stdio to runCli and sets
// the exit status.
import { processIo } from './cli-io';
import { EXIT } from './exit-codes';
import { runCli } from './run-cli';

async function main(): Promise<void> {
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.interrupted); // a second Ctrl-C does not wait for the clean-up
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io = processIo(abort.signal);
  let code: number;
  try {
    code = await runCli(process.argv.slice(2), io);
  } catch (err) {
    io.err(`p2pcheck: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    code = EXIT.internal;
  }
  process.exitCode = code;
  // werift keeps timers and sockets of closed connections around for a while; the result is final, so exit.
  setTimeout(() => process.exit(code), 200).unref();
}

void main();
