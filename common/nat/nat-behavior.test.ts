import { describe, expect, it } from 'vitest';
import {
  classifyFiltering,
  classifyMapping,
  classifyMappingByCount,
  FILTERING_LABELS,
  MAPPING_LABELS,
  type FilteringBehavior,
  type MappingBehavior,
  type MappingObservation,
} from './nat-behavior';
import { ENDPOINT_ROLES, type EndpointRole } from '../net/endpoint-role';

// A simulated RFC 5780 server: primary 192.0.2.1:3478, alternate IP 192.0.2.2, alternate port 3479.
const DEST: Record<EndpointRole, { ip: number; port: number }> = {
  primary: { ip: 0, port: 0 },
  'alt-port': { ip: 0, port: 1 },
  'alt-ip': { ip: 1, port: 0 },
  'alt-ip-port': { ip: 1, port: 1 },
};
type M = 'EIM' | 'ADM' | 'APDM';
type F = 'EIF' | 'ADF' | 'APDF';

/** The external port a NAT of behavior `m` picks for a destination. */
function mappedPort(m: M, role: EndpointRole): number {
  const d = DEST[role];
  if (m === 'EIM') return 40000;
  if (m === 'ADM') return 40000 + d.ip * 7;
  return 40000 + d.ip * 7 + d.port * 3;
}

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((acc, x) => acc.concat(acc.map((s) => [...s, x])), [[]]);
}

/** Independent oracle: which behaviors would have produced exactly these observations? */
function consistentMappings(obs: MappingObservation[]): M[] {
  return (['EIM', 'ADM', 'APDM'] as const).filter((m) =>
    obs.every((a) => obs.every((b) => !a.mapped || !b.mapped || (a.mapped.port === b.mapped.port) === (mappedPort(m, a.role) === mappedPort(m, b.role)))),
  );
}

function labelFor<T extends string>(set: readonly T[], all: readonly T[], names: Record<string, string>): string {
  if (set.length === all.length) return 'not-determined';
  return names[[...set].sort().join('+')] ?? `unexpected:${set.join('+')}`;
}

const MAPPING_NAMES: Record<string, MappingBehavior> = { EIM: 'EIM', ADM: 'ADM', APDM: 'APDM', 'ADM+EIM': 'EIM-or-ADM', 'ADM+APDM': 'ADM-or-APDM' };
const FILTERING_NAMES: Record<string, FilteringBehavior> = { EIF: 'EIF', ADF: 'ADF', APDF: 'APDF', 'ADF+EIF': 'EIF-or-ADF', 'ADF+APDF': 'ADF-or-APDF' };

describe('classifyMapping: every NAT behavior × every set of server endpoints × every set of answers', () => {
  for (const m of ['EIM', 'ADM', 'APDM'] as const) {
    for (const asked of subsets(ENDPOINT_ROLES)) {
      for (const answered of subsets(asked)) {
        const name = `${m}, asked [${asked.join(' ')}], answered [${answered.join(' ')}]`;
        it(name, () => {
          const obs: MappingObservation[] = asked.map((role) => ({
            role,
            mapped: answered.includes(role) ? { address: '203.0.113.5', port: mappedPort(m, role) } : null,
          }));
          const result = classifyMapping(obs);
          const expected = answered.includes('primary') ? labelFor(consistentMappings(obs), ['EIM', 'ADM', 'APDM'], MAPPING_NAMES) : 'not-determined';
          expect(result.behavior).toBe(expected);
          // Whatever it says must never contradict the truth.
          if (result.behavior === m) expect(consistentMappings(obs)).toEqual([m]);
          if (result.behavior !== 'not-determined') expect(result.behavior).toContain(m === 'EIM' ? 'EIM' : m === 'ADM' ? 'ADM' : 'APDM');
          expect(result.evidence.length).toBeGreaterThan(10);
        });
      }
    }
  }

  it('RFC 5780 full test on a symmetric NAT says APDM', () => {
    const obs: MappingObservation[] = ENDPOINT_ROLES.map((role, i) => ({ role, mapped: { address: '203.0.113.5', port: 50000 + i } }));
    expect(classifyMapping(obs).behavior).toBe('APDM');
  });

  it('a NAT that changes its public IP (not only the port) per destination is not EIM', () => {
    const obs: MappingObservation[] = [
      { role: 'primary', mapped: { address: '203.0.113.5', port: 40000 } },
      { role: 'alt-ip', mapped: { address: '203.0.113.6', port: 40000 } },
    ];
    expect(classifyMapping(obs).behavior).toBe('ADM-or-APDM');
  });

  it('no observations at all', () => {
    expect(classifyMapping([]).behavior).toBe('not-determined');
  });

  it('single-address server: a port change alone cannot rule out address-dependent mapping, and says why', () => {
    const r = classifyMapping([
      { role: 'primary', mapped: { address: '203.0.113.5', port: 40000 } },
      { role: 'alt-port', mapped: { address: '203.0.113.5', port: 40000 } },
    ]);
    expect(r.behavior).toBe('EIM-or-ADM');
    expect(r.evidence).toMatch(/single IP/);
  });
});

