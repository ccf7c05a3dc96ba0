// Interop with an independent implementation: coturn's client tools (Debian package `coturn`) against our server.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerForTest, TEST_SECRET } from '../testing/test-server';

const run = promisify(execFile);
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const UCLIENT = '/usr/bin/turnutils_uclient';
const NATDISCOVERY = '/usr/bin/turnutils_natdiscovery';
const haveUclient = existsSync(UCLIENT);
const haveNatdiscovery = existsSync(NATDISCOVERY);

interface UclientResult {
  sent: number;
  received: number;
  lost: number;
  output: string;
}

async function uclient(port: number, flags: string[]): Promise<UclientResult> {
  const { stdout, stderr } = await run(UCLIENT, [...flags, '-W', TEST_SECRET, '-n', '20', '-z', '5', '-c', '-p', String(port), '127.0.0.1'], { timeout: 30_000 });
  const output = stdout + stderr;
  const totals = [...output.matchAll(/tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$/gm)].at(-1); // the final summary line
  const lost = /Total lost packets (\d+)/.exec(output);
  if (!totals || !lost) throw new Error(`unexpected turnutils_uclient output:\n${output.slice(-2000)}`);
  return { sent: Number(totals[1]), received: Number(totals[2]), lost: Number(lost[1]), output };
}

describe.skipIf(!haveUclient)('turnutils_uclient (coturn) against p2pcheck' + (haveUclient ? '' : ' — skipped: /usr/bin/turnutils_uclient missing (apt install coturn)'), () => {
  it.each([
    ['UDP, channels, client-to-client', ['-y']],
    ['UDP, Send indications, client-to-client', ['-y', '-s']],
    ['TCP, channels, client-to-client', ['-t', '-y']],
    ['TCP, Send indications, client-to-client', ['-t', '-y', '-s']],
  ])('%s: every packet arrives', async (_name, flags) => {
    const server = await startServerForTest(cleanups);
    const r = await uclient(server.udpPort, flags);
    expect(r.sent).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
    expect(r.received).toBe(r.sent);
    expect(server.counters().allocationsCreated).toBeGreaterThanOrEqual(2);
    expect(server.counters().packetsToPeer).toBeGreaterThanOrEqual(r.sent);
  });

  it('TLS (turns:) with a configured certificate and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-turn-tls-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const server = await startServerForTest(cleanups, { TURN_TLS_CERT: join(dir, 'cert.pem'), TURN_TLS_KEY: join(dir, 'key.pem'), TURN_TLS_PORT: '0' });
    expect(server.tlsPort).toBeGreaterThan(0);
    const r = await uclient(server.tlsPort!, ['-t', '-S', '-y']);
    expect(r.sent).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
    expect(server.counters().allocationsCreated).toBeGreaterThanOrEqual(2);
  });
});

describe.skipIf(!haveNatdiscovery)('turnutils_natdiscovery (coturn) against p2pcheck RFC 5780' + (haveNatdiscovery ? '' : ' — skipped: /usr/bin/turnutils_natdiscovery missing (apt install coturn)'), () => {
  it('classifies loopback (no NAT) as endpoint-independent mapping and filtering, using both IPs', async () => {
    const server = await startServerForTest(cleanups, { TURN_ALT_PORT: '0', TURN_ALT_IP: '127.0.0.2' });
    const { stdout, stderr } = await run(NATDISCOVERY, ['-m', '-f', '-p', String(server.udpPort), '127.0.0.1'], { timeout: 20_000 });
    const out = stdout + stderr;
    expect(out).toContain(`Other addr: : 127.0.0.2:${server.altPort}`);
    expect(out).toContain(`Response origin: : 127.0.0.2:${server.udpPort}`); // mapping test 2 reached the other IP
    expect(out).toContain('NAT with Endpoint Independent Mapping!');
    expect(out).toContain('NAT with Endpoint Independent Filtering!');
    expect(out).not.toMatch(/error 4\d\d/);
  });
});
