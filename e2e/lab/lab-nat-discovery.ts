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
  /** `-H` only: the request sent to our own mapped address came back (RFC 5780 §4.6). */
  hairpin: boolean;
}

/** "198.51.100.7:4000" or "2001:db8::2:4000" (natdiscovery prints IPv6 without brackets) → the address. */
function addressOf(hostPort: string): string {
  return hostPort.slice(0, hostPort.lastIndexOf(':'));
}

/** Parses the output of one `turnutils_natdiscovery -m` or `-f` run. */
export function parseNatDiscovery(output: string, hostAddress: string): NatDiscoveryRun {
  const reflexive = /UDP reflexive addr: ([\da-f.:]+:\d+)/i.exec(output)?.[1] ?? null;
  const otherAddress = /Other addr: : ([\da-f.:]+:\d+)/i.exec(output)?.[1] ?? null;
  let mapping: MappingBehavior | null = null;
  if (/NAT with Endpoint Independent Mapping/.test(output)) mapping = 'EIM';
  else if (/NAT with Address Dependent Mapping/.test(output)) mapping = 'ADM';
  else if (/NAT with Address and Port Dependent Mapping/.test(output)) mapping = 'APDM';
  // natdiscovery has no "no NAT" verdict; a mapped address equal to our own address means none.
  if (mapping === 'EIM' && reflexive && addressOf(reflexive) === hostAddress) mapping = 'no-nat';
  let filtering: FilteringBehavior | null = null;
  if (/NAT with Endpoint Independent Filtering/.test(output)) filtering = 'EIF';
  else if (/NAT with Address Dependent Filtering/.test(output)) filtering = 'ADF';
  else if (/NAT with Address and Port Dependent Filtering/.test(output)) filtering = 'APDF';
  const hairpin = /Received a request \(maybe a successful hairpinning\)/.test(output);
  return { mapping, filtering, noResponse: reflexive === null && /STUN receive timeout/.test(output), reflexive, otherAddress, hairpin };
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
export async function classifyHost(host: LabHost, server: { address: string; port: number }, expected = host.expectedDiscovery): Promise<HostClassification> {
  const args = (flag: string) => ['turnutils_natdiscovery', flag, '-p', String(server.port), server.address];
  const filteringOut = await runInNs(host.ns, args('-f'), 30_000);
  const mappingOut = await runInNs(host.ns, args('-m'), 30_000);
  const own = server.address.includes(':') ? host.ipv6 ?? host.address : host.address;
  const f = parseNatDiscovery(filteringOut, own);
  const m = parseNatDiscovery(mappingOut, own);
  let result: HostClassification['result'];
  if (f.noResponse && m.noResponse) result = { udp: 'blocked' };
  else if (f.filtering && m.mapping) result = { udp: 'ok', mapping: m.mapping, filtering: f.filtering };
  else result = { udp: 'unknown', detail: m.otherAddress ? 'no verdict' : 'no OTHER-ADDRESS (RFC 5780 off?)' };
  return { host, result, matches: result.udp !== 'unknown' && expected !== null && sameDiscovery(result, expected), raw: { filtering: filteringOut, mapping: mappingOut } };
}

/** `turnutils_natdiscovery -H` (RFC 5780 §4.6): sends from a second socket to the first one's mapped address.
 * True when it came back in — through the router, to the same host. */
export async function natDiscoveryHairpin(host: LabHost, server: { address: string; port: number }): Promise<boolean> {
  return parseNatDiscovery(await runInNs(host.ns, ['turnutils_natdiscovery', '-H', '-p', String(server.port), server.address], 30_000), host.address).hairpin;
}

// Runs inside the receiving host: a STUN Binding request to the server (RFC 8489 §6) learns the socket's public
// address (XOR-MAPPED-ADDRESS, §14.2), printed as "mapped <ip>:<port>"; then prints the first datagram that
// arrives as "got <ip>:<port>" or "nothing" after 4 s.
const RECEIVER = `const d = require('dgram').createSocket('udp4'); const [host, port] = process.argv.slice(1);
const req = Buffer.alloc(20); req.writeUInt16BE(1, 0); req.writeUInt32BE(0x2112a442, 4); require('crypto').randomFillSync(req, 8, 12);
let mapped = false;
d.on('message', (m, r) => {
  if (!mapped && m.length >= 20 && m.readUInt16BE(0) === 0x0101) {
    for (let i = 20; i + 4 <= m.length; i += 4 + ((m.readUInt16BE(i + 2) + 3) & ~3)) {
      if (m.readUInt16BE(i) !== 0x20) continue;
      const p = m.readUInt16BE(i + 6) ^ 0x2112; const a = (m.readUInt32BE(i + 8) ^ 0x2112a442) >>> 0;
      mapped = true; console.log('mapped ' + [a >>> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255].join('.') + ':' + p);
      setTimeout(() => { console.log('nothing'); process.exit(0); }, 4000);
    }
    return;
  }
  if (mapped) { console.log('got ' + r.address + ':' + r.port); process.exit(0); }
});
d.bind(0, () => d.send(req, Number(port), host));
setTimeout(() => { if (!mapped) { console.log('no-stun'); process.exit(0); } }, 4000);`;

/** Hairpinning as two devices behind one router see it (the other half of what `-H` tests): `to` learns its public address from a STUN server,
 * `from` sends one datagram there. Returns where it arrived from (the router's public address when it loops
 * the packet back with its own address as source, RFC 4787 REQ-9), or null when it never arrived. */
export async function hairpinBetween(from: LabHost, to: LabHost, server: { address: string; port: number }): Promise<{ arrivedFrom: string | null; mapped: string | null }> {
  const child = spawn('ip', ['netns', 'exec', to.ns, process.execPath, '-e', RECEIVER, server.address, String(server.port)], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  const lines = new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^(got|nothing|no-stun)/m.test(out)) resolve();
    });
    child.on('close', () => resolve());
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  try {
    for (let i = 0; i < 40 && !/^mapped /m.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    const mapped = /^mapped (\S+)/m.exec(out)?.[1] ?? null;
    if (mapped) {
      const [ip, port] = [addressOf(mapped), mapped.slice(mapped.lastIndexOf(':') + 1)];
      await runInNs(from.ns, [process.execPath, '-e', `const d = require('dgram').createSocket('udp4'); d.send('hairpin', ${Number(port)}, '${ip}', () => d.close());`], 5000);
    }
    await lines;
    return { arrivedFrom: /^got (\S+)/m.exec(out)?.[1] ?? null, mapped };
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
  }
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
      '-L', LAB.server.ipv6.primary, '-L', LAB.server.ipv6.alternate,
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
