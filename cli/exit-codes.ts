// The exit status of every `p2pcheck` command: one list, documented in docs/cli.md ("Exit codes").
export const EXIT = {
  /** Connected, and the path met --expect (join/host); the check ran (nat). */
  ok: 0,
  /** Something unexpected went wrong inside p2pcheck (a bug): the message says what. */
  internal: 1,
  /** Bad arguments or a bad setting: nothing was contacted. */
  usage: 2,
  /** The signaling server could not be reached (DNS, refused, TLS, HTTP error, timeout). */
  serverUnreachable: 3,
  /** The room or lobby is full, expired or does not exist. */
  roomUnavailable: 4,
  /** Nobody joined before --timeout (host), or the other peer left before the test ended. */
  noPeer: 5,
  /** The peers met but ICE found no working path (UDP blocked, TURN unreachable or refused). */
  noConnection: 6,
  /** Connected, but the path was not the one --expect asked for. */
  pathUnexpected: 7,
  /** Connected, but --timeout came before the link test and the relay check ended (the report is partial). */
  incomplete: 8,
  /** nat: the check ran, and nothing came back over UDP from the server (the verdict says whether a TURN relay still works). */
  udpBlocked: 9,
  /** Interrupted (Ctrl-C / SIGTERM). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
