// Which Node runs the unit tests. `npm run test:node24` sets P2PCHECK_EXPECT_NODE to the version it fetched and
// checks in vitest's report that this test passed, so a run that silently fell back to the machine's Node fails.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('test runtime', () => {
  it('is the Node.js the run asked for, and one package.json engines allows', () => {
    const expected = process.env.P2PCHECK_EXPECT_NODE;
    if (expected) expect(process.version).toBe(expected);
    const engines = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node as string;
    const minimum = Number(/^>=(\d+)$/.exec(engines)?.[1]);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(minimum);
  });
});
