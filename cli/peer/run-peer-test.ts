// What `join` and `host` do once they know the room: check that the server answers, run the headless peer in the
// room, print the report (summary or JSON), save it when asked, and turn the outcome into an exit status.
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';
import { postReportTo } from '../../web/share/report-saver';
import { runHeadlessRoom } from './headless-room';
import type { RoomOutcome } from './room-outcome';
import { pathMeets, type PeerOptions } from './peer-options';
import { headline, reportSummary } from './report-summary';
import { chooseTurnTransport } from './turn-transport';
import { createWeriftPeerConnectionFactory } from './werift-peer';
import type { ConnectivityReport } from '../../common/report';

export interface RoomTarget {
  origin: string;
  wsUrl: string;
  roomId: string;
  relayOnly: boolean;
}

/** How long the first HTTP request to the server may take before it counts as unreachable. */
const SERVER_CHECK_MS = 10_000;

/** GET /api/ice-servers: the server is there and is a p2pcheck server. Null when fine, else why not. */
export async function serverProblem(origin: string, signal: AbortSignal, timeoutMs = SERVER_CHECK_MS): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(new URL('/api/ice-servers', origin), { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), cache: 'no-store' });
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
    const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
    return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  }
  await res.body?.cancel().catch(() => {});
  if (!res.ok) return `it answered HTTP ${res.status} to /api/ice-servers${res.status === 404 ? ' (is this a p2pcheck server?)' : ''}`;
  return null;
}

export async function runPeerTest(target: RoomTarget, options: PeerOptions, io: CliIo): Promise<number> {
  const say = (text: string) => !options.quiet && io.err(`p2pcheck: ${text}\n`);
  const fail = (code: number, text: string) => {
    io.err(`p2pcheck: ${text}\n`);
    return code;
  };
  const problem = await serverProblem(target.origin, io.signal, Math.min(SERVER_CHECK_MS, options.timeoutMs));
  if (io.signal.aborted) return EXIT.interrupted;
  if (problem !== null) return fail(EXIT.serverUnreachable, `cannot reach the p2pcheck server at ${target.origin}: ${problem}`);
  const turnTransport = await chooseTurnTransport(target.origin, io.signal, say);
  if (io.signal.aborted) return EXIT.interrupted;
  const { outcome, report } = await runHeadlessRoom({
    ...target,
    relayOnly: target.relayOnly || options.turnOnly,
    timeoutMs: options.timeoutMs,
    createPeerConnection: createWeriftPeerConnectionFactory({ hostAddresses: options.hostAddresses, turnTransport }),
    signal: io.signal,
    onProgress: say,
  });
  const seconds = Math.round(options.timeoutMs / 1000);
  const hasReport = report.startedAt !== null && report.startedAt !== undefined;
  if (hasReport) {
    if (options.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else io.out(`${(options.quiet ? [headline(report)] : reportSummary(report)).join('\n')}\n`);
    if (options.save) await save(target.origin, report, options, io);
  }
  return exitFor(outcome, report, options, seconds, fail);
}

async function save(origin: string, report: ConnectivityReport, options: PeerOptions, io: CliIo): Promise<void> {
  try {
    const saved = await postReportTo(origin)({ report, redact: true });
    const line = `saved: ${new URL(saved.url, origin).href}\n`;
    if (options.json) io.err(line);
    else io.out(line);
  } catch (err) {
    io.err(`p2pcheck: the report was not saved: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

function exitFor(outcome: RoomOutcome, report: ConnectivityReport, options: PeerOptions, seconds: number, fail: (code: number, text: string) => number): number {
  switch (outcome.kind) {
    case 'done':
      if (pathMeets(report.path.kind, options.expect)) return EXIT.ok;
      return fail(EXIT.pathUnexpected, `the path is ${report.path.label}, not ${options.expect} as --expect asked`);
    case 'server-unreachable':
      return fail(EXIT.serverUnreachable, `lost the signaling server: ${outcome.message}`);
    case 'room-full':
      return fail(EXIT.roomUnavailable, 'the room is full: two peers are in it already (a lobby link holds up to 8)');
    case 'no-peer':
      return fail(EXIT.noPeer, `nobody else joined the room within ${seconds} s (--timeout)`);
    case 'peer-left':
      return fail(EXIT.noPeer, 'the other peer left before the test ended');
    case 'no-connection':
      return fail(EXIT.noConnection, `no connection: the peers met but no candidate pair worked${report.peerState === 'failed' ? ' (ICE failed)' : ` within ${seconds} s`} — UDP blocked and no TURN relay reachable?`);
    case 'incomplete':
      return fail(EXIT.incomplete, `connected (${report.path.label}), but the test did not finish within ${seconds} s (--timeout)`);
    case 'interrupted':
      return fail(EXIT.interrupted, 'interrupted');
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}
