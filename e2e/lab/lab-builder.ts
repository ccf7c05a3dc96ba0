// Builds and removes the NAT lab (network namespaces, veths, bridges, iptables) described by lab-topology.ts.
// Idempotent: `labUp()` first removes every leftover object with the lab prefix (a crashed run), `labDown()`
// removes them all. Needs root, iproute2 and iptables; `labPreflight()` says why not, in one line.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { CHROMIUM_PATH } from '../support/chromium-flags';
import { LAB, LAB_PREFIX, type LabHost } from './lab-topology';
import { RECENT_LIST, routerRules } from './lab-router-rules';

export const WRAPPER_DIR = join(tmpdir(), `${LAB_PREFIX}chromium`);

export class LabCommandError extends Error {
  override readonly name = 'LabCommandError';
}

/** Runs a command; throws LabCommandError carrying its stderr. */
export function run(cmd: string, args: string[], opts: { allowFail?: boolean; input?: string } = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input: opts.input });
  } catch (err) {
    if (opts.allowFail) return '';
    const e = err as { stderr?: string; message: string };
    throw new LabCommandError(`${cmd} ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`);
  }
}

export function inNs(ns: string, cmd: string, args: string[], opts: { allowFail?: boolean } = {}): string {
  return run('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

function which(cmd: string): boolean {
  return run('sh', ['-c', `command -v ${cmd}`], { allowFail: true }).trim() !== '';
}

/** Null when the lab can be built here, otherwise a one-line reason to skip. */
export function labPreflight(): string | null {
  if (process.platform !== 'linux') return `NAT lab needs Linux network namespaces (platform is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'NAT lab needs root (network namespaces, iptables)';
  for (const cmd of ['ip', 'iptables']) if (!which(cmd)) return `NAT lab needs ${cmd} (apt-get install iproute2 iptables)`;
  if (!existsSync(CHROMIUM_PATH)) return `NAT lab needs Chromium at ${CHROMIUM_PATH}`;
  return null;
}

/**
 * The lab runs inside `npm test` wherever it can (root, iproute2, iptables, Chromium); `P2PCHECK_LAB=0` turns it
 * off for a quick local run. Null when it should run, otherwise the one-line reason to skip.
 */
export function labSkipReason(): string | null {
  if (process.env.P2PCHECK_LAB === '0') return 'NAT lab turned off (P2PCHECK_LAB=0)';
  return labPreflight();
}

export function labNamespaces(): string[] {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(LAB_PREFIX));
}

/** Kills what still runs inside our namespaces (by pid), deletes them and our temp files. */
export function labDown(): void {
  assertLabNotInUseByOthers('down');
  for (const ns of labNamespaces()) {
    const pids = run('ip', ['netns', 'pids', ns], { allowFail: true }).split(/\s+/).filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    run('ip', ['netns', 'del', ns], { allowFail: true });
  }
  for (const entry of readdirSync(tmpdir())) {
    if (entry.startsWith(LAB_PREFIX)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  const left = labNamespaces();
  if (left.length > 0) throw new LabCommandError(`could not remove namespaces: ${left.join(', ')}`);
}

function addNamespace(ns: string): void {
  run('ip', ['netns', 'add', ns]);
  // IPv6 off before any interface exists, so nothing in the lab gathers or leaks IPv6.
  inNs(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
}

function ipIn(ns: string, ...args: string[]): void {
  run('ip', ['-n', ns, ...args]);
}

/** veth pair with one end in each namespace. */
function addVeth(nsA: string, nameA: string, nsB: string, nameB: string): void {
  run('ip', ['link', 'add', nameA, 'netns', nsA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB]);
}

function buildInternet(): void {
  const ns = LAB.internetNs;
  addNamespace(ns);
  ipIn(ns, 'link', 'add', 'br0', 'type', 'bridge');
  ipIn(ns, 'link', 'set', 'br0', 'up');
  ipIn(ns, 'addr', 'add', `${LAB.server.primary}/24`, 'dev', 'br0');
  ipIn(ns, 'addr', 'add', `${LAB.server.alternate}/32`, 'dev', 'br0');
  // The real internet drops packets to private addresses silently; without a default route a relay's send
  // to a peer's private host candidate fails with ENETUNREACH (issue 4 measured pairs failing from that).
  // A veth whose far end is unused (no dummy module on every kernel); ARP off so sends never wait on a
  // neighbor and never report "host unreachable": the packets just vanish.
  ipIn(ns, 'link', 'add', 'drop0', 'type', 'veth', 'peer', 'name', 'drop1');
  ipIn(ns, 'link', 'set', 'drop0', 'arp', 'off', 'up');
  ipIn(ns, 'link', 'set', 'drop1', 'up');
  ipIn(ns, 'route', 'add', 'default', 'dev', 'drop0');
}

function attachToInternet(ns: string, ifName: string, portName: string, address: string): void {
  addVeth(ns, ifName, LAB.internetNs, portName);
  ipIn(LAB.internetNs, 'link', 'set', portName, 'master', 'br0', 'up');
  ipIn(ns, 'addr', 'add', `${address}/24`, 'dev', ifName);
  ipIn(ns, 'link', 'set', ifName, 'up');
  ipIn(ns, 'route', 'add', 'default', 'via', LAB.server.primary);
}

export function labUp(): void {
  const reason = labPreflight();
  if (reason) throw new LabCommandError(reason);
  assertLabNotInUseByOthers('up');
  labDown();
  buildInternet();
  let port = 0;
  for (const router of LAB.routers) {
    port += 1;
    addNamespace(router.ns);
    inNs(router.ns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    attachToInternet(router.ns, 'wan0', `p${port}`, router.wanAddress);
    ipIn(router.ns, 'link', 'add', 'lan0', 'type', 'bridge');
    ipIn(router.ns, 'addr', 'add', `${router.lanPrefix}.1/24`, 'dev', 'lan0');
    ipIn(router.ns, 'link', 'set', 'lan0', 'up');
    const hosts = LAB.hosts.filter((h) => h.router === router.ns);
    hosts.forEach((host, i) => {
      addNamespace(host.ns);
      addVeth(host.ns, 'eth0', router.ns, `h${i}`);
      ipIn(router.ns, 'link', 'set', `h${i}`, 'master', 'lan0', 'up');
      ipIn(host.ns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
      ipIn(host.ns, 'link', 'set', 'eth0', 'up');
      ipIn(host.ns, 'route', 'add', 'default', 'via', host.gateway);
    });
    const first = hosts[0];
    if (!first) throw new LabCommandError(`router ${router.name} has no host`);
    for (const rule of routerRules(router, first.address)) inNs(router.ns, 'iptables', ['-w', ...rule]);
  }
  for (const host of LAB.hosts.filter((h) => h.router === null)) {
    port += 1;
    addNamespace(host.ns);
    attachToInternet(host.ns, 'eth0', `p${port}`, host.address);
  }
  writeChromiumWrappers();
}

/** One executable per host that runs Chromium inside the host's namespace (Playwright's executablePath). */
export function writeChromiumWrappers(): void {
  mkdirSync(WRAPPER_DIR, { recursive: true });
  for (const host of LAB.hosts) {
    const path = chromiumWrapper(host);
    writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${host.ns} ${CHROMIUM_PATH} "$@"\n`);
    chmodSync(path, 0o755);
  }
}

