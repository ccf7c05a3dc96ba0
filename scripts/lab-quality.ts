// `npm run lab:quality`: every row of the link-condition lab (e2e/quality-lab.spec.ts, rows in
// e2e/quality-lab-conditions.ts), then the table of condition → measured figures → verdicts printed and written
// into docs/call-test.md between its lab-table markers. Root only (network namespaces). P2Q_ROWS picks rows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAB_ROWS, labTable, type RowMeasurement } from '../e2e/quality-lab-conditions';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = join(ROOT, 'docs/call-test.md');
const BEGIN = '<!-- lab:quality table (scripts/lab-quality.ts writes it) -->';
const END = '<!-- /lab:quality table -->';

const dir = mkdtempSync(join(tmpdir(), 'p2q-results-'));
const resultsFile = join(dir, 'results.json');
try {
  const started = Date.now();
  const loadAvg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  // The machine's load says whether the figures are the link's or this computer's (docs/call-test.md).
  const loadAtStart = loadAvg();
  const run = spawnSync('npx', ['playwright', 'test', 'e2e/quality-lab.spec.ts', '--project=app', '--workers=1'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, P2Q_ROWS: process.env.P2Q_ROWS || 'all', P2Q_RESULTS: resultsFile },
  });
  if (!existsSync(resultsFile)) {
    console.error('lab:quality: the lab wrote no results (see the test output above)');
    process.exit(run.status || 1);
  }
  // One JSON line per row, appended as each row ends (a failed row's worker is replaced; its lines stay).
  const results = readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RowMeasurement);
  const rows = process.env.P2Q_ROWS || 'all';
  const table = [
    labTable(LAB_ROWS, results),
    '',
    `Run ${new Date().toISOString().slice(0, 16)} UTC (\`P2Q_ROWS=${rows} npm run lab:quality\`), ${Math.round((Date.now() - started) / 1000)} s, load average at the start ${loadAtStart}, at the end ${loadAvg()}; lab exit status ${run.status}.`,
  ].join('\n');
  console.log(`\n${table}\n`);
  const doc = readFileSync(DOC, 'utf8');
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) {
    console.error(`lab:quality: ${DOC} has no "${BEGIN}" … "${END}" markers; the table is printed above`);
    process.exit(1);
  }
  writeFileSync(DOC, `${doc.slice(0, a + BEGIN.length)}\n${table}\n${doc.slice(b)}`);
  console.log(`lab:quality: table written to docs/call-test.md`);
  process.exit(run.status ?? 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