describe('classifyFiltering: every NAT filter × every set of probe sources × control check lost or not', () => {
  const passes = (f: F, role: EndpointRole): boolean => role === 'primary' || (role === 'alt-port' ? f !== 'APDF' : f === 'EIF');
  for (const f of ['EIF', 'ADF', 'APDF'] as const) {
    for (const tested of subsets(ENDPOINT_ROLES)) {
      for (const controlLost of [false, true]) {
        if (controlLost && !tested.includes('primary')) continue;
        it(`${f}, sources [${tested.join(' ')}]${controlLost ? ', nothing answered' : ''}`, () => {
          const obs = tested.map((role) => ({ role, answered: !controlLost && passes(f, role) }));
          const result = classifyFiltering(obs);
          const consistent = (['EIF', 'ADF', 'APDF'] as const).filter((g) => obs.every((o) => o.answered === passes(g, o.role)));
          const expected = tested.includes('primary') && !controlLost ? labelFor(consistent, ['EIF', 'ADF', 'APDF'], FILTERING_NAMES) : 'not-determined';
          expect(result.behavior).toBe(expected);
          if (result.behavior !== 'not-determined') expect(result.behavior.split('-or-').map((s) => s.replace(/^(EIF|ADF|APDF).*$/, '$1'))).toContain(f);
        });
      }
    }
  }

  it('one-address server with a passing alternate port: says the second address is missing', () => {
    const r = classifyFiltering([
      { role: 'primary', answered: true },
      { role: 'alt-port', answered: true },
    ]);
    expect(r.behavior).toBe('EIF-or-ADF');
    expect(r.evidence).toMatch(/single IP/);
  });

  it('an answer from a new address wins even when the new-port check was lost (EIF)', () => {
    expect(classifyFiltering([
      { role: 'primary', answered: true },
      { role: 'alt-port', answered: false },
      { role: 'alt-ip', answered: true },
    ]).behavior).toBe('EIF');
  });

  it('nothing tested', () => {
    expect(classifyFiltering([]).behavior).toBe('not-determined');
  });
});

