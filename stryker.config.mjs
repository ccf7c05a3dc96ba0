// Mutation testing (StrykerJS + its Vitest runner): `npm run mutate` over the protocol cores; one folder at a time
// with `npx stryker run --mutate 'turn/stun/**/*.ts,!turn/stun/**/*.test.ts'`. Figures: docs/mutation-testing.md.
// The TURN core's fuzz test covers nearly every mutant under turn/: a million messages per mutant would take hours.
process.env.TURN_FUZZ_ITERATIONS ??= '2000';
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // STRYKER_TEST_FILES='<folder>/**/*.test.ts': only that folder's tests (see stryker.vitest.config.ts); unset: the
  // tests related to the mutated files.
  vitest: { configFile: 'stryker.vitest.config.ts', related: !process.env.STRYKER_TEST_FILES },
  coverageAnalysis: 'perTest',
  mutate: [
    'turn/stun/**/*.ts',
    'turn/core/**/*.ts',
    'turn/security/**/*.ts',
    'common/nat/**/*.ts',
    'signal/rooms/**/*.ts',
    'web/stats/path-classify.ts',
    '!**/*.test.ts',
    '!**/*-fixtures.ts',
    '!**/testdata/**', // captured packets and RFC vectors: data for the tests, not code under test
  ],
  concurrency: 2,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  // Run artifacts that other runs create and delete while Stryker copies the tree into its sandbox.
  ignorePatterns: ['test-results', 'reports', 'dist', 'playwright-report'],
  // TypeScript 7 has no JavaScript API for Stryker's tsconfig rewriting; vitest needs no tsconfig (esbuild).
  tsconfigFile: 'tsconfig.stryker-absent.json',
  incremental: false,
  thresholds: { high: 90, low: 80, break: null },
};
