// A setting that cannot be used, found at start: one line naming the environment variable and the fix. The entry
// points (signal/main.ts, turn/main.ts) print it as it is, without a stack — told apart by its class, not its words.
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** The environment variable at fault (the first one named when two conflict), e.g. 'TURN_PORT'. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}
