// What a reader of another peer's "Check my network" result depends on (the signaling relay, the receiving page,
// a saved report): every result a page can write is accepted and keeps its facts; a malformed field is refused and
// the refusal names it; the page's own words (verdict, advice) never cross.
import { describe, expect, it } from 'vitest';
import { fullReport } from '../testdata/full-report';
import type { DiagnosisResult } from './diagnosis-result';
import { verdictFacts } from './diagnosis-result';
import { diagnosisWireSchema } from './diagnosis-schema';
import type { FilteringBehavior, MappingBehavior } from './nat-behavior';
import { natVerdict } from './nat-verdict';
import type { EndpointRole } from '../net/endpoint-role';

type D = DiagnosisResult;

/** A result as the page writes it (a lab run: one-address server, hairpin fails), through JSON as on the wire. */
function result(): D {
  return JSON.parse(JSON.stringify(fullReport().diagnosis!.local)) as D;
}

/** What the wire keeps: the measured facts, not the sender's verdict, table, ICE errors or timeline. */
function factsOf(d: D) {
  const { verdict: _v, compatibility: _c, iceErrors: _i, timeline: _t, ...facts } = d;
  return facts;
}

function refusal(d: unknown): (string | number)[][] {
  const r = diagnosisWireSchema.safeParse(d);
  if (r.success) throw new Error('accepted');
  return r.error.issues.map((i) => i.path as (string | number)[]);
}

describe('diagnosisWireSchema: a real result', () => {
  it('accepts the page\u2019s result and keeps every measured fact as it was', () => {
    const d = result();
    expect(diagnosisWireSchema.parse(d)).toEqual(factsOf(d));
  });

  it('drops the sender\u2019s own words and anything else it was not asked for', () => {
    const d = result() as D & { html?: string };
    d.verdict = { ...d.verdict!, explanation: 'Your network is broken: visit example.invalid to fix it.' };
    d.html = '<script>alert(1)</script>';
    (d.reachability as Record<string, unknown>).note = 'extra';
    const parsed = diagnosisWireSchema.parse(d) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(factsOf(result())).sort());
    expect(JSON.stringify(parsed)).not.toMatch(/example\.invalid|script|extra/);
  });

  it('the receiver rebuilds the same verdict from the facts, relay ports included', () => {
    const d = result();
    expect(natVerdict(verdictFacts(diagnosisWireSchema.parse(d)))).toEqual(d.verdict);
    // Restricted egress: the verdict names the port of the relay that got through, read from the received facts.
    const tls = result();
    tls.reachability = { ...tls.reachability, udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'ok', tcpRelayPort: 3478, tlsRelayPort: 443 };
    const v = natVerdict(verdictFacts(diagnosisWireSchema.parse(tls)));
    expect(v.label).toBe('UDP blocked (TLS relay only)');
    expect(v.explanation).toMatch(/^UDP is blocked; only TURN over TLS on port 443 gets through/);
    // The TLS failure reason the sender measured reaches the receiver's advice.
    const failed = result();
    failed.reachability = { ...failed.reachability, udp: 'no-answer', tcpRelay: 'failed', tlsRelay: 'failed', reasons: { ...failed.reachability.reasons, tlsRelay: 'the TLS handshake timed out' } };
    expect(natVerdict(verdictFacts(diagnosisWireSchema.parse(failed))).advice[0]).toBe('TURN over TLS failed: the TLS handshake timed out');
  });

  it('a result from a page older than the hairpin test, relay ports, reasons and server address still reads, with defaults', () => {
    const d = result() as Partial<D>;
    const reachability = d.reachability as Partial<D['reachability']>;
    delete d.hairpin;
    delete d.serverAddress;
    delete reachability.tcpRelayPort;
    delete reachability.tlsRelayPort;
    delete reachability.reasons;
    const parsed = diagnosisWireSchema.parse(d);
    expect(parsed.hairpin).toEqual({ result: 'not-tested', evidence: 'not run by this peer\u2019s version of the page', ms: null });
    expect(parsed.serverAddress).toBeNull();
    expect(parsed.reachability).toMatchObject({ tcpRelayPort: null, tlsRelayPort: null, reasons: { udp: null, tcpRelay: null, tlsRelay: null, ipv6: null } });
  });
});

/** Every value the TypeScript type allows (the Record makes the compiler check the list is complete). */
function all<T extends string>(r: Record<T, true>): T[] {
  return Object.keys(r) as T[];
}
const ROLES = all<EndpointRole>({ primary: true, 'alt-port': true, 'alt-ip': true, 'alt-ip-port': true });
const MAPPINGS = all<MappingBehavior>({ EIM: true, ADM: true, APDM: true, 'EIM-or-ADM': true, 'ADM-or-APDM': true, 'not-determined': true });
const FILTERINGS = all<FilteringBehavior>({ EIF: true, ADF: true, APDF: true, 'EIF-or-ADF': true, 'ADF-or-APDF': true, 'not-determined': true });

