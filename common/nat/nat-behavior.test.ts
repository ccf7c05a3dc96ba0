import { describe, expect, it } from 'vitest';
import {
  classifyFiltering,
  classifyMapping,
  classifyMappingByCount,
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
