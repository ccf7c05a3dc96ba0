// The pure parts of `join`/`host`: reading a link, the options, when a test is over and how it ended, the summary.
import { describe, expect, it } from 'vitest';
import { fullReport } from '../../common/testdata/full-report';
import { createAppStore } from '../../web/store/app-store';
import { parsePeerArgs, pathMeets } from './peer-options';
import { reportSummary } from './report-summary';
import { parseRoomLink } from './room-link';
import { outcomeAtDeadline, settledOutcome } from './room-outcome';

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('parseRoomLink', () => {
  it('reads the server, its /ws and the room from a room link, relay only from ?relay=1', () => {
    expect(parseRoomLink(`https://p2p.example.org/r/${ID}?relay=1`)).toEqual({ ok: true, link: { kind: 'room', roomId: ID, relayOnly: true, origin: 'https://p2p.example.org', wsUrl: 'wss://p2p.example.org/ws' } });
    expect(parseRoomLink(`http://10.0.0.1:8080/r/${ID}`)).toMatchObject({ ok: true, link: { relayOnly: false, wsUrl: 'ws://10.0.0.1:8080/ws' } });
    expect(parseRoomLink(`http://h/lobby/${ID}`)).toMatchObject({ ok: true, link: { kind: 'lobby' } });
  });
  it('refuses what is not a room link, saying what it expected', () => {
    expect(parseRoomLink(`ws://h/r/${ID}`)).toMatchObject({ ok: false, error: expect.stringContaining('only http:// and https://') });
    expect(parseRoomLink('http://h/report/abcdefghijklmnopqrstuv')).toMatchObject({ ok: false, error: expect.stringContaining('expected http://h/r/<room-id>') });
  });
});

describe('options', () => {
  it('defaults, and each value read', () => {
    const d = parsePeerArgs(['x'], 90);
    expect(d).toMatchObject({ ok: true, positionals: ['x'], options: { expect: 'any', timeoutMs: 90_000, json: false, save: false, turnOnly: false, quiet: false, hostAddresses: [] } });
    const all = parsePeerArgs(['--expect', 'relay', '--timeout', '2.5', '--json', '--save', '--turn-only', '--quiet', '--host-address', '127.0.0.1', '--host-address', '::1'], 90);
    expect(all).toMatchObject({ ok: true, options: { expect: 'relay', timeoutMs: 2500, json: true, save: true, turnOnly: true, quiet: true, hostAddresses: ['127.0.0.1', '::1'] } });
  });
  it('--expect: direct is any path without a relay', () => {
    expect(pathMeets('p2p-nat', 'direct')).toBe(true);
    expect(pathMeets('direct-lan', 'direct')).toBe(true);
    expect(pathMeets('relay-tcp', 'direct')).toBe(false);
    expect(pathMeets('relay-tls', 'relay')).toBe(true);
    expect(pathMeets('direct-public', 'relay')).toBe(false);
    expect(pathMeets('none', 'any')).toBe(false);
  });
});

describe('room outcome', () => {
  const started = () => {
    const store = createAppStore();
    store.getState().openRoom(ID, false, 0);
    store.getState().setCallPhase('off');
    store.getState().beginTest(1);
    return store;
  };
  const quality = fullReport().quality!;
  const check = fullReport().relayCheck!;

  it('is done once the link test and the relay check are over, even if the other side then leaves', () => {
    const store = started();
    store.getState().setPeerState('connected');
    store.getState().setLinkQuality(quality);
    expect(settledOutcome(store.getState())).toBeNull();
    store.getState().setRelayCheck({ ...check, state: 'running' });
    expect(settledOutcome(store.getState())).toBeNull();
    store.getState().setRelayCheck({ ...check, state: 'works' });
    store.getState().setPeerState('peer-left');
    expect(settledOutcome(store.getState())).toEqual({ kind: 'done' });
  });
  it('a relay-only test needs no relay check', () => {
    const store = createAppStore();
    store.getState().openRoom(ID, true, 0);
    store.getState().setCallPhase('off');
    store.getState().beginTest(1);
    store.getState().setLinkQuality(quality);
    expect(settledOutcome(store.getState())).toEqual({ kind: 'done' });
  });
  it('names a full room, a lost server, failed ICE and a peer that left', () => {
    const full = createAppStore();
    full.getState().setSignaling({ roomFull: true });
    expect(settledOutcome(full.getState())).toEqual({ kind: 'room-full' });
    const lost = createAppStore();
    lost.getState().setSignaling({ status: 'closed' });
    lost.getState().setUi({ fatal: 'Could not connect' });
    expect(settledOutcome(lost.getState())).toEqual({ kind: 'server-unreachable', message: 'Could not connect' });
    const failed = started();
    failed.getState().setPeerState('failed');
    expect(settledOutcome(failed.getState())).toEqual({ kind: 'no-connection' });
    const left = started();
    left.getState().setPeerState('peer-left');
    expect(settledOutcome(left.getState())).toEqual({ kind: 'peer-left' });
  });
  it('at the deadline: nobody came, never connected, or connected but unfinished', () => {
    expect(outcomeAtDeadline(createAppStore().getState())).toEqual({ kind: 'no-peer' });
    const connecting = started();
    expect(outcomeAtDeadline(connecting.getState())).toEqual({ kind: 'no-connection' });
    connecting.getState().setPeerState('connected');
    expect(outcomeAtDeadline(connecting.getState())).toEqual({ kind: 'incomplete' });
  });
});

describe('reportSummary', () => {
  it('leads with the path, then the pair, candidates, RTT, link quality and relay check', () => {
    const report = fullReport();
    const lines = reportSummary(report);
    expect(lines[0]).toBe(`path: ${report.path.label}`);
    expect(lines.join('\n')).toMatch(/selected pair: .+ <-> .+ \(ICE RTT /);
    expect(lines.some((l) => l.startsWith('  candidates: local '))).toBe(true);
    expect(lines.some((l) => l.startsWith('  link quality ('))).toBe(true);
    expect(lines.some((l) => l.startsWith('  relay check: '))).toBe(true);
  });
  it('says why there is no path', () => {
    const report = { ...fullReport(), path: { ...fullReport().path, kind: 'none' as const }, peerState: 'failed' as const, selectedPair: null };
    expect(reportSummary(report)[0]).toBe('no path: failed: no path found');
  });
});
