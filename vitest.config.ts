import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{common,cli,signal,turn,web,scripts,bench}/**/*.test.{ts,tsx}', 'e2e/**/*.unit.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 20000,
  },
});
