#!/usr/bin/env node
// First-load JavaScript budget: sums the gzipped size of every script the built index.html loads
// before anything lazy — the entry module and the chunks it preloads — prints the figure, and exits 1 when
// it is over the budget. Lazy chunks (recharts, qrcode) are listed but not counted.
// Usage: node scripts/check-bundle-size.mjs [distDir]   (budget: BUNDLE_BUDGET_KB, default 250)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const budgetKb = Number(process.env.BUNDLE_BUDGET_KB ?? 250);
let html;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error(`check-bundle-size: ${dist}/index.html not found: run \`npm run build\` first`);
  process.exit(2);
}
const first = new Set();
for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)) first.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) first.add(m[1]);
for (const m of html.matchAll(/<link[^>]*href="([^"]+\.js)"[^>]*rel="modulepreload"/g)) first.add(m[1]);
if (first.size === 0) {
  console.error('check-bundle-size: no script found in index.html');
  process.exit(2);
}
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);
let total = 0;
for (const src of first) {
  const size = gz(join(dist, src.replace(/^\//, '')));
  total += size;
  console.log(`  first load  ${kb(size).padStart(7)} KB gz  ${src}`);
}
const lazy = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && ![...first].some((s) => s.endsWith(`/${f}`)));
for (const f of lazy) console.log(`  lazy        ${kb(gz(join(dist, 'assets', f))).padStart(7)} KB gz  /assets/${f}`);
const ok = total <= budgetKb * 1024;
console.log(`first-load JavaScript: ${kb(total)} KB gzipped (budget ${budgetKb} KB) ${ok ? 'OK' : 'OVER BUDGET'}`);
process.exit(ok ? 0 : 1);