describe('classifyMappingByCount (no url on the candidates: only the set of mapped addresses per socket)', () => {
  const HOSTS: Record<EndpointRole, string> = { primary: '192.0.2.1', 'alt-port': '192.0.2.1', 'alt-ip': '192.0.2.2', 'alt-ip-port': '192.0.2.2' };
  const asked = (roles: readonly EndpointRole[]) => roles.map((role) => ({ role, host: HOSTS[role] }));
  const distinct = (m: M, roles: readonly EndpointRole[]) => new Set(roles.map((r) => mappedPort(m, r))).size;

  it('never contradicts the simulated NAT, for every behavior, every set of endpoints asked and every subset that answered', () => {
    for (const m of ['EIM', 'ADM', 'APDM'] as const)
      for (const askedRoles of subsets(ENDPOINT_ROLES).filter((s) => s.includes('primary')))
        for (const answered of subsets(askedRoles)) {
          const r = classifyMappingByCount(asked(askedRoles), distinct(m, answered), answered.length === askedRoles.length);
          const possible: Record<MappingBehavior, readonly M[]> = {
            EIM: ['EIM'],
            ADM: ['ADM'],
            APDM: ['APDM'],
            'EIM-or-ADM': ['EIM', 'ADM'],
            'ADM-or-APDM': ['ADM', 'APDM'],
            'not-determined': ['EIM', 'ADM', 'APDM'],
          };
          expect(possible[r.behavior], `${m}, asked ${askedRoles}, answered ${answered}: ${r.evidence}`).toContain(m);
        }
  });

  it('the full four endpoints, all answering, tell the three behaviors apart', () => {
    const all = asked(ENDPOINT_ROLES);
    expect(classifyMappingByCount(all, distinct('APDM', ENDPOINT_ROLES), true).behavior).toBe('APDM');
    expect(classifyMappingByCount(all, distinct('ADM', ENDPOINT_ROLES), true).behavior).toBe('ADM');
    expect(classifyMappingByCount(all, distinct('EIM', ENDPOINT_ROLES), true).behavior).toBe('EIM');
  });

  it('three different mapped ports prove a port-dependent mapping even when an answer is missing', () => {
    expect(classifyMappingByCount(asked(ENDPOINT_ROLES), 3, false)).toMatchObject({ behavior: 'APDM', evidence: expect.stringMatching(/3 different mapped addresses/) });
    expect(classifyMappingByCount(asked(ENDPOINT_ROLES), 1, false).behavior).toBe('not-determined');
  });
});

describe('what the report says: a label per behavior and a sentence per outcome', () => {
  it('each mapping and filtering behavior has its own label, naming the behavior', () => {
    expect(MAPPING_LABELS).toMatchObject({
      EIM: expect.stringMatching(/^Endpoint-independent mapping$/),
      ADM: expect.stringMatching(/^Address-dependent mapping$/),
      APDM: expect.stringMatching(/^Address and port-dependent mapping$/),
      'EIM-or-ADM': expect.stringMatching(/^Endpoint-independent or address-dependent mapping \(server has one IP\)$/),
      'ADM-or-APDM': expect.stringMatching(/^Address-dependent or address and port-dependent mapping$/),
      'not-determined': expect.stringMatching(/^Mapping not determined$/),
    });
    expect(FILTERING_LABELS).toMatchObject({
      EIF: expect.stringMatching(/^Endpoint-independent filtering$/),
      ADF: expect.stringMatching(/^Address-dependent filtering$/),
      APDF: expect.stringMatching(/^Address and port-dependent filtering$/),
      'EIF-or-ADF': expect.stringMatching(/^Endpoint-independent or address-dependent filtering \(server has one IP\)$/),
      'ADF-or-APDF': expect.stringMatching(/^Address-dependent or address and port-dependent filtering$/),
      'not-determined': expect.stringMatching(/^Filtering not determined$/),
    });
  });

  it('classifyFiltering says what it saw, one sentence per outcome', () => {
    const yes = (role: EndpointRole) => ({ role, answered: true });
    const no = (role: EndpointRole) => ({ role, answered: false });
    const cases: Array<[ReturnType<typeof yes>[], FilteringBehavior, RegExp]> = [
      [[yes('alt-port')], 'not-determined', /^the probe did not send its control check from the primary endpoint$/],
      [[no('primary'), yes('alt-ip')], 'not-determined', /^not even the control check from the address the browser contacted was answered$/],
      [[yes('primary'), yes('alt-ip-port')], 'EIF', /^a check from a server address the browser never contacted got through$/],
      [[yes('primary'), yes('alt-port'), no('alt-ip')], 'ADF', /^a check from a new port of the contacted address got through; one from a new address did not$/],
      [[yes('primary'), yes('alt-port')], 'EIF-or-ADF', /^a check from a new port got through; the server has a single IP address, so a new address could not be tested$/],
      [[yes('primary'), no('alt-port'), no('alt-ip')], 'APDF', /^a check from a new port of the contacted address was dropped$/],
      [[yes('primary'), no('alt-ip')], 'ADF-or-APDF', /^a check from a new address was dropped; the server has no second port to test$/],
      [[yes('primary')], 'not-determined', /^the server has no alternate port or address to send checks from$/],
    ];
    for (const [obs, behavior, evidence] of cases) expect(classifyFiltering(obs)).toEqual({ behavior, evidence: expect.stringMatching(evidence) });
  });

  it('classifyMapping names the endpoints that answered', () => {
    const r = classifyMapping([
      { role: 'primary', mapped: { address: '203.0.113.5', port: 40000 } },
      { role: 'alt-port', mapped: null },
      { role: 'alt-ip', mapped: { address: '203.0.113.5', port: 40000 } },
    ]);
    expect(r).toEqual({ behavior: 'EIM', evidence: 'the same mapped address and port from every server address and port that answered (answers from primary, alt-ip)' });
    expect(classifyMapping([{ role: 'alt-port', mapped: null }]).evidence).toBe('the primary STUN endpoint was not asked');
    expect(classifyMapping([{ role: 'primary', mapped: null }]).evidence).toBe('the primary STUN endpoint did not answer');
  });

  it('classifyMappingByCount counts in words: addresses, endpoints and server addresses', () => {
    const one = [{ role: 'primary' as const, host: '192.0.2.1' }, { role: 'alt-port' as const, host: '192.0.2.1' }];
    expect(classifyMappingByCount(one, 1, true).evidence).toMatch(/^1 different mapped address from one local socket towards 2 server endpoints on 1 address: the same mapping across a port change/);
    const two = [...one, { role: 'alt-ip' as const, host: '192.0.2.2' }];
    expect(classifyMappingByCount(two, 2, true)).toEqual({ behavior: 'ADM', evidence: expect.stringMatching(/^2 different mapped addresses from one local socket towards 3 server endpoints on 2 addresses: one mapping per server address/) });
    expect(classifyMappingByCount([one[0]!], 1, true)).toEqual({ behavior: 'not-determined', evidence: expect.stringMatching(/nothing to compare with$/) });
  });
});

