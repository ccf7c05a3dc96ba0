// `npm run lab`: build the page if needed, then run the NAT lab spec (builds the lab, classifies every NAT
// with turnutils_natdiscovery, runs the pair matrix normal and with ?relay=1, removes the lab) and write the
// matrix to docs/lab-matrix.md. Extra arguments go to Playwright; env P2L_PAIRS=<substring> runs a subset,
// P2L_CONCURRENCY=<n> sets how many pairs run at once (default 3); P2L_FULL=0 runs only what `npm test` runs;
// STATIC_DIR=<dir> builds and serves the page there instead of dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labPreflight } from '../e2e/lab/lab-builder';

const root = new URL('..', import.meta.url).pathname;

const reason = labPreflight();
if (reason) {
  console.error(`npm run lab: ${reason}`);
  process.exit(2);
}

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

// STATIC_DIR (which the lab's server serves, as the app's does) lets a run use a page of its own, e.g. while
// others build dist/ in the same checkout.
const outDir = process.env.STATIC_DIR || join(root, 'dist');
const built = join(outDir, 'index.html');
const sources = Math.max(newest(join(root, 'web')), newest(join(root, 'common')), existsSync(join(root, 'index.html')) ? statSync(join(root, 'index.html')).mtimeMs : 0);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log(`npm run lab: building the page (vite build → ${outDir})…`);
  const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const run = spawnSync('npx', ['playwright', 'test', '--project=lab', '--no-deps', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  // The whole lab (Firefox behind every host, every pair in both modes); `npm test` runs a subset (QUICK).
  env: { ...process.env, P2L_FULL: process.env.P2L_FULL ?? '1', P2L_WRITE_DOCS: process.env.P2L_PAIRS ? '0' : '1' },
});
const doc = join(root, process.env.P2L_PAIRS ? 'test-results/lab-matrix.md' : 'docs/lab-matrix.md');
if (existsSync(doc)) console.log(`\n${readFileSync(doc, 'utf8')}\nwritten to ${doc}`);
process.exit(run.status ?? 1);
