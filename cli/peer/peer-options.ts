// The options `p2pcheck join` and `p2pcheck host` share, parsed and checked before anything is contacted.
import { parseArgs } from 'node:util';
import { isIP } from 'node:net';
import type { PathKind } from '../../common/path-kind';

export type Expectation = 'direct' | 'relay' | 'any';

export interface PeerOptions {
  expect: Expectation;
  json: boolean;
  save: boolean;
  turnOnly: boolean;
  timeoutMs: number;
  quiet: boolean;
  hostAddresses: string[];
  help: boolean;
}

export const PEER_OPTION_HELP = `Options:
  --expect direct|relay|any  exit 7 unless the path is of this kind (default any)
  --turn-only                relay only: connect through the TURN server (as ?relay=1 in a link)
  --timeout <seconds>        give up after this long (default %TIMEOUT%; 1 to 3600)
  --json                     print the full report (the page's JSON format) instead of the summary
  --save                     save the report on the server (private addresses masked) and print its permalink
  --quiet                    no progress lines; only the result (or the JSON)
  --host-address <ip>        gather host candidates on this address only (repeat for more; default: every
                             interface's non-loopback address). E.g. 127.0.0.1 to test on one machine.
  -h, --help                 this help`;

const OPTIONS = {
  expect: { type: 'string' },
  json: { type: 'boolean' },
  save: { type: 'boolean' },
  'turn-only': { type: 'boolean' },
  timeout: { type: 'string' },
  quiet: { type: 'boolean' },
  'host-address': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ParsedPeerArgs = { ok: true; options: PeerOptions; positionals: string[] } | { ok: false; error: string };

export function parsePeerArgs(argv: string[], defaultTimeoutS: number, extra: Record<string, { type: 'string' }> = {}): ParsedPeerArgs & { extra?: Record<string, string | undefined> } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...OPTIONS, ...extra }, allowPositionals: true, strict: true });
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const expect = (v.expect as string | undefined) ?? 'any';
  if (expect !== 'direct' && expect !== 'relay' && expect !== 'any') return { ok: false, error: `--expect '${expect}': use direct, relay or any` };
  let timeoutMs = defaultTimeoutS * 1000;
  if (v.timeout !== undefined) {
    const s = Number(v.timeout);
    if (!Number.isFinite(s) || s < 1 || s > 3600) return { ok: false, error: `--timeout '${String(v.timeout)}': give seconds from 1 to 3600` };
    timeoutMs = Math.round(s * 1000);
  }
  const hostAddresses = (v['host-address'] as string[] | undefined) ?? [];
  const bad = hostAddresses.find((a) => isIP(a) === 0);
  if (bad !== undefined) return { ok: false, error: `--host-address '${bad}' is not an IP address` };
  const extraValues = Object.fromEntries(Object.keys(extra).map((k) => [k, v[k] as string | undefined]));
  return {
    ok: true,
    options: { expect, json: v.json === true, save: v.save === true, turnOnly: v['turn-only'] === true, timeoutMs, quiet: v.quiet === true, hostAddresses, help: v.help === true },
    positionals: parsed.positionals,
    extra: extraValues,
  };
}

/** Whether a path is what --expect asked for. direct: any path without a relay (LAN, public, through NAT). */
export function pathMeets(kind: PathKind, expect: Expectation): boolean {
  if (kind === 'none') return false;
  const relayed = kind.startsWith('relay-');
  return expect === 'any' || (expect === 'relay') === relayed;
}
