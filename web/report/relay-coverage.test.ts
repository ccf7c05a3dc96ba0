import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../common/testdata/sample-report';
import { relayCoverage } from './relay-coverage';
import { ANSWERER_WITH_RELAY, OFFERER_WITHOUT_RELAY } from './relay-coverage-fixtures';

const report = (captured: object, extra: object = {}) => ({ ...sampleReport(), ...captured, ...extra });

describe('relay coverage', () => {
  it('says why a side has no relay candidate when Chromium stopped gathering on the first connected pair (real capture)', () => {
    const r = relayCoverage(report(OFFERER_WITHOUT_RELAY));
    expect(r.local).toMatchObject({ state: 'not-gathered', reason: 'stopped-on-connect' });
    expect(r.local.state === 'not-gathered' && r.local.text).toContain('Chromium stopped gathering when the first candidate pair connected (594 ms; gathering ended at 667 ms)');
    // The other side's relay candidates arrived, but no pair through them passed its checks.
    expect(r.remoteCount).toBe(2);
    expect(r.fallback.verified).toBe(false);
    expect(r.fallback.text).toMatch(/^not verified: relay candidates were gathered/);
    expect(r.networkCheck).toBeNull();
  });

  it('lists the relay candidates of a side that gathered them, with how it reaches the TURN server (real capture)', () => {
    const r = relayCoverage(report(ANSWERER_WITH_RELAY));
    expect(r.local).toEqual({ state: 'gathered', count: 2, via: ['udp', 'tcp'] });
    expect(r.remoteCount).toBe(0);
    // Its relay↔host pairs failed (the TURN server refuses private peer addresses by default).
    expect(r.fallback.verified).toBe(false);
  });

  it('counts the relay fallback as verified once a pair with a relay end succeeded', () => {
    const relay = ANSWERER_WITH_RELAY.localCandidates.find((c) => c.type === 'relay')!;
    const pairs = ANSWERER_WITH_RELAY.pairs.map((p, i) => (i === 1 ? { ...p, localId: relay.id, state: 'succeeded' } : p));
    expect(relayCoverage(report(ANSWERER_WITH_RELAY, { pairs })).fallback.verified).toBe(true);
  });

  it('takes the relay-only check between the two pages as the verdict once it ran', () => {
    const base = { state: 'running' as const, startedAt: 9000, connectMs: null, rttMs: null, path: null, reason: null };
    const running = relayCoverage(report(OFFERER_WITHOUT_RELAY, { relayCheck: base })).fallback;
    expect(running).toMatchObject({ verified: false, check: 'running' });
    expect(running.text).toContain('a relay-only connection between the two pages is being tried');

    const works = relayCoverage(report(OFFERER_WITHOUT_RELAY, { relayCheck: { ...base, state: 'works', connectMs: 412, rttMs: 1.8, throughputBps: 38_400_000, path: 'relay-tcp' } })).fallback;
    expect(works).toMatchObject({ verified: true, check: 'works' });
    expect(works.text).toBe('works: the two pages connected to each other through TURN relays only (a second, relay-only connection) in 412 ms, round trip 1.8 ms, 38.4 Mbit/s through the relays in a 2 s burst; this side reached its TURN server over TCP');

    const failed = relayCoverage(report(ANSWERER_WITH_RELAY, { relayCheck: { ...base, state: 'failed', reason: 'the other side sent no relay candidate (its TURN server gave it none)' } })).fallback;
    expect(failed).toMatchObject({ verified: false, check: 'failed' });
    expect(failed.text).toMatch(/^FAILED: a relay-only connection between the two pages did not work — the other side sent no relay candidate/);

    // Skipped: the pair-based verdict stands, with the reason.
    const skipped = relayCoverage(report(OFFERER_WITHOUT_RELAY, { relayCheck: { ...base, state: 'skipped', reason: 'no TURN server configured on this side' } })).fallback;
    expect(skipped).toMatchObject({ verified: false, check: 'skipped' });
    expect(skipped.text).toMatch(/^not verified: .*\(relay-only check skipped: no TURN server configured on this side\)$/);
  });

  it('says in plain words when the relay server refused for lack of room (486 first, whatever came before it)', () => {
    const errors = [
      { at: 250, source: 'ice', code: 701, message: 'turn:10.200.238.1:3478?transport=tcp: no answer' },
      { at: 300, source: 'ice', code: 486, message: 'turn:10.200.238.1:3478?transport=udp: Allocation Quota Reached' },
    ];
    const r = relayCoverage(report(OFFERER_WITHOUT_RELAY, { errors }));
    expect(r.local).toMatchObject({ state: 'not-gathered', reason: 'turn-error' });
    expect(r.local.state === 'not-gathered' && r.local.text).toMatch(/^the relay server refused: too many relays from your network \(486 Allocation Quota Reached\)/);
    const full = relayCoverage(report(OFFERER_WITHOUT_RELAY, { errors: [{ ...errors[1]!, code: 508, message: 'turn:10.200.238.1:3478?transport=udp: Insufficient Capacity' }] }));
    expect(full.local.state === 'not-gathered' && full.local.text).toMatch(/^the relay server refused: it has no capacity left for more relays right now, for anyone/);
  });

  it('names a TURN error as the reason, before any timing guess', () => {
    const errors = [{ at: 300, source: 'ice', code: 401, message: 'turn:10.200.238.1:3478?transport=udp: Unauthorized' }];
    const r = relayCoverage(report(OFFERER_WITHOUT_RELAY, { errors }));
    expect(r.local).toMatchObject({ state: 'not-gathered', reason: 'turn-error' });
    expect(r.local.state === 'not-gathered' && r.local.text).toContain('401');
  });

  it('does not blame Chromium when gathering ended before anything connected', () => {
    const iceEvents = OFFERER_WITHOUT_RELAY.iceEvents!.map((e) => (e.kind === 'gathering' && e.state === 'complete' ? { ...e, at: 100 } : e));
    expect(relayCoverage(report(OFFERER_WITHOUT_RELAY, { iceEvents })).local).toMatchObject({ state: 'not-gathered', reason: 'no-answer' });
  });

  it('is pending while gathering, and says when no TURN server was configured', () => {
    const iceEvents = OFFERER_WITHOUT_RELAY.iceEvents!.filter((e) => e.kind !== 'gathering' || e.state !== 'complete');
    expect(relayCoverage(report(OFFERER_WITHOUT_RELAY, { iceEvents })).local).toEqual({ state: 'pending' });
    const iceServers = [{ urls: ['stun:10.200.238.1:3478'] }];
    expect(relayCoverage(report(OFFERER_WITHOUT_RELAY, { iceServers })).local).toEqual({ state: 'not-configured' });
  });

  it("carries this side's network-check TURN result, which shows the TURN server works when Chromium hid the candidate", () => {
    const diagnosis = { local: { reachability: { tcpRelay: 'ok' } }, remote: null, prediction: null };
    expect(relayCoverage(report(OFFERER_WITHOUT_RELAY, { diagnosis })).networkCheck).toBe('ok');
  });
});
