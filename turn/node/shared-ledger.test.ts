import { describe, expect, it } from 'vitest';
import { LocalLedger, type Quotas } from '../core/allocation-ledger';
import { SharedLedger } from './shared-ledger';
import { startTsWorker } from './ts-worker';

const relays = { 4: ['127.0.0.1', '203.0.113.9'], 6: ['::1'] };
const shared = (quotas: Quotas) => new SharedLedger(SharedLedger.createBuffer(quotas), relays);

describe('SharedLedger (quotas and relayed ports shared by the workers of one server)', () => {
  it('answers every add/remove exactly like the one-process ledger (40,000 random operations; 400 users, 160 sources)', () => {
    const quotas = { total: 300, perUser: 3, perSource: 4 };
    const sharedLedger = shared(quotas);
    const local = new LocalLedger(quotas);
    let seed = 7;
    const rnd = (n: number) => {
      // mulberry32: the low bits of a plain LCG repeat too soon to mix users and sources.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const held: Array<[string, string]> = [];
    const refusals = { total: 0, user: 0, source: 0 };
    for (let step = 0; step < 40_000; step++) {
      if (held.length > 0 && rnd(100) < 45) {
        const [user, source] = held.splice(rnd(held.length), 1)[0]!;
        sharedLedger.remove(user, source);
        local.remove(user, source);
      } else {
        const user = `user-${rnd(400)}`;
        const source = rnd(2) ? `198.51.100.${rnd(100)}` : `2001:db8:${rnd(60).toString(16)}::/64`;
        const a = sharedLedger.tryAdd(user, source);
        const b = local.tryAdd(user, source);
        if (a !== b) expect({ step, a }).toEqual({ step, a: b });
        if (a === null) held.push([user, source]);
        else refusals[a]++;
      }
      const counts = [sharedLedger.total(), sharedLedger.users, sharedLedger.sources];
      const model = [local.total(), local.users, local.sources];
      if (counts.some((n, i) => n !== model[i])) expect({ step, counts }).toEqual({ step, counts: model });
    }
    // Every kind of refusal happened, so the comparison covered each branch.
    expect(Math.min(refusals.total, refusals.user, refusals.source), JSON.stringify(refusals)).toBeGreaterThan(100);
    for (const [user, source] of held) sharedLedger.remove(user, source);
    expect([sharedLedger.total(), sharedLedger.users, sharedLedger.sources]).toEqual([0, 0, 0]);
  });

  it('refuses at the total quota, at each user quota and at each source quota, and frees on remove', () => {
    const ledger = shared({ total: 5, perUser: 2, perSource: 3 });
    expect([ledger.tryAdd('a', 'ip1'), ledger.tryAdd('a', 'ip1'), ledger.tryAdd('a', 'ip2')]).toEqual([null, null, 'user']);
    expect([ledger.tryAdd('b', 'ip1'), ledger.tryAdd('c', 'ip1')]).toEqual([null, 'source']);
    // A refused source left the user unchanged: c still has both of its slots.
    expect([ledger.tryAdd('c', 'ip2'), ledger.tryAdd('c', 'ip2')]).toEqual([null, null]);
    expect(ledger.tryAdd('d', 'ip3')).toBe('total');
    ledger.remove('a', 'ip1');
    expect(ledger.tryAdd('d', 'ip1')).toBe(null);
    ledger.remove('never-added', 'ip1');
    expect([ledger.total(), ledger.users, ledger.sources]).toEqual([5, 4, 2]);
  });

  it('with no total quota, a source table three quarters full (98,304 of 131,072 slots) refuses new sources like a full server', () => {
    const ledger = shared({ total: 0, perUser: 0, perSource: 1 });
    let granted = 0;
    for (let i = 0; i < 98_304; i++) if (ledger.tryAdd('u', `src-${i}`) === null) granted++;
    expect(granted).toBe(98_304);
    expect(ledger.tryAdd('u', 'one-more')).toBe('total');
    expect(ledger.tryAdd('u', 'src-7')).toBe('source');
    ledger.remove('u', 'src-7');
    expect(ledger.tryAdd('u', 'one-more')).toBe(null);
  });

  it('with no user or source quota counts only the total', () => {
    const ledger = shared({ total: 0, perUser: 0, perSource: 0 });
    for (let i = 0; i < 5000; i++) expect(ledger.tryAdd('same-user', 'same-ip')).toBe(null);
    expect(ledger.total()).toBe(5000);
  });

  it('knows a relayed port only on a relay address of the right family, until it closes', () => {
    const ledger = shared({ total: 10, perUser: 2, perSource: 2 });
    ledger.relayOpened(4, 50_001);
    ledger.relayOpened(6, 65_535);
    expect(ledger.isRelayOfAnyWorker({ family: 4, address: '127.0.0.1', port: 50_001 })).toBe(true);
    expect(ledger.isRelayOfAnyWorker({ family: 4, address: '203.0.113.9', port: 50_001 })).toBe(true);
    expect(ledger.isRelayOfAnyWorker({ family: 4, address: '127.0.0.2', port: 50_001 })).toBe(false);
    expect(ledger.isRelayOfAnyWorker({ family: 4, address: '127.0.0.1', port: 50_000 })).toBe(false);
    expect(ledger.isRelayOfAnyWorker({ family: 4, address: '127.0.0.1', port: 65_535 })).toBe(false);
    expect(ledger.isRelayOfAnyWorker({ family: 6, address: '::1', port: 65_535 })).toBe(true);
    ledger.relayClosed(4, 50_001);
    expect(ledger.isRelayOfAnyWorker({ family: 4, address: '127.0.0.1', port: 50_001 })).toBe(false);
  });

  it('holds the user and source quotas across worker threads adding at the same time', async () => {
    const buffer = SharedLedger.createBuffer({ total: 0, perUser: 50, perSource: 30 });
    const worker = (id: number) =>
      new Promise<number>((resolve, reject) => {
        const w = startTsWorker(new URL('./shared-ledger.worker-test.ts', import.meta.url), { buffer, id });
        w.once('message', resolve);
        w.once('error', reject);
      });
    // Four workers each try 40 allocations for each of 10 users (quota 50; every attempt from another source), and
    // 400 allocations of distinct users from one source they all share (quota 30): both quotas hold over all.
    const granted = await Promise.all([0, 1, 2, 3].map(worker));
    const ledger = new SharedLedger(buffer, relays);
    expect(granted.reduce((s, g) => s + g, 0)).toBe(500 + 30);
    expect(ledger.total()).toBe(530);
    expect([ledger.users, ledger.sources]).toEqual([10 + 30, 500 + 1]);
  }, 30_000);
});
