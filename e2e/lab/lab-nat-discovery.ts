// The independent NAT classifier: coturn's `turnutils_natdiscovery` (RFC 5780 behavior discovery) run from
// inside each lab host against a STUN server with two addresses — coturn's own `turnserver`, or p2pcheck's
// server once it answers CHANGE-REQUEST. The parser is pure (fixtures in testdata/ are real captures).
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { LAB, LAB_PREFIX, type FilteringBehavior, type LabHost, type MappingBehavior, type NatDiscoveryResult } from './lab-topology';
import { LabCommandError, clearRestrictedLists } from './lab-builder';

export interface NatDiscoveryRun {
  /** What the run established; null = the server gave no verdict (e.g. no RFC 5780 support). */
  mapping: MappingBehavior | null;
  filtering: FilteringBehavior | null;
  /** No STUN answer at all. */
  noResponse: boolean;
  reflexive: string | null;
  /** The server's OTHER-ADDRESS, when it sent one (RFC 5780 §7.4). */
  otherAddress: string | null;
}

/** Parses the output of one `turnutils_natdiscovery -m` or `-f` run. */
export function parseNatDiscovery(output: string, hostAddress: string): NatDiscoveryRun {
  const reflexive = /UDP reflexive addr: ([\d.]+:\d+)/.exec(output)?.[1] ?? null;
  const otherAddress = /Other addr: : ([\d.]+:\d+)/.exec(output)?.[1] ?? null;
  let mapping: MappingBehavior | null = null;
  if (/NAT with Endpoint Independent Mapping/.test(output)) mapping = 'EIM';
  else if (/NAT with Address Dependent Mapping/.test(output)) mapping = 'ADM';
  else if (/NAT with Address and Port Dependent Mapping/.test(output)) mapping = 'APDM';
  // natdiscovery has no "no NAT" verdict; a mapped address equal to our own address means none.
  if (mapping === 'EIM' && reflexive?.split(':')[0] === hostAddress) mapping = 'no-nat';
  let filtering: FilteringBehavior | null = null;
  if (/NAT with Endpoint Independent Filtering/.test(output)) filtering = 'EIF';
  else if (/NAT with Address Dependent Filtering/.test(output)) filtering = 'ADF';
  else if (/NAT with Address and Port Dependent Filtering/.test(output)) filtering = 'APDF';
  return { mapping, filtering, noResponse: reflexive === null && /STUN receive timeout/.test(output), reflexive, otherAddress };
}

export interface HostClassification {
  host: LabHost;
  result: NatDiscoveryResult | { udp: 'unknown'; detail: string };
  matches: boolean;
  raw: { filtering: string; mapping: string };
}

export function sameDiscovery(a: NatDiscoveryResult | { udp: 'unknown' }, b: NatDiscoveryResult): boolean {
  if (a.udp !== b.udp) return false;
  if (a.udp === 'ok' && b.udp === 'ok') return a.mapping === b.mapping && a.filtering === b.filtering;
  return true;
}

export function describeDiscovery(r: NatDiscoveryResult | { udp: 'unknown'; detail: string }): string {
  if (r.udp === 'blocked') return 'UDP blocked';
  if (r.udp === 'unknown') return `unknown (${r.detail})`;
  return `${r.mapping === 'no-nat' ? 'no NAT' : r.mapping}+${r.filtering}`;
}

function runInNs(ns: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** Filtering first, then mapping: the mapping test contacts the alternate address, which would open an
 * address-restricted filter and skew the filtering verdict (stuntman #18). */
export async function classifyHost(host: LabHost, server: { address: string; port: number }): Promise<HostClassification> {
  const args = (flag: string) => ['turnutils_natdiscovery', flag, '-p', String(server.port), server.address];
  const filteringOut = await runInNs(host.ns, args('-f'), 30_000);
  const mappingOut = await runInNs(host.ns, args('-m'), 30_000);
  const f = parseNatDiscovery(filteringOut, host.address);
  const m = parseNatDiscovery(mappingOut, host.address);
  let result: HostClassification['result'];
  if (f.noResponse && m.noResponse) result = { udp: 'blocked' };
  else if (f.filtering && m.mapping) result = { udp: 'ok', mapping: m.mapping, filtering: f.filtering };
  else result = { udp: 'unknown', detail: m.otherAddress ? 'no verdict' : 'no OTHER-ADDRESS (RFC 5780 off?)' };
  return { host, result, matches: result.udp !== 'unknown' && sameDiscovery(result, host.expectedDiscovery), raw: { filtering: filteringOut, mapping: mappingOut } };
}

export interface CoturnHandle {
  port: number;
  logPath: string;
  stop(): Promise<void>;
}

/** coturn as a STUN-only RFC 5780 server on both public addresses of the internet namespace. */
export async function startCoturn(port = 3578): Promise<CoturnHandle> {
  const logPath = join(tmpdir(), `${LAB_PREFIX}coturn.log`);
  const log = openSync(logPath, 'w');
  const child: ChildProcess = spawn(
    'ip',
    ['netns', 'exec', LAB.internetNs, 'turnserver', '-n', '--no-cli', '-S', '-L', LAB.server.primary, '-L', LAB.server.alternate,
      '-p', String(port), '--alt-listening-port', String(port + 1), '--no-tls', '--no-dtls', '--log-file', 'stdout', '--simple-log'],
    { stdio: ['ignore', log, log] },
  );
  const deadline = Date.now() + 5000;
  while (!/IO method \(main listener thread\)/.test(readFileSync(logPath, 'utf8'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new LabCommandError(`coturn did not start: ${readFileSync(logPath, 'utf8').slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300)); // listeners on both addresses
  return {
    port,
    logPath,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}
