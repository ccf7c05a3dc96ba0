// Loaded with `--import` (NODE_OPTIONS) only by `npm run test:node24`: node_modules holds better-sqlite3's
// addon built for the machine's Node 20, which Node 24 refuses to load (another NODE_MODULE_VERSION). This hook
// sends the one require() of that binary to a copy built for Node 24 (P2PCHECK_NODE24_SQLITE_ADDON, made by
// scripts/node24.ts). Nothing else is redirected; code and the Node 20 run are untouched.
import { existsSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const addon = process.env.P2PCHECK_NODE24_SQLITE_ADDON;
if (!addon || !existsSync(addon)) {
  throw new Error(`node24-addon-hook: P2PCHECK_NODE24_SQLITE_ADDON must name better-sqlite3's addon built for this Node (got "${addon ?? ''}"); run it through npm run test:node24`);
}
// bindings (used by better-sqlite3) requires <package>/build/Release/better_sqlite3.node by its absolute path.
const packageDir = dirname(dirname(createRequire(import.meta.url).resolve('better-sqlite3')));
const original = pathToFileURL(join(packageDir, 'build', 'Release', 'better_sqlite3.node')).href;
const replacement = pathToFileURL(addon).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    return resolved.url === original ? { ...resolved, url: replacement } : resolved;
  },
});
