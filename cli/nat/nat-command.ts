// `p2pcheck nat`: the page's "Check my network" (web/diagnosis/run-diagnosis.ts, same code, same DiagnosisResult)
// run from Node with werift's RTCPeerConnection injected (werift-peer-connection.ts says where it differs from a
// browser). This file is the adapter: options, reaching the server, progress, output and the exit status.
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';
import { NAT_USAGE, parseNatArgs, type NatArgs } from './nat-args';
import { natOneLine, natSummary } from './nat-summary';

/** The first contact (GET /api/config) gets at most this long, so an unreachable server is reported quickly. */
export const REACH_TIMEOUT_MS = 10_000;
/** Closing werift's connections (DTLS/SCTP timers, sockets) after the result is known: at most this long. */
const CLOSE_GRACE_MS = 2000;

export async function runNatCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseNatArgs(argv, io.env);
  if (!parsed.ok) {
    io.err(`p2pcheck nat: ${parsed.error}\n`);
    return EXIT.usage;
  }
  if ('help' in parsed) {
    io.out(NAT_USAGE);
    return EXIT.ok;
  }
  return runNat(parsed.args, io);
}

async function runNat(args: NatArgs, io: CliIo): Promise<number> {
  const started = Date.now();
  const reached = await reachServer(args.server, Math.min(REACH_TIMEOUT_MS, args.timeoutMs), io.signal);
  if (io.signal.aborted) return interrupted(io);
  if (!reached.ok) {
    io.err(`p2pcheck nat: cannot reach the p2pcheck server at ${args.server}: ${reached.reason}\n`);
    return EXIT.serverUnreachable;
  }
  // Loaded only now: --help and bad arguments never load the WebRTC stack.
  const loading = Date.now();
  const [{ weriftPcFactory }, { runDiagnosis }] = await Promise.all([import('./werift-peer-connection'), import('../../web/diagnosis/run-diagnosis')]);
  // --timeout is about the server and the network, not this machine: loading the WebRTC stack (20 s on a machine at
  // load 40, NAT lab) does not count; before, such a run ended with exit 3 blaming the server a second after its
  // verdict.
  const loadMs = Date.now() - loading;
  const pcs = weriftPcFactory();
  let shownSteps = 0;
  const onUpdate = (r: DiagnosisResult) => {
    if (args.quiet) return;
    for (const t of r.timeline.slice(shownSteps)) if (t.step !== 'done') io.err(`  ${(t.at / 1000).toFixed(1).padStart(4)} s  ${t.step}\n`);
    shownSteps = r.timeline.length;
  };
  if (!args.quiet) io.err(`p2pcheck nat: checking this network against ${args.server}\n`);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const outcome = await Promise.race([
    runDiagnosis({ base: args.server, pcFactory: pcs.factory, onUpdate }).then((r) => ({ kind: 'done' as const, r })),
    new Promise<{ kind: 'timeout' }>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, args.timeoutMs - (Date.now() - started - loadMs))))),
    new Promise<{ kind: 'interrupted' }>((resolve) => {
      onAbort = () => resolve({ kind: 'interrupted' });
      if (io.signal.aborted) onAbort();
      else io.signal.addEventListener('abort', onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (onAbort) io.signal.removeEventListener('abort', onAbort);
  await Promise.race([pcs.closeAll(), new Promise((r) => setTimeout(r, CLOSE_GRACE_MS).unref())]);

  if (outcome.kind === 'interrupted') return interrupted(io);
  if (outcome.kind === 'timeout') {
    // Every WebRTC step has its own deadline; what can hang is the server's HTTP API (probe, ICE credentials).
    io.err(`p2pcheck nat: the check did not finish within ${args.timeoutMs / 1000} s: ${args.server} was too slow to answer (raise --timeout, or check the server)\n`);
    return EXIT.serverUnreachable;
  }
  const r = outcome.r;
  io.out(args.json ? `${JSON.stringify(r, null, 2)}\n` : args.quiet ? `${natOneLine(r)}\n` : natSummary(r, args.server));
  if (r.state === 'error') {
    io.err(`p2pcheck nat: the check failed: ${r.error ?? 'unknown error'}\n`);
    return EXIT.serverUnreachable;
  }
  if (r.reachability.udp === 'no-answer') {
    if (!args.quiet) io.err(`p2pcheck nat: UDP to ${r.serverAddress ?? 'the server'} got no answer (exit ${EXIT.udpBlocked})\n`);
    return EXIT.udpBlocked;
  }
  return EXIT.ok;
}

function interrupted(io: CliIo): number {
  io.err('p2pcheck nat: interrupted\n');
  return EXIT.interrupted;
}

/** GET /api/config: the server answers, and it is a p2pcheck server. The reason is one line a person can act on. */
export async function reachServer(server: string, timeoutMs: number, signal: AbortSignal): Promise<{ ok: true } | { ok: false; reason: string }> {
  const url = `${server}/api/config`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), headers: { accept: 'application/json' } });
  } catch (err) {
    return { ok: false, reason: fetchFailure(err, timeoutMs) };
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `GET /api/config answered HTTP ${res.status}${res.status === 404 ? ' (is this a p2pcheck server?)' : ''}` };
  }
  const body = (await res.json().catch(() => null)) as { turn?: unknown } | null;
  if (!body || typeof body !== 'object' || typeof body.turn !== 'object') return { ok: false, reason: 'GET /api/config did not answer as a p2pcheck server does (is this the right address?)' };
  return { ok: true };
}

function fetchFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${(timeoutMs / 1000).toFixed(0)} s`;
  if (e?.name === 'AbortError') return 'interrupted';
  const code = e?.cause?.code;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is the server running, and on this port?)',
    ENOTFOUND: 'no such host name',
    EAI_AGAIN: 'the host name could not be resolved (DNS)',
    ECONNRESET: 'the connection was reset',
    EHOSTUNREACH: 'no route to the host',
    ENETUNREACH: 'the network is unreachable',
    ETIMEDOUT: 'the connection timed out',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
    CERT_HAS_EXPIRED: 'its TLS certificate has expired',
    ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
  };
  if (code && words[code]) return words[code]!;
  return (e?.cause?.message ?? e?.message ?? String(err)).split('\n')[0]!;
}