export function chromiumWrapper(host: LabHost): string {
  return join(WRAPPER_DIR, `${host.name}.sh`);
}

/** Forgets the restricted-cone routers' "recently contacted" lists (all, or those in front of `hosts`), so
 * one test's traffic cannot open the filter for the next. (Conntrack entries are tied to random ports.) */
export function clearRestrictedLists(hosts?: LabHost[]): void {
  const routers = LAB.routers.filter((r) => r.kind === 'restricted' && (!hosts || hosts.some((h) => h.router === r.ns)));
  for (const router of routers) {
    const file = `/proc/net/xt_recent/${RECENT_LIST}`;
    run('ip', ['netns', 'exec', router.ns, 'sh', '-c', `if [ -e ${file} ]; then echo / > ${file}; fi`]);
  }
}

/** Quick self-check: every host reaches the server's primary address over TCP (through its NAT), has a
 * default route (Chromium gathers nothing without one), and has no IPv6 address. */
export async function labSmokeCheck(): Promise<string[]> {
  const problems: string[] = [];
  const port = 7999;
  const listener = spawn('ip', ['netns', 'exec', LAB.internetNs, process.execPath, '-e',
    `require('net').createServer((s) => s.end('ok')).listen(${port}, '${LAB.server.primary}', () => console.log('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      listener.stdout.once('data', () => resolve());
      listener.once('exit', () => reject(new LabCommandError('smoke-check listener exited')));
    });
    for (const host of LAB.hosts) {
      const out = run('ip', ['netns', 'exec', host.ns, process.execPath, '-e',
        `const s = require('net').connect(${port}, '${LAB.server.primary}'); s.setTimeout(2000, () => process.exit(3)); s.on('data', (d) => { process.stdout.write(String(d)); process.exit(0); }); s.on('error', () => process.exit(4));`], { allowFail: true });
      if (out !== 'ok') problems.push(`${host.name}: no TCP connection to ${LAB.server.primary}:${port}`);
      if (!/^default /m.test(run('ip', ['-n', host.ns, 'route'], { allowFail: true }))) problems.push(`${host.name}: no default route`);
      const v6 = run('ip', ['-n', host.ns, '-6', 'addr'], { allowFail: true }).trim();
      if (v6 !== '') problems.push(`${host.name}: has IPv6 addresses: ${v6.split('\n')[0]}`);
    }
  } finally {
    listener.kill('SIGKILL');
  }
  return problems;
}

const LOCK_PATH = `/run/${LAB_PREFIX}lab.pid`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One lab per machine: two runs (say `npm test` and `npm run lab`) would tear down each other's namespaces.
 * Waits for a live holder up to `waitMs`; takes over a lock whose process is gone (crashed run). The pid is
 * written to a temp file first and hard-linked into place, so nobody ever reads an empty lock. */
export async function acquireLabLock(waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  const tmp = `${LOCK_PATH}.${process.pid}`;
  writeFileSync(tmp, String(process.pid));
  try {
    for (;;) {
      try {
        linkSync(tmp, LOCK_PATH);
        return () => {
          if (readFileSyncSafe(LOCK_PATH) === String(process.pid)) rmSync(LOCK_PATH, { force: true });
        };
      } catch {
        const holder = labLockHolder();
        if (holder === null) {
          rmSync(LOCK_PATH, { force: true });
          continue;
        }
        if (Date.now() > deadline) throw new LabCommandError(`the NAT lab is in use by process ${holder} (${LOCK_PATH}); waited ${Math.round(waitMs / 1000)} s`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** labUp/labDown from a process that does not hold the lab while another does would destroy its run. */
function assertLabNotInUseByOthers(action: string): void {
  const holder = labLockHolder();
  if (holder !== null && holder !== process.pid) throw new LabCommandError(`not running lab ${action}: the lab is in use by process ${holder} (${LOCK_PATH})`);
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Pid of a live process that holds the lab, or null. */
export function labLockHolder(): number | null {
  const pid = Number(readFileSyncSafe(LOCK_PATH));
  return pid && alive(pid) ? pid : null;
}