interface EnumField {
  path: (string | number)[];
  values: string[];
  set: (d: D, v: string) => void;
}
function field<T extends string>(path: (string | number)[], values: T[], set: (d: D, v: T) => void): EnumField {
  return { path, values, set: (d, v) => set(d, v as T) };
}

const ENUM_FIELDS: EnumField[] = [
  field(['state'], all<D['state']>({ running: true, done: true, error: true }), (d, v) => (d.state = v)),
  field(['servers'], all<D['servers']>({ bundled: true, custom: true }), (d, v) => (d.servers = v)),
  field(['reachability', 'udp'], all<D['reachability']['udp']>({ answered: true, 'no-answer': true, 'not-tested': true }), (d, v) => (d.reachability.udp = v)),
  field(['reachability', 'tcpRelay'], all<D['reachability']['tcpRelay']>({ ok: true, failed: true, 'not-tested': true }), (d, v) => (d.reachability.tcpRelay = v)),
  field(['reachability', 'tlsRelay'], all<D['reachability']['tlsRelay']>({ ok: true, failed: true, 'not-configured': true, 'not-tested': true }), (d, v) => (d.reachability.tlsRelay = v)),
  field(['reachability', 'ipv6'], all<D['reachability']['ipv6']>({ reached: true, 'gathered-only': true, none: true, 'not-tested': true }), (d, v) => (d.reachability.ipv6 = v)),
  field(['publicAddress'], all<D['publicAddress']>({ yes: true, no: true, unknown: true }), (d, v) => (d.publicAddress = v)),
  field(['mapping', 'observations', 0, 'role'], ROLES, (d, v) => (d.mapping.observations[0]!.role = v)),
  field(['mapping', 'result', 'behavior'], MAPPINGS, (d, v) => (d.mapping.result.behavior = v)),
  field(['hairpin', 'result'], all<D['hairpin']['result']>({ works: true, fails: true, 'not-applicable': true, 'not-tested': true }), (d, v) => (d.hairpin.result = v)),
  field(['filtering', 'observations', 1, 'role'], ROLES, (d, v) => (d.filtering.observations[1]!.role = v)),
  field(['filtering', 'result', 'behavior'], FILTERINGS, (d, v) => (d.filtering.result.behavior = v)),
  field(['skipped', 0, 'test'], all<D['skipped'][number]['test']>({ mapping: true, filtering: true, udp: true, 'tcp-relay': true, 'tls-relay': true, ipv6: true }), (d, v) => (d.skipped[0]!.test = v)),
];

const at = (x: unknown, path: (string | number)[]): unknown => path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], x);

describe('diagnosisWireSchema: every value a page can write, and nothing else', () => {
  for (const f of ENUM_FIELDS) {
    it(`${f.path.join('.')}: ${f.values.join(', ')} kept; an unknown value refused, naming the field`, () => {
      for (const v of f.values) {
        const d = result();
        f.set(d, v);
        expect(at(diagnosisWireSchema.parse(d), f.path)).toBe(v);
      }
      const bad = result();
      f.set(bad, 'bogus');
      expect(refusal(bad)).toEqual([f.path]);
    });
  }
});