describe('what the report says when an answer is missing', () => {
  const at = (role: EndpointRole, port: number | null): MappingObservation => ({ role, mapped: port === null ? null : { address: '203.0.113.5', port } });
  it('same mapping across a port change: "the second server address did not answer" when the server has one, "a single IP address" when not', () => {
    for (const silent of ['alt-ip', 'alt-ip-port'] as const) {
      expect(classifyMapping([at('primary', 40000), at('alt-port', 40000), at(silent, null)])).toEqual({
        behavior: 'EIM-or-ADM',
        evidence: 'the same mapping across a port change; the second server address did not answer (answers from primary, alt-port)',
      });
    }
    expect(classifyMapping([at('primary', 40000), at('alt-port', 40000)]).evidence).toBe(
      'the same mapping across a port change; the server has a single IP address, so an address change could not be tested',
    );
  });

  it('classifyMappingByCount: no mapped address at all, or an answer missing, says nothing; the sentence for each outcome', () => {
    const four = ENDPOINT_ROLES.map((role) => ({ role, host: role.startsWith('alt-ip') ? '192.0.2.2' : '192.0.2.1' }));
    expect(classifyMappingByCount(four, 0, true)).toEqual({ behavior: 'not-determined', evidence: expect.stringMatching(/^0 different mapped addresses .*, and not every endpoint is known to have answered$/) });
    expect(classifyMappingByCount(four, 1, false).evidence).toMatch(/, and not every endpoint is known to have answered$/);
    expect(classifyMappingByCount(four, 1, true).evidence).toMatch(/^1 different mapped address from one local socket towards 4 server endpoints on 2 addresses: the same mapping whatever the destination$/);
    const twoIps = four.filter((a) => a.role === 'primary' || a.role === 'alt-ip');
    expect(classifyMappingByCount(twoIps, 2, true)).toEqual({
      behavior: 'ADM-or-APDM',
      evidence: '2 different mapped addresses from one local socket towards 2 server endpoints on 2 addresses: the mapping changed with the server address; a port change was not tested',
    });
  });
});
