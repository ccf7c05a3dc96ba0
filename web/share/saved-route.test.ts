import { describe, expect, it } from 'vitest';
import { parseRoute } from '../routing/app-route';

describe('saved report route', () => {
  it('/report/<id> is a saved report; anything else under /report is not', () => {
    expect(parseRoute('/report/ZJmT8Pacl1gav6Jw_xUsmE3v', '')).toEqual({ kind: 'saved-report', id: 'ZJmT8Pacl1gav6Jw_xUsmE3v' });
    expect(parseRoute('/report/short', '').kind).toBe('not-found');
    expect(parseRoute('/report/../../etc', '').kind).toBe('not-found');
  });
});
