import { describe, expect, it } from 'vitest';
import { KeyCache } from './key-cache';

describe('KeyCache', () => {
  it('keeps at most `capacity` keys, dropping the oldest', () => {
    const cache = new KeyCache(2);
    cache.set('a', Buffer.from('1'));
    cache.set('b', Buffer.from('2'));
    cache.set('c', Buffer.from('3'));
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')?.toString()).toBe('3');
  });

  it('capacity 0 caches nothing', () => {
    const cache = new KeyCache(0);
    cache.set('a', Buffer.from('1'));
    expect(cache.get('a')).toBeUndefined();
  });
});
