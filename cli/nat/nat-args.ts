// `p2pcheck nat` options: parsed and checked before anything is contacted. Pure.
import { parseArgs } from 'node:util';

/** The server `npm start` runs (signal/config.ts: PORT 8080). */
export const DEFAULT_SERVER = 'http://localhost:8080';
/** Every WebRTC step of the check has its own deadline (about 12 s in all when nothing answers); this bounds the HTTP calls too. */
export const DEFAULT_TIMEOUT_S = 30;
export const MAX_TIMEOUT_S = 600;

export const NAT_USAGE = `Usage: p2pcheck nat [--server URL] [--json] [--timeout SECONDS] [--quiet]

Checks this network's NAT against a p2pcheck server and its probe peer: the same tests and verdict as the
page's "Check my network" (UDP, mapping, filtering, hairpinning, TURN relay over TCP and TLS, IPv6).

Options:
  --server URL        the p2pcheck server (default: $P2PCHECK_SERVER, else ${DEFAULT_SERVER})
  --json              print the full result (the page's DiagnosisResult) as JSON instead of the summary
  --timeout SECONDS   give up after this long (default ${DEFAULT_TIMEOUT_S}, 1 to ${MAX_TIMEOUT_S})
  --quiet             no progress on stderr; the summary is one line (the verdict)
  -h, --help          this text

Exit codes: 0 the check ran, 9 UDP to the server got no answer, 3 server unreachable or too slow,
2 bad arguments, 130 interrupted, 1 internal error. See docs/cli.md.
`;

export interface NatArgs {
  /** Origin of the server, e.g. "http://localhost:8080" (no trailing slash). */
  server: string;
  json: boolean;
  timeoutMs: number;
  quiet: boolean;
}

export type NatArgsResult = { ok: true; args: NatArgs } | { ok: true; help: true } | { ok: false; error: string };

/** A server given as "host:port" or a full URL (a room link works too: its origin is used). */
export function serverOrigin(raw: string): string | null {
  const text = raw.trim();
  if (!text) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  return url.origin;
}

export function parseNatArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): NatArgsResult {
  let values: { server?: string; json?: boolean; timeout?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        server: { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    // parseArgs' messages name the option ("Unknown option '--srever'"); keep the first line.
    return { ok: false, error: `${(err instanceof Error ? err.message : String(err)).split('\n')[0]} (see p2pcheck nat --help)` };
  }
  if (values.help) return { ok: true, help: true };
  const fromEnv = env.P2PCHECK_SERVER?.trim();
  const rawServer = values.server ?? (fromEnv || DEFAULT_SERVER);
  const server = serverOrigin(rawServer);
  if (!server) {
    const source = values.server !== undefined ? '--server' : 'P2PCHECK_SERVER';
    return { ok: false, error: `${source} must be an http:// or https:// URL of a p2pcheck server (e.g. ${DEFAULT_SERVER}), got "${rawServer}"` };
  }
  let timeoutS = DEFAULT_TIMEOUT_S;
  if (values.timeout !== undefined) {
    const t = Number(values.timeout);
    if (!/^\d+(\.\d+)?$/.test(values.timeout.trim()) || !(t >= 1 && t <= MAX_TIMEOUT_S)) {
      return { ok: false, error: `--timeout must be a number of seconds from 1 to ${MAX_TIMEOUT_S}, got "${values.timeout}"` };
    }
    timeoutS = t;
  }
  return { ok: true, args: { server, json: values.json === true, timeoutMs: Math.round(timeoutS * 1000), quiet: values.quiet === true } };
}
