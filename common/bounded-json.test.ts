import { describe, expect, it } from 'vitest';
import { jsonDepth, parseBoundedJson } from './bounded-json';

describe('parseBoundedJson', () => {
  it('parses what is within bounds', () => {
    expect(parseBoundedJson('{"a":[1,{"b":"x"}]}', { maxBytes: 100 })).toEqual({ ok: true, value: { a: [1, { b: 'x' }] } });
  });

  it('refuses nesting deeper than the bound without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = parseBoundedJson(deep, { maxBytes: 1_000_000, maxDepth: 32 });
    expect(r).toMatchObject({ ok: false, code: 'too-deep' });
    expect(parseBoundedJson('['.repeat(32) + ']'.repeat(32), { maxBytes: 100, maxDepth: 32 }).ok).toBe(true);
    expect(parseBoundedJson('['.repeat(33) + ']'.repeat(33), { maxBytes: 100, maxDepth: 32 }).ok).toBe(false);
  });

  it('does not count brackets inside strings, including after escaped quotes', () => {
    expect(jsonDepth('{"a":"[[[[{{{{\\"[[[["}')).toBe(1);
  });

  it('refuses oversized text (counted in UTF-8 bytes) and malformed JSON', () => {
    expect(parseBoundedJson('"ééé"', { maxBytes: 6 })).toMatchObject({ ok: false, code: 'too-large' });
    expect(parseBoundedJson('{"a":', { maxBytes: 100 })).toMatchObject({ ok: false, code: 'malformed' });
  });
});