describe('diagnosisWireSchema: a malformed field is refused and named', () => {
  const long = (n: number) => 'x'.repeat(n);
  const cases: Array<[string, (d: D) => void, (string | number)[]]> = [
    ['another version', (d) => ((d as { version: number }).version = 2), ['version']],
    ['startedAt as text', (d) => ((d as { startedAt: unknown }).startedAt = '1764000000500'), ['startedAt']],
    ['a negative verdictMs', (d) => (d.verdictMs = -1), ['verdictMs']],
    ['a verdictMs over an hour', (d) => (d.verdictMs = 3_600_001), ['verdictMs']],
    ['udpMs as text', (d) => ((d.reachability as { udpMs: unknown }).udpMs = 'fast'), ['reachability', 'udpMs']],
    ['a TCP relay port over 65535', (d) => (d.reachability.tcpRelayPort = 65_536), ['reachability', 'tcpRelayPort']],
    ['a fractional TLS relay port', (d) => (d.reachability.tlsRelayPort = 443.5), ['reachability', 'tlsRelayPort']],
    ['a reason of 2001 characters', (d) => (d.reachability.reasons.udp = long(2001)), ['reachability', 'reasons', 'udp']],
    ['a reason that is not text', (d) => ((d.reachability.reasons as { ipv6: unknown }).ipv6 = 6), ['reachability', 'reasons', 'ipv6']],
    ['65 host addresses', (d) => (d.hostAddresses = Array.from({ length: 65 }, (_, i) => `10.0.0.${i}`)), ['hostAddresses']],
    ['a host address of 101 characters', (d) => (d.hostAddresses[1] = long(101)), ['hostAddresses', 1]],
    ['a server address of 101 characters', (d) => (d.serverAddress = long(101)), ['serverAddress']],
    ['a negative mapped port', (d) => (d.mappedAddress = { address: '198.51.100.11', port: -1 }), ['mappedAddress', 'port']],
    ['a mapped address without an address', (d) => ((d as { mappedAddress: unknown }).mappedAddress = { port: 40000 }), ['mappedAddress', 'address']],
    ['five mapping observations', (d) => (d.mapping.observations = Array.from({ length: 5 }, () => d.mapping.observations[0]!)), ['mapping', 'observations']],
    ['a STUN URL of 513 characters', (d) => (d.mapping.observations[0]!.url = long(513)), ['mapping', 'observations', 0, 'url']],
    ['inferred as text', (d) => ((d.mapping.observations[1] as { inferred: unknown }).inferred = 'yes'), ['mapping', 'observations', 1, 'inferred']],
    ['an observed port over 65535', (d) => (d.mapping.observations[0]!.mapped = { address: '198.51.100.11', port: 70_000 }), ['mapping', 'observations', 0, 'mapped', 'port']],
    ['mapping evidence of 2001 characters', (d) => (d.mapping.result.evidence = long(2001)), ['mapping', 'result', 'evidence']],
    ['a negative hairpin time', (d) => (d.hairpin.ms = -5), ['hairpin', 'ms']],
    ['hairpin evidence that is not text', (d) => ((d.hairpin as { evidence: unknown }).evidence = null), ['hairpin', 'evidence']],
    ['five filtering observations', (d) => (d.filtering.observations = Array.from({ length: 5 }, () => d.filtering.observations[0]!)), ['filtering', 'observations']],
    ['answered as text', (d) => ((d.filtering.observations[0] as { answered: unknown }).answered = 'yes'), ['filtering', 'observations', 0, 'answered']],
    ['101 checks sent', (d) => (d.filtering.observations[1]!.sent = 101), ['filtering', 'observations', 1, 'sent']],
    ['a negative count of checks', (d) => (d.filtering.observations[1]!.sent = -1), ['filtering', 'observations', 1, 'sent']],
    ['a fractional count of checks', (d) => (d.filtering.observations[1]!.sent = 1.5), ['filtering', 'observations', 1, 'sent']],
    ['a negative round-trip time', (d) => (d.filtering.observations[0]!.rttMs = -1), ['filtering', 'observations', 0, 'rttMs']],
    ['filtering evidence of 2001 characters', (d) => (d.filtering.result.evidence = long(2001)), ['filtering', 'result', 'evidence']],
    ['11 skipped tests', (d) => (d.skipped = Array.from({ length: 11 }, () => d.skipped[0]!)), ['skipped']],
    ['a skip reason of 2001 characters', (d) => (d.skipped[0]!.reason = long(2001)), ['skipped', 0, 'reason']],
    ['an error of 2001 characters', (d) => (d.error = long(2001)), ['error']],
    ['no publicAddress', (d) => delete (d as Partial<D>).publicAddress, ['publicAddress']],
    ['no filtering', (d) => delete (d as Partial<D>).filtering, ['filtering']],
  ];
  for (const [name, spoil, path] of cases) {
    it(`${name} → refused at ${path.join('.')}`, () => {
      const d = result();
      spoil(d);
      expect(refusal(d)).toEqual([path]);
    });
  }
  it('not a result at all', () => {
    expect(diagnosisWireSchema.safeParse(null).success).toBe(false);
    expect(diagnosisWireSchema.safeParse('{"version":1}').success).toBe(false);
  });

  it('the bounds themselves are accepted: generous for a real device', () => {
    const d = result();
    d.hostAddresses = Array.from({ length: 64 }, (_, i) => `10.0.${i}.1`);
    d.hostAddresses[0] = long(100);
    d.serverAddress = long(100);
    d.mappedAddress = { address: '198.51.100.11', port: 65_535 };
    d.reachability = { ...d.reachability, tcpRelayPort: 0, tlsRelayPort: 65_535, udpMs: 0 };
    d.verdictMs = 3_600_000;
    d.error = long(2000);
    d.mapping.observations = ROLES.map((role, i) => ({ role, url: i === 0 ? long(512) : `stun:192.0.2.1:${3478 + i}`, mapped: null, inferred: false }));
    d.filtering.observations = ROLES.map((role, i) => ({ role, answered: i === 0, sent: i === 0 ? 0 : 100, rttMs: i === 0 ? 0 : null }));
    d.skipped = Array.from({ length: 10 }, () => ({ test: 'ipv6' as const, reason: long(2000) }));
    expect(diagnosisWireSchema.parse(d)).toEqual(factsOf(d));
  });
});
