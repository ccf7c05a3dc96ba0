// Builds and removes the NAT lab (network namespaces, veths, bridges, iptables) described by lab-topology.ts.
// Idempotent: `labUp()` first removes every leftover object with the lab prefix (a crashed run), `labDown()`
// removes them all. Needs root, iproute2 and iptables; `labPreflight()` says why not, in one line.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { CHROMIUM_PATH } from '../support/chromium-flags';
import { LAB, LAB_PREFIX, LAB_TLS_NAME, type LabHost, type LabRouter } from './lab-topology';
import { RECENT_LIST, routerRules, routerRules6 } from './lab-router-rules';
import { labDnsProblem, launchLabDns } from './lab-dns-server';

export const WRAPPER_DIR = join(tmpdir(), `${LAB_PREFIX}chromium`);
/** Per-namespace files that `ip netns exec` bind-mounts over /etc (iproute2's convention). */
const NETNS_ETC = '/etc/netns';

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
    // Not the notes people leave for each other about lab runs (/tmp/p2l-full-run.txt).
    if (entry.startsWith(LAB_PREFIX) && !entry.endsWith('.txt')) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  if (existsSync(NETNS_ETC)) {
    for (const entry of readdirSync(NETNS_ETC)) if (entry.startsWith(LAB_PREFIX)) rmSync(join(NETNS_ETC, entry), { recursive: true, force: true });
  }
  const left = labNamespaces();
  if (left.length > 0) throw new LabCommandError(`could not remove namespaces: ${left.join(', ')}`);
}

/** Namespaces that keep IPv6: the internet, the dual-stack routers and their hosts. */
function wantsIpv6(ns: string): boolean {
  return ns === LAB.internetNs || LAB.routers.some((r) => r.ns === ns && r.ipv6) || LAB.hosts.some((h) => h.ns === ns && h.ipv6);
}

/** The lab's only name: the server's (the TLS certificate's name, ICE_HOST) → its primary address. Every program
 * started with `ip netns exec` in a lab namespace reads this as its /etc/hosts — openssl's certificate check,
 * Firefox and Chromium's page loads (not Chromium's WebRTC STUN/TURN lookups, which use its own DNS client). */
export function labHostsFile(): string {
  return ['127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback', `${LAB.server.primary} ${LAB_TLS_NAME}`, ''].join('\n');
}

/** …and its resolv.conf: the lab's DNS responder (lab-dns.ts), which answers the same name (and "no such
 * record" for its AAAA at once, where an unreachable resolver would make Firefox wait). Never the machine's
 * own resolver: no lab query leaves the lab. */
export function labResolvConf(): string {
  return [`nameserver ${LAB.server.dns}`, 'options timeout:1 attempts:2', ''].join('\n');
}

