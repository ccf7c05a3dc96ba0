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
});
