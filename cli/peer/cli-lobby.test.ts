// `p2pcheck join <lobby-link>` against the real signal server and TURN server on loopback: three headless peers in
// one lobby (werift on 127.0.0.1 only) — every pair settles and both ends of each agree — and a full lobby.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { lobbyReportSchema, type LobbyReport } from '../../common/lobby-report';
import { LOBBY_CAPACITY, PROTOCOL_VERSION } from '../../common/messages';
import { startApp, type RunningApp } from '../../signal/app';
import { connectInbox } from '../../signal/ws/test-inbox-client';
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';
import { runCli } from '../run-cli';

let app: RunningApp;
let base: string;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  const env = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: '0', STATIC_DIR: mkdtempSync(join(tmpdir(), 'p2pcheck-cli-lobby-static-')) };
  app = await startApp(env, []);
  base = `http://127.0.0.1:${app.httpPort}`;
});
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await app?.close();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env: {}, signal: new AbortController().signal, isTty: false };
  const code = await runCli(args, io);
  return { code, out, err };
}

const newRoomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
const LOOPBACK = ['--host-address', '127.0.0.1'];

describe('p2pcheck join <lobby-link>', () => {
  it('three headless peers: every pair settles on the same path at both ends; each prints its row; --expect over all its links', { timeout: 120_000 }, async () => {
    const link = `${base}/lobby/${newRoomId()}`;
    const common = ['join', link, ...LOOPBACK, '--peers', '3', '--timeout', '90'];
    const [a, b, c] = await Promise.all([
      cli([...common, '--json', '--quiet']),
      cli([...common, '--json', '--quiet', '--expect', 'direct']),
      cli([...common, '--expect', 'relay']),
    ]);
    expect(a.code, a.err).toBe(EXIT.ok);
    expect(b.code, b.err).toBe(EXIT.ok);
    // The readable run: the lobby's headline and host choice as the page words them, then its two links.
    expect(c.code, c.err).toBe(EXIT.pathUnexpected);
    expect(c.err).toMatch(/the path to \S+ \(direct-lan\), \S+ \(direct-lan\) is not relay as --expect asked/);
    // Whoever finished first may have left by now: the headline and host choice describe every peer this one met
    // (the row says who left), so they do not depend on who finished first.
    expect(c.out).toMatch(/^lobby: all 3 links work \(3 direct\)$/m);
    expect(c.out).toMatch(/^Best host: /m);
    const row = c.out.split('\n').filter((l) => l.startsWith('  to '));
    expect(row).toHaveLength(2);
    for (const l of row) expect(l).toMatch(/^  to p2pcheck CLI [0-9a-f]{4} \(\S+\): direct \(same network\), RTT [\d.]+ ms; both ends agree( \(left\))?$/);
    const reports = [a, b].map((r) => JSON.parse(r.out) as LobbyReport);
    for (const r of reports) {
      expect(lobbyReportSchema.safeParse(r).success).toBe(true);
      expect(r.members).toHaveLength(3);
      expect(r.cells).toHaveLength(3);
      for (const cell of r.cells) expect(cell).toMatchObject({ state: expect.stringMatching(/^(connected|left)$/), path: 'direct-lan', agreement: 'agree' });
      // Its own two pairs, each with the full two-person report.
      expect(r.pairs.map((p) => p.report.path.kind)).toEqual(['direct-lan', 'direct-lan']);
    }
    // Both reports name the same three peers, and each sees the other as a member.
    expect(reports[0]!.members.map((m) => m.peerId).sort()).toEqual(reports[1]!.members.map((m) => m.peerId).sort());
  });

  it('a full lobby: exit 4 and says so, nothing on stdout', { timeout: 30_000 }, async () => {
    const roomId = newRoomId();
    for (let i = 0; i < LOBBY_CAPACITY; i++) {
      const s = await connectInbox(app.httpPort, { track: sockets });
      s.send({ type: 'join', roomId, version: PROTOCOL_VERSION, lobby: true });
      expect(await s.next()).toMatchObject({ type: 'joined' });
    }
    const r = await cli(['join', `${base}/lobby/${roomId}`, ...LOOPBACK, '--timeout', '20']);
    expect(r.err).toContain('p2pcheck: the lobby is full');
    expect(r.code).toBe(EXIT.roomUnavailable);
    expect(r.out).toBe('');
  });

  it('nobody else joins before --timeout: exit 5', { timeout: 30_000 }, async () => {
    const r = await cli(['join', `${base}/lobby/${newRoomId()}`, ...LOOPBACK, '--timeout', '1', '--quiet']);
    expect(r.code).toBe(EXIT.noPeer);
    expect(r.err).toContain('nobody else joined the lobby within 1 s (--timeout)');
  });

  it('bad lobby options: exit 2 and one line', async () => {
    const cases: [string[], string][] = [
      [['join', `${base}/lobby/${newRoomId()}`, '--peers', '9'], "--peers '9': give a whole number from 2 to 8"],
      [['join', `${base}/lobby/${newRoomId()}`, '--turn-only'], '--turn-only is for two-person rooms'],
      [['join', `${base}/r/${newRoomId()}`, '--peers', '3'], '--peers is for lobby links'],
    ];
    for (const [args, text] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(EXIT.usage);
      expect(r.err, args.join(' ')).toContain(text);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
