import { describe, expect, it } from 'vitest';
import { clientKey } from './client-key';
import { ConcurrencyCap } from './concurrency-cap';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets a burst through, then refills at the rate', () => {
    const l = new RateLimiter(2, { burst: 3 });
    expect([l.take('a', 0), l.take('a', 0), l.take('a', 0), l.take('a', 0)]).toEqual([true, true, true, false]);
    expect(l.retryAfterSeconds('a', 0)).toBe(1);
    expect(l.take('a', 499)).toBe(false);
    expect(l.take('a', 500)).toBe(true);
    expect(l.take('b', 500)).toBe(true);
  });

  it('evicts the least recently seen key when full, keeping a limited client limited', () => {
    const l = new RateLimiter(1, { burst: 1, maxTracked: 3 });
    expect(l.take('attacked', 0)).toBe(true);
    expect(l.take('attacked', 0)).toBe(false);
    // A spray of new addresses, with the limited client still active in between.
    for (let i = 0; i < 1000; i++) {
      l.take(`spray-${i}`, 0);
      if (i % 2 === 0) expect(l.take('attacked', 0)).toBe(false);
    }
    expect(l.size).toBe(3);
  });

  it('rate 0 means no limit', () => {
    const l = new RateLimiter(0);
    for (let i = 0; i < 100; i++) expect(l.take('a', 0)).toBe(true);
    expect(l.retryAfterSeconds('a', 0)).toBe(0);
  });

  it('without a burst option a new key may take twice the rate at once', () => {
    const l = new RateLimiter(2);
    expect([1, 2, 3, 4, 5].map(() => l.take('a', 0))).toEqual([true, true, true, true, false]);
  });

  it('refills by the time since the key was last seen, not since time zero', () => {
    const l = new RateLimiter(1, { burst: 1 });
    expect(l.take('a', 10_000)).toBe(true);
    expect(l.take('a', 10_500)).toBe(false);
    expect(l.take('a', 11_000)).toBe(true);
  });

  it('a clock that steps back takes no tokens away', () => {
    const l = new RateLimiter(1, { burst: 2 });
    expect(l.take('a', 5_000)).toBe(true);
    expect(l.take('a', 4_000)).toBe(true);
    expect(l.take('a', 4_000)).toBe(false);
  });

  it('Retry-After: 0 for an unknown key or one with a token left, else whole seconds until the next token', () => {
    const l = new RateLimiter(0.5, { burst: 1 });
    expect(l.retryAfterSeconds('nobody', 0)).toBe(0);
    expect(l.take('a', 10_000)).toBe(true);
    expect(l.retryAfterSeconds('a', 10_000)).toBe(2);
    expect(l.retryAfterSeconds('a', 11_000)).toBe(1);
    expect(l.retryAfterSeconds('a', 12_000)).toBe(0);
    const roomy = new RateLimiter(1, { burst: 3 });
    roomy.take('b', 0);
    expect(roomy.retryAfterSeconds('b', 0)).toBe(0);
  });

  it('sweep forgets only keys whose bucket has refilled; a limited key stays limited', () => {
    const l = new RateLimiter(2, { burst: 2 });
    l.take('idle', 10_000);
    l.take('busy', 10_000);
    l.take('busy', 10_000);
    l.sweep(10_500); // idle: 1 + 1 token = full; busy: 0 + 1
    expect(l.size).toBe(1);
    expect(l.take('busy', 10_500)).toBe(true);
    expect(l.take('busy', 10_500)).toBe(false);
  });
});

describe('ConcurrencyCap', () => {
  it('caps per key and forgets keys at zero', () => {
    const c = new ConcurrencyCap(2);
    expect([c.tryAcquire('a'), c.tryAcquire('a'), c.tryAcquire('a'), c.tryAcquire('b')]).toEqual([true, true, false, true]);
    c.release('a');
    expect(c.tryAcquire('a')).toBe(true);
    c.release('a');
    c.release('a');
    c.release('b');
    expect(c.keys).toBe(0);
  });

  it('release gives back one slot, not all of them; count says how many a key holds', () => {
    const c = new ConcurrencyCap(2);
    expect(c.count('a')).toBe(0);
    c.tryAcquire('a');
    c.tryAcquire('a');
    expect(c.count('a')).toBe(2);
    c.release('a');
    expect(c.count('a')).toBe(1);
    expect(c.tryAcquire('a')).toBe(true);
    expect(c.tryAcquire('a')).toBe(false);
  });

  it('perKey 0 means no cap', () => {
    const c = new ConcurrencyCap(0);
    for (let i = 0; i < 100; i++) expect(c.tryAcquire('a')).toBe(true);
  });
});

describe('clientKey', () => {
  it('keys IPv4 by address, IPv4-mapped as IPv4, IPv6 by /64', () => {
    expect(clientKey('203.0.113.5')).toBe('203.0.113.5');
    expect(clientKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb::9')).toBe(clientKey('2001:db8:1:2:aaaa::1'));
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
    expect(clientKey('fe80::1%eth0')).toBe('fe80::/64');
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not an ip')).toBe('unknown');
  });
});
