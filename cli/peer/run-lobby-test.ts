// What `join <lobby-link>` does once it knows the lobby: check that the server answers, run the headless peer in the
// lobby until its links have settled, print the summary (or the lobby report as JSON), save it when asked, and turn
// the outcome and this peer's links into an exit status: every link must meet --expect.
import { randomBytes } from 'node:crypto';
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';
import { postReportTo } from '../../web/share/report-saver';
import { runHeadlessLobby, type HeadlessLobbyResult } from './headless-lobby';
import { lobbyHeadline, lobbyRowSummary } from './lobby-row-summary';
import { pathMeets, type PeerOptions } from './peer-options';
import { serverProblem } from './run-peer-test';
import { chooseTurnTransport } from './turn-transport';
import { createWeriftPeerConnectionFactory } from './werift-peer';

export interface LobbyTarget {
  origin: string;
  wsUrl: string;
  roomId: string;
}

export async function runLobbyTest(target: LobbyTarget, options: PeerOptions, wantPeers: number, io: CliIo): Promise<number> {
  const say = (text: string) => !options.quiet && io.err(`p2pcheck: ${text}\n`);
  const fail = (code: number, text: string) => {
    io.err(`p2pcheck: ${text}\n`);
    return code;
  };
  const problem = await serverProblem(target.origin, io.signal, Math.min(10_000, options.timeoutMs));
  if (io.signal.aborted) return EXIT.interrupted;
  if (problem !== null) return fail(EXIT.serverUnreachable, `cannot reach the p2pcheck server at ${target.origin}: ${problem}`);
  const turnTransport = await chooseTurnTransport(target.origin, io.signal, say);
  if (io.signal.aborted) return EXIT.interrupted;
  const result = await runHeadlessLobby({
    ...target,
    // Told apart in the others' matrices (a page's default is its browser and system, the same on every CLI peer).
    name: `p2pcheck CLI ${randomBytes(2).toString('hex')}`,
    wantPeers,
    timeoutMs: options.timeoutMs,
    createPeerConnection: createWeriftPeerConnectionFactory({ hostAddresses: options.hostAddresses, turnTransport }),
    signal: io.signal,
    onProgress: say,
  });
  if (result.state.selfId !== null) {
    if (options.json) io.out(`${JSON.stringify(result.report, null, 2)}\n`);
    else io.out(`${(options.quiet ? [lobbyHeadline(result.state)] : lobbyRowSummary(result.state)).join('\n')}\n`);
    if (options.save) await save(target.origin, result, options, io);
  }
  return exitFor(result, options, wantPeers, fail);
}

async function save(origin: string, result: HeadlessLobbyResult, options: PeerOptions, io: CliIo): Promise<void> {
  try {
    const saved = await postReportTo(origin)({ report: result.report, redact: true });
    const line = `saved: ${new URL(saved.url, origin).href}\n`;
    if (options.json) io.err(line);
    else io.out(line);
  } catch (err) {
    io.err(`p2pcheck: the report was not saved: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

function exitFor({ outcome, settled }: HeadlessLobbyResult, options: PeerOptions, wantPeers: number, fail: (code: number, text: string) => number): number {
  const seconds = Math.round(options.timeoutMs / 1000);
  switch (outcome.kind) {
    case 'done': {
      const links = [...settled];
      const failed = links.filter(([, l]) => l.mine.state === 'failed').map(([id]) => id);
      if (failed.length > 0) return fail(EXIT.noConnection, `no connection to ${failed.join(', ')}: no candidate pair worked (ICE failed) — UDP blocked and no TURN relay reachable?`);
      const off = links.filter(([, l]) => !pathMeets(l.mine.path!, options.expect)).map(([id, l]) => `${id} (${l.mine.path})`);
      if (off.length > 0) return fail(EXIT.pathUnexpected, `the path to ${off.join(', ')} is not ${options.expect} as --expect asked`);
      return EXIT.ok;
    }
    case 'server-unreachable':
      return fail(EXIT.serverUnreachable, `lost the signaling server: ${outcome.message}`);
    case 'lobby-full':
      return fail(EXIT.roomUnavailable, 'the lobby is full: it holds up to 8 peers at a time');
    case 'no-peer':
      return fail(EXIT.noPeer, `${outcome.joined <= 1 ? 'nobody else joined the lobby' : `only ${outcome.joined} of ${wantPeers} peers (--peers) joined the lobby`} within ${seconds} s (--timeout)`);
    case 'no-connection':
      return fail(EXIT.noConnection, `no connection: a link was still connecting after ${seconds} s — UDP blocked and no TURN relay reachable?`);
    case 'incomplete':
      return fail(EXIT.incomplete, `connected, but not every link settled (a path both ends report) within ${seconds} s (--timeout)`);
    case 'interrupted':
      return fail(EXIT.interrupted, 'interrupted');
    default: {
      const unreachable: never = outcome;
      return unreachable;
    }
  }
}
