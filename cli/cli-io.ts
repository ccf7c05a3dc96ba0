// What a subcommand may touch of the outside world: its output streams, its environment and a way to be
// interrupted. Tests pass an in-memory io and read what a user would have seen.
export interface CliIo {
  /** Writes to standard output (the report, the link, `--json`). */
  out(text: string): void;
  /** Writes to standard error (progress, one-line errors). */
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C / SIGTERM; long waits end early with it. */
  readonly signal: AbortSignal;
  /** Whether stdout is a terminal (colour, QR code in block characters). */
  readonly isTty: boolean;
}

export function processIo(signal: AbortSignal): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    signal,
    isTty: process.stdout.isTTY === true,
  };
}
