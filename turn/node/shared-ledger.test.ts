import { describe, expect, it } from 'vitest';
import { LocalLedger } from '../core/allocation-ledger';
import { SharedLedger } from './shared-ledger';
import { startTsWorker } from './ts-worker';

const relays = { 4: ['127.0.0.1', '203.0.113.9'], 6: ['::1'] };

describe('SharedLedger (quotas and relayed ports shared by the workers of one server)', () => {
  it('answers every add/remove exactly like the one-process ledger (random operations, 1,500 users in a 1,024-slot table)', () => {
    const shared = new SharedLedger(SharedLedger.createBuffer(600, 3), relays);
    const local = new LocalLedger(600, 3);
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const held: string[] = [];
    for (let step = 0; step < 40_000; step++) {
      if (held.length > 0 && rnd(100) < 48) {
        const user = held.splice(rnd(held.length), 1)[0]!;
        shared.remove(user);
        local.remove(user);
      } else {
        const user = `user-${rnd(1500)}`;
        const a = shared.tryAdd(user);
        expect(a).toBe(local.tryAdd(user));
        if (a) held.push(user);
      }
      expect(shared.total()).toBe(local.total());
      expect(shared.users).toBe(local.users);
    }
    for (const user of held) shared.remove(user);
    expect(shared.total()).toBe(0);
    expect(shared.users).toBe(0);
  });

  it('refuses at the total quota and at each user quota, and frees on remove', () => {
    const ledger = new SharedLedger(SharedLedger.createBuffer(3, 2), relays);
    expect([ledger.tryAdd('a'), ledger.tryAdd('a'), ledger.tryAdd('a')]).toEqual([true, true, false]);
    expect([ledger.tryAdd('b'), ledger.tryAdd('c')]).toEqual([true, false]);
    ledger.remove('a');
    expect(ledger.tryAdd('c')).toBe(true);
    ledger.remove('never-added');
    expect(ledger.total()).toBe(3);
  });

  it('with no user quota counts only the total', () => {
    const ledger = new SharedLedger(SharedLedger.createBuffer(0, 0), relays);
    for (let i = 0; i < 5000; i++) expect(ledger.tryAdd('same-user')).toBe(true);
    expect(ledger.total()).toBe(5000);
  });

  it('knows a relayed port only on a relay address of the right family, until it closes', () => {
    const ledger = new SharedLedger(SharedLedger.createBuffer(10, 2), relays);
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

  it('holds the quotas across worker threads adding at the same time', async () => {
    const buffer = SharedLedger.createBuffer(0, 50);
    const worker = (id: number) =>
      new Promise<number>((resolve, reject) => {
        const w = startTsWorker(new URL('./shared-ledger.worker-test.ts', import.meta.url), { buffer, id });
        w.once('message', resolve);
        w.once('error', reject);
      });
    // Four workers each try 40 allocations for each of 10 users: the user quota (50) must hold over all of them.
    const granted = await Promise.all([0, 1, 2, 3].map(worker));
    const ledger = new SharedLedger(buffer, relays);
    expect(granted.reduce((s, n) => s + n, 0)).toBe(500);
    expect(ledger.total()).toBe(500);
    expect(ledger.users).toBe(10);
  }, 30_000);
});
