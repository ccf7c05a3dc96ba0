// Vitest config for Stryker runs over one folder's own tests: STRYKER_TEST_FILES='turn/core/**/*.test.ts' (globs,
// comma-separated) narrows `include` to them. Not Stryker's `--testFiles`: with it Stryker switches every mutant on
// only after the modules have loaded, so a mutant in a module-level constant (a label table, a schema) can never
// be killed; with the narrowed include it runs those "static" mutants in a fresh process with the mutant on from
// the start.
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

const only = process.env.STRYKER_TEST_FILES;
export default only ? defineConfig({ ...base, test: { ...base.test, include: only.split(',') } }) : base;
