import { describe, expect, it } from 'vitest';
import type { FamilyAddress } from '../../common/net/transport-address';
import { LocalLedger } from './allocation-ledger';
import { AllocationTable, type Allocation, type AllocationState, type LifecycleStats } from './allocation';
import type { ClientRef } from './client-ref';

// Fake time: every operation gets `now` explicitly.
const T0 = 1_800_000_000_000;
const LIFETIME_S = 600;
const client: ClientRef = { key: 'u:198.51.100.10:40000', transport: 'udp', address: '198.51.100.10', port: 40000, family: 4, via: 'primary' };
const relay: FamilyAddress = { family: 4, address: '192.0.2.1', port: 50000 };
const localRelay: FamilyAddress = { family: 4, address: '10.0.0.1', port: 50000 };

function setup() {
  const stats: LifecycleStats = { allocationsCreated: 0, allocationsClosed: 0, quotaRefusals: { total: 0, user: 0, source: 0 } };
  const ledger = new LocalLedger({ total: 0, perUser: 0, perSource: 0 });
  const table = new AllocationTable(ledger, stats);
  return { table, ledger, stats };
}

function reserve(table: AllocationTable, now = T0): Allocation {
  const r = table.reserve(
    { client, username: 'u', userId: 'alice', sourceKey: client.address, key: Buffer.alloc(16), family: 4, allocateTid: Buffer.alloc(12), lifetimeS: LIFETIME_S, maxBps: 0 },
    now + LIFETIME_S * 1000, now, false,
  );
  if (typeof r === 'string') throw new Error(`refused: ${r}`);
  expect(r.type).toBe('bind-relay');
  if (r.type !== 'bind-relay') throw new Error();
  return r.allocation;
}

/** A table holding one allocation in `state` (reached through the table's own transitions). */
function inState(state: AllocationState) {
  const s = setup();
  const allocation = reserve(s.table);
  if (state !== 'binding') s.table.bind(allocation, { relay, localRelay }, T0);
  if (state === 'closed') s.table.close(allocation, 'shutdown');
  expect(allocation.state).toBe(state);
  return { ...s, allocation };
}

const LATE = T0 + LIFETIME_S * 1000 + 1;
type Op = (t: AllocationTable, a: Allocation) => Array<{ type: string; reason?: string }>;
const ops: Record<string, Op> = {
  'bind (socket bound)': (t, a) => t.bind(a, { relay, localRelay }, T0 + 10),
  'bind (no socket)': (t, a) => t.bind(a, null, T0 + 10),
  refresh: (t, a) => (t.refresh(a, 1200, T0 + 10), []),
  'expire before the lifetime': (t, a) => t.expire(a, T0 + 10),
  'expire after the lifetime': (t, a) => t.expire(a, LATE),
  close: (t, a) => t.close(a, 'client-gone'),
  'sweep before the lifetime': (t) => t.sweep(T0 + 10),
  'sweep after the lifetime': (t) => t.sweep(LATE),
};

// state → operation → [state after, actions for the adapter]
const transitions: Record<AllocationState, Record<keyof typeof ops, [AllocationState, string[]]>> = {
  binding: {
    'bind (socket bound)': ['active', ['allocation-created']],
    'bind (no socket)': ['closed', []], // the client gets 508; nothing to close or log
    refresh: ['binding', []],
    'expire before the lifetime': ['binding', []],
    'expire after the lifetime': ['binding', []], // waits for its relay socket
    close: ['closed', []],
    'sweep before the lifetime': ['binding', []],
    'sweep after the lifetime': ['binding', []],
  },
  active: {
    'bind (socket bound)': ['active', ['close-relay']],
    'bind (no socket)': ['active', []],
    refresh: ['active', []],
    'expire before the lifetime': ['active', []],
    'expire after the lifetime': ['closed', ['close-relay', 'allocation-closed:expired']],
    close: ['closed', ['close-relay', 'allocation-closed:client-gone']],
    'sweep before the lifetime': ['active', []],
    'sweep after the lifetime': ['closed', ['close-relay', 'allocation-closed:expired']],
  },
  closed: {
    'bind (socket bound)': ['closed', ['close-relay']], // a socket bound too late is given back
    'bind (no socket)': ['closed', []],
    refresh: ['closed', []],
    'expire before the lifetime': ['closed', []],
    'expire after the lifetime': ['closed', []],
    close: ['closed', []],
    'sweep before the lifetime': ['closed', []],
    'sweep after the lifetime': ['closed', []],
  },
};