function addNamespace(ns: string): void {
  run('ip', ['netns', 'add', ns]);
  mkdirSync(join(NETNS_ETC, ns), { recursive: true });
  writeFileSync(join(NETNS_ETC, ns, 'hosts'), labHostsFile());
  writeFileSync(join(NETNS_ETC, ns, 'resolv.conf'), labResolvConf());
  // IPv6 off before any interface exists, so nothing gathers or leaks IPv6 — except where the lab wants it;
  // there no router advertisements and no duplicate address detection (addresses usable at once).
  const v6 = wantsIpv6(ns)
    ? ['net.ipv6.conf.all.accept_ra=0', 'net.ipv6.conf.default.accept_ra=0', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']
    : ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
  inNs(ns, 'sysctl', ['-qw', ...v6]);
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
  // The page on port 443 of a third address, for the TCP-443-only host (TURN over TLS has 443 on the primary).
  ipIn(ns, 'addr', 'add', `${LAB.server.page443}/32`, 'dev', 'br0');
  // The lab's DNS resolver on an address of its own (launchLabDns in labUp).
  ipIn(ns, 'addr', 'add', `${LAB.server.dns}/32`, 'dev', 'br0');
  inNs(ns, 'iptables', ['-w', '-t', 'nat', '-A', 'PREROUTING', '-d', LAB.server.page443, '-p', 'tcp', '--dport', '443', '-j', 'REDIRECT', '--to-ports', String(LAB.server.httpPort)]);
  // IPv6: the server's two addresses; the internet routes each dual-stack router's LAN /64 to it.
  inNs(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.forwarding=1']);
  ipIn(ns, 'addr', 'add', `${LAB.server.ipv6.primary}/64`, 'dev', 'br0', 'nodad');
  ipIn(ns, 'addr', 'add', `${LAB.server.ipv6.alternate}/64`, 'dev', 'br0', 'nodad');
  ipIn(ns, 'addr', 'add', `${LAB.server.v6Only.primary}/64`, 'dev', 'br0', 'nodad');
  ipIn(ns, 'addr', 'add', `${LAB.server.v6Only.alternate}/64`, 'dev', 'br0', 'nodad');
  // The real internet drops packets to private addresses silently; without a default route a relay's send
  // to a peer's private host candidate fails with ENETUNREACH (issue 4 measured pairs failing from that).
  // A veth whose far end is unused (no dummy module on every kernel); ARP off so sends never wait on a
  // neighbor and never report "host unreachable": the packets just vanish.
  ipIn(ns, 'link', 'add', 'drop0', 'type', 'veth', 'peer', 'name', 'drop1');
  ipIn(ns, 'link', 'set', 'drop0', 'arp', 'off', 'up');
  ipIn(ns, 'link', 'set', 'drop1', 'up');
  ipIn(ns, 'route', 'add', 'default', 'dev', 'drop0');
}

/** `ns`'s `ifName` on the internet bridge (or on an upstream router's LAN bridge), default route through it. */
function attachUpstream(ns: string, ifName: string, portName: string, address: string, upstream: LabRouter | null): void {
  const upNs = upstream ? upstream.ns : LAB.internetNs;
  const bridge = upstream ? 'lan0' : 'br0';
  addVeth(ns, ifName, upNs, portName);
  ipIn(upNs, 'link', 'set', portName, 'master', bridge, 'up');
  ipIn(ns, 'addr', 'add', `${address}/24`, 'dev', ifName);
  ipIn(ns, 'link', 'set', ifName, 'up');
  ipIn(ns, 'route', 'add', 'default', 'via', upstream ? `${upstream.lanPrefix}.1` : LAB.server.primary);
}

function buildRouter(router: LabRouter, port: number): void {
  addNamespace(router.ns);
  inNs(router.ns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  const upstream = router.upstream ? LAB.routers.find((r) => r.ns === router.upstream) ?? null : null;
  attachUpstream(router.ns, 'wan0', `p${port}`, router.wanAddress, upstream);
  router.lanPrefixes.forEach((prefix, seg) => {
    ipIn(router.ns, 'link', 'add', `lan${seg}`, 'type', 'bridge');
    ipIn(router.ns, 'addr', 'add', `${prefix}.1/24`, 'dev', `lan${seg}`);
    ipIn(router.ns, 'link', 'set', `lan${seg}`, 'up');
  });
  const hosts = LAB.hosts.filter((h) => h.router === router.ns);
  hosts.forEach((host, i) => {
    const seg = router.lanPrefixes.findIndex((p) => host.address.startsWith(`${p}.`));
    addNamespace(host.ns);
    addVeth(host.ns, 'eth0', router.ns, `h${i}`);
    ipIn(router.ns, 'link', 'set', `h${i}`, 'master', `lan${seg}`, 'up');
    // NAT loopback to the sender's own host: the reflected frame leaves through the bridge port it came in by,
    // which a bridge refuses unless the port is in hairpin mode (with br_netfilter the DNAT is bridged).
    if (router.kind === 'hairpin') ipIn(router.ns, 'link', 'set', 'dev', `h${i}`, 'type', 'bridge_slave', 'hairpin', 'on');
    ipIn(host.ns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
    ipIn(host.ns, 'link', 'set', 'eth0', 'up');
    ipIn(host.ns, 'route', 'add', 'default', 'via', host.gateway);
    if (host.portRange) inNs(host.ns, 'sysctl', ['-qw', `net.ipv4.ip_local_port_range=${host.portRange[0]} ${host.portRange[1]}`]);
    if (host.ipv6 && router.ipv6) {
      ipIn(host.ns, 'addr', 'add', `${host.ipv6}/64`, 'dev', 'eth0', 'nodad');
      ipIn(host.ns, '-6', 'route', 'add', 'default', 'via', `${router.ipv6.lanPrefix}1`);
    }
  });
  for (const rule of routerRules(router, hosts)) inNs(router.ns, 'iptables', ['-w', ...rule]);
  if (router.ipv6) {
    inNs(router.ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.forwarding=1']);
    ipIn(router.ns, 'addr', 'add', `${router.ipv6.wan}/64`, 'dev', 'wan0', 'nodad');
    ipIn(router.ns, 'addr', 'add', `${router.ipv6.lanPrefix}1/64`, 'dev', 'lan0', 'nodad');
    ipIn(router.ns, '-6', 'route', 'add', 'default', 'via', LAB.server.ipv6.primary);
    ipIn(LAB.internetNs, '-6', 'route', 'add', `${router.ipv6.lanPrefix}/64`, 'via', router.ipv6.wan);
    for (const rule of routerRules6()) inNs(router.ns, 'ip6tables', ['-w', ...rule]);
  }
}

export function labUp(): void {
  const reason = labPreflight();
  if (reason) throw new LabCommandError(reason);
  assertLabNotInUseByOthers('up');
  labDown();
  buildInternet();
  let port = 0;
  // Upstream routers (the carrier NAT) come before the routers behind them: LAB.routers is in that order.
  for (const router of LAB.routers) buildRouter(router, ++port);
  for (const host of LAB.hosts.filter((h) => h.router === null)) {
    port += 1;
    addNamespace(host.ns);
    attachUpstream(host.ns, 'eth0', `p${port}`, host.address, null);
  }
  writeChromiumWrappers();
  launchLabDns(LAB.internetNs, LAB.server.dns, { a: { [LAB_TLS_NAME]: LAB.server.primary }, ttl: 60 });
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

/** Quick self-check: every host resolves the server's name, reaches its primary address over TCP (through its NAT), has a
 * default route (Chromium gathers nothing without one), and has no IPv6 address. */
export async function labSmokeCheck(): Promise<string[]> {
  const problems: string[] = [];
  const port = 7999;
  // The page's port too: the TCP-443-only host reaches it as 198.51.100.2:443 (redirected there), and nothing
  // else; the dual-stack hosts also over IPv6.
  const listens = [[port, LAB.server.primary], [LAB.server.httpPort, '0.0.0.0'], [port, LAB.server.ipv6.primary]];
  const listener = spawn('ip', ['netns', 'exec', LAB.internetNs, process.execPath, '-e',
    `const net = require('net'); let n = 0; for (const [p, a] of ${JSON.stringify(listens)}) net.createServer((s) => s.end('ok')).listen(p, a, () => { if (++n === ${listens.length}) console.log('ready'); });`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const connects = (ns: string, to: string, toPort: number) =>
    run('ip', ['netns', 'exec', ns, process.execPath, '-e',
      `const s = require('net').connect(${toPort}, '${to}'); s.setTimeout(2000, () => process.exit(3)); s.on('data', (d) => { process.stdout.write(String(d)); process.exit(0); }); s.on('error', () => process.exit(4));`], { allowFail: true }) === 'ok';
  try {
    await new Promise<void>((resolve, reject) => {
      listener.stdout.once('data', () => resolve());
      listener.once('exit', () => reject(new LabCommandError('smoke-check listener exited')));
    });
    // The DNS responder labUp launched: give it a few seconds to start (tsx), from the internet namespace.
    const dns = await labDnsProblem(LAB.internetNs, LAB_TLS_NAME, LAB.server.primary, 15_000);
    if (dns) problems.push(`lab DNS: ${dns}`);
    for (const host of LAB.hosts) {
      const [to, toPort] = host.network === 'tcp-443-only' ? [LAB.server.page443, 443] : [LAB.server.primary, port];
      if (!connects(host.ns, to, toPort)) problems.push(`${host.name}: no TCP connection to ${to}:${toPort}`);
      if (host.network === 'tcp-443-only' && connects(host.ns, LAB.server.primary, port)) problems.push(`${host.name}: reaches TCP port ${port} although only 443 should get out`);
      if (!/^default /m.test(run('ip', ['-n', host.ns, 'route'], { allowFail: true }))) problems.push(`${host.name}: no default route`);
      const resolved = inNs(host.ns, 'getent', ['ahostsv4', LAB_TLS_NAME], { allowFail: true }).split(/\s+/)[0];
      if (resolved !== LAB.server.primary) problems.push(`${host.name}: ${LAB_TLS_NAME} resolves to "${resolved ?? ''}", not ${LAB.server.primary} (/etc/netns/${host.ns}/hosts)`);
      // Over DNS too (through the host's NAT and firewall: the TCP-443-only and UDP-blocked ones let DNS to the
      // lab's resolver through, as real networks that block UDP do for their own resolver).
      const overDns = dns ? null : await labDnsProblem(host.ns, LAB_TLS_NAME, LAB.server.primary);
      if (overDns) problems.push(`${host.name}: ${overDns}`);
      const v6 = run('ip', ['-n', host.ns, '-6', 'addr', 'show', 'scope', 'global'], { allowFail: true }).trim();
      if (!host.ipv6 && run('ip', ['-n', host.ns, '-6', 'addr'], { allowFail: true }).trim() !== '') problems.push(`${host.name}: has IPv6 addresses: ${v6.split('\n')[0]}`);
      if (host.ipv6 && !v6.includes(host.ipv6)) problems.push(`${host.name}: no IPv6 address ${host.ipv6}`);
      if (host.ipv6 && !connects(host.ns, LAB.server.ipv6.primary, port)) problems.push(`${host.name}: no TCP connection to [${LAB.server.ipv6.primary}]:${port}`);
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
