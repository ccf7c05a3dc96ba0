import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  // Separate folders let several runs share a checkout without deleting each other's artifacts.
  outputDir: process.env.PW_OUTPUT_DIR || 'test-results',
  timeout: 60000,
  expect: { timeout: 10000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]] : [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'app', testIgnore: 'lab/**' },
    // The NAT lab (e2e/lab, docs/nat-lab.md) runs its own pairs in parallel inside one worker, and only after the
    // app's tests: both at once would fight for the same two cores and time out each other's connections.
    { name: 'lab', testMatch: 'lab/**/*.spec.ts', workers: 1, dependencies: ['app'] },
  ],
});