describe('AllocationTable: every operation in every state', () => {
  for (const [from, row] of Object.entries(transitions) as Array<[AllocationState, (typeof transitions)['binding']]>) {
    for (const [op, [to, actions]] of Object.entries(row)) {
      it(`${from} + ${op} → ${to} ${actions.length ? actions.join(', ') : '(no action)'}`, () => {
        const { table, ledger, stats, allocation: a } = inState(from);
        const out = ops[op]!(table, a).map((x) => (x.reason ? `${x.type}:${x.reason}` : x.type));
        expect(out).toEqual(actions);
        expect(a.state).toBe(to);
        // What each state means for the rest of the table.
        const held = to !== 'closed';
        expect(table.get(client.key) === a).toBe(held);
        expect(table.active(client.key) === a).toBe(to === 'active');
        expect(ledger.total()).toBe(held ? 1 : 0);
        expect(table.activeAllocations).toBe(to === 'active' ? 1 : 0);
        expect(table.isOwnRelay(relay)).toBe(to === 'active');
        expect(table.isOwnRelay(localRelay)).toBe(to === 'active');
        expect(stats.allocationsCreated).toBe(from === 'binding' && to === 'binding' ? 0 : from === 'binding' && to === 'closed' ? 0 : 1);
        expect(stats.allocationsClosed).toBe(from === 'closed' || (from === 'active' && to === 'closed') ? 1 : 0);
      });
    }
  }
});

describe('AllocationTable: lifetimes and counts (fake time)', () => {
  it('refresh moves the expiry of an active allocation only', () => {
    const { table, allocation } = inState('active');
    table.refresh(allocation, 1200, T0 + 10);
    expect(table.sweep(LATE)).toEqual([]);
    expect(allocation.state).toBe('active');
    expect(table.sweep(T0 + 10 + 1_200_001).map((x) => x.type)).toEqual(['close-relay', 'allocation-closed']);

    const binding = inState('binding');
    table.refresh(binding.allocation, 1200, T0 + 10);
    expect(binding.allocation.expiresAt).toBe(T0 + LIFETIME_S * 1000);
  });

  it('permissions expire at their time, channels 5 minutes after theirs; closing gives every count back', () => {
    const { table, allocation } = inState('active');
    if (allocation.state !== 'active') throw new Error();
    const a = table.active(client.key)!;
    table.installPermission(a, '203.0.113.1', false, T0 + 300_000);
    table.installPermission(a, '203.0.113.2', false, T0 + 100_000);
    table.installPermission(a, '203.0.113.2', true, T0 + 300_000); // a refresh, not a second permission
    table.addChannel(a, { number: 0x4000, peer: { family: 4, address: '203.0.113.1', port: 5000 }, expiresAt: T0 + 60_000, restricted: false });
    expect([table.permissionCount, table.channelCount]).toEqual([2, 1]);
    expect(a.permissions.get('203.0.113.2')).toEqual({ expiresAt: T0 + 300_000, restricted: true });

    table.sweep(T0 + 300_000);
    expect([table.permissionCount, table.channelCount]).toEqual([2, 1]);
    table.sweep(T0 + 300_001);
    expect([table.permissionCount, table.channelCount]).toEqual([0, 1]);
    table.sweep(T0 + 360_000); // channel expired at 60 s: its number stays reserved until 360 s
    expect(table.channelCount).toBe(1);
    table.sweep(T0 + 360_001);
    expect(table.channelCount).toBe(0);
    expect(a.channelByPeer?.size).toBe(0);

    table.installPermission(a, '203.0.113.3', false, T0 + 900_000);
    table.addChannel(a, { number: 0x4001, peer: { family: 4, address: '203.0.113.3', port: 5000 }, expiresAt: T0 + 900_000, restricted: false });
    table.close(a, 'refresh-0');
    expect([table.permissionCount, table.channelCount, a.permissions.size, a.channels?.size]).toEqual([0, 0, 0, 0]);
  });

  it('a refused reservation keeps nothing and counts the quota that was full', () => {
    const stats: LifecycleStats = { allocationsCreated: 0, allocationsClosed: 0, quotaRefusals: { total: 0, user: 0, source: 0 } };
    const table = new AllocationTable(new LocalLedger({ total: 0, perUser: 0, perSource: 1 }), stats);
    reserve(table);
    const r = table.reserve(
      { client: { ...client, key: 'other', port: 40001 }, username: 'u', userId: 'bob', sourceKey: client.address, key: Buffer.alloc(16), family: 4, allocateTid: Buffer.alloc(12), lifetimeS: LIFETIME_S, maxBps: 0 },
      T0 + LIFETIME_S * 1000, T0, false,
    );
    expect(r).toBe('source');
    expect(table.get('other')).toBeUndefined();
    expect(table.ledger.total()).toBe(1);
    expect(stats.quotaRefusals).toEqual({ total: 0, user: 0, source: 1 });
  });
});
