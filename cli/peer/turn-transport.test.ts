// Which TURN transport the headless peer gives werift: the URL rules, the choice, the reordering, and the probes
// against p2pcheck's own server on loopback (its TURN over UDP and TCP; a port nobody listens on as the blocked one).
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../signal/app';
import { pickTurnTransport, preferTurnTransport, reachableTurnTransports, turnEndpointOf, turnEndpoints, type TurnEndpoint } from './turn-transport';

/** What p2pcheck's server hands out (signal/http/ice-servers.ts): UDP first, then TCP, then TLS. */
const SERVERS = [
  { urls: ['stun:turn.example.org:3478'] },
  { urls: ['turn:turn.example.org:3478?transport=udp', 'turn:turn.example.org:3478?transport=tcp', 'turns:turn.example.org:443?transport=tcp'], username: 'u', credential: 'c' },
];

describe('TURN URLs', () => {
  it('reads transport, host and port as werift would (RFC 7065 default ports)', () => {
    expect(turnEndpointOf('turn:203.0.113.1:3478?transport=udp')).toEqual({ transport: 'udp', host: '203.0.113.1', port: 3478 });
    expect(turnEndpointOf('turn:[2001:db8::1]?transport=tcp')).toEqual({ transport: 'tcp', host: '2001:db8::1', port: 3478 });
    expect(turnEndpointOf('turns:turn.example.org')).toEqual({ transport: 'tls', host: 'turn.example.org', port: 5349 });
    expect(turnEndpointOf('stun:turn.example.org:3478')).toBeNull();
    expect(turnEndpointOf('turn:host:99999')).toBeNull();
    expect(turnEndpoints(SERVERS).map((e) => `${e.transport} ${e.port}`)).toEqual(['udp 3478', 'tcp 3478', 'tls 443']);
  });
  it('chooses UDP when it answered, else TCP, else TLS, else nothing', () => {
    expect(pickTurnTransport(new Set(['tls', 'tcp', 'udp']))).toBe('udp');
    expect(pickTurnTransport(new Set(['tls', 'tcp']))).toBe('tcp');
    expect(pickTurnTransport(new Set(['tls']))).toBe('tls');
    expect(pickTurnTransport(new Set())).toBeNull();
  });
  it('puts the chosen transport first, within a server and among servers, and leaves STUN alone', () => {
    const tls = preferTurnTransport(SERVERS, 'tls');
    expect(tls[0]).toBe(SERVERS[0]);
    expect(tls[1]!.urls).toEqual(['turns:turn.example.org:443?transport=tcp', 'turn:turn.example.org:3478?transport=udp', 'turn:turn.example.org:3478?transport=tcp']);
    expect(tls[1]!.credential).toBe('c');
    expect(preferTurnTransport(SERVERS, 'udp')).toEqual(SERVERS);
    const split = [{ urls: 'turn:a:3478', username: 'a' }, { urls: 'stun:b' }, { urls: 'turn:b:3478?transport=tcp', username: 'b' }];
    expect(preferTurnTransport(split, 'tcp').map((s) => s.username ?? 'stun')).toEqual(['b', 'a', 'stun']);
  });
});

describe('reachableTurnTransports (real sockets)', () => {
  let app: RunningApp;
  let live: TurnEndpoint[];
  let closedPort: number;
  beforeAll(async () => {
    const env = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: '0', STATIC_DIR: mkdtempSync(join(tmpdir(), 'p2pcheck-tt-static-')), DATA_DIR: mkdtempSync(join(tmpdir(), 'p2pcheck-tt-data-')) };
    app = await startApp(env, []);
    const res = await fetch(`http://127.0.0.1:${app.httpPort}/api/ice-servers`);
    live = turnEndpoints(((await res.json()) as { iceServers: typeof SERVERS }).iceServers);
    // A port that was just free: nothing answers there, over UDP or TCP.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds the server\'s TURN over UDP at once, and over TCP', async () => {
    expect(live.map((e) => e.transport)).toEqual(['udp', 'tcp']);
    const started = Date.now();
    expect(pickTurnTransport(await reachableTurnTransports(live, new AbortController().signal))).toBe('udp');
    expect(Date.now() - started).toBeLessThan(1500); // an answer ends the wait
    const tcpOnly = live.filter((e) => e.transport === 'tcp');
    expect([...(await reachableTurnTransports(tcpOnly, new AbortController().signal))]).toEqual(['tcp']);
  });
  it('with UDP unanswered (nothing listens) and TLS refused, TCP is what gets through', async () => {
    const udp = { transport: 'udp' as const, host: '127.0.0.1', port: closedPort };
    const tls = { transport: 'tls' as const, host: '127.0.0.1', port: closedPort };
    const tcp = live.find((e) => e.transport === 'tcp')!;
    const reached = await reachableTurnTransports([udp, tcp, tls], new AbortController().signal, 1000);
    expect([...reached]).toEqual(['tcp']);
    expect(pickTurnTransport(reached)).toBe('tcp');
  });
  it('stops at once when aborted (Ctrl-C)', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const pending = reachableTurnTransports([{ transport: 'udp', host: '127.0.0.1', port: closedPort }], abort.signal, 10_000);
    abort.abort();
    expect([...(await pending)]).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
