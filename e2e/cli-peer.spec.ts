// The headless peer (`p2pcheck join`, cli/) and a Chromium page in one room: one page, one command. Both reports
// name the same path and the same candidate pair (each side's ends mirrored) and RTTs that agree; the page's call
// test, which the headless peer cannot take part in, ends as skipped at once instead of timing out.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConnectivityReport } from '../common/report';
import { runnerRuntimeEnv } from '../scripts/runner-env';
import { expect, readReport, test } from './fixtures';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs `p2pcheck <args>` next to the server (in its namespace when it has one). */
function p2pcheck(ns: string | null, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const cmd = [process.execPath, 'bin/p2pcheck.mjs', ...args];
  const child = ns ? spawn('ip', ['netns', 'exec', ns, ...cmd], { cwd: ROOT, env: runnerRuntimeEnv() }) : spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env: runnerRuntimeEnv() });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

const endpoint = (c: { address: string | null; port: number | null }) => `${c.address}:${c.port}`;

test('p2pcheck join and a Chromium page agree on the path, the candidate pair and the RTT', async ({ room, app }) => {
  test.setTimeout(90_000);
  const roomId = room.newRoomId();
  // call=on: the page runs its call test as for any visitor; the headless peer declines it.
  const page = await room.open(roomId, '?call=on');
  await expect(page.getByTestId('peer-state')).toContainText(/waiting/i);
  const address = new URL(app.baseURL).hostname;
  const run = await p2pcheck(app.ns, ['join', `${app.baseURL}/r/${roomId}`, '--json', '--quiet', '--expect', 'direct', '--timeout', '70', '--host-address', address]);
  expect(run.code, run.err).toBe(0);
  const cli = JSON.parse(run.out) as ConnectivityReport;
  await expect.poll(async () => (await readReport(page)).relayCheck?.state ?? 'none', { timeout: 15_000, intervals: [500] }).not.toMatch(/^(running|none)$/);
  const web = await readReport(page);
  // The whole check, so that a failure prints its reason.
  expect(web.relayCheck).toMatchObject({ state: 'works', reason: null });
  // One path, seen from both ends.
  expect(cli.path.kind).toBe('direct-lan');
  expect(web.path.kind).toBe(cli.path.kind);
  // The same pair: the page's remote end is the headless peer's local one, and the other way round.
  expect(cli.selectedPair).not.toBeNull();
  expect(endpoint(web.selectedPair!.remote)).toBe(endpoint(cli.selectedPair!.local));
  expect(endpoint(web.selectedPair!.local)).toBe(endpoint(cli.selectedPair!.remote));
  expect(cli.selectedPair!.local.address).toBe(address);
  // Each side lists the IPv4 host candidates the other gathered and signalled (the test network's; Chromium may add
  // an IPv6 or relay candidate after the headless peer has left). Candidates known only from the stats (no gathering
  // time: Chromium listed a 0.0.0.0:9 one there once, under load) were never sent to the other side.
  const hosts = (cs: ConnectivityReport['localCandidates']) => cs.filter((c) => c.type === 'host' && c.at !== null && c.address?.includes('.')).map(endpoint).sort();
  expect(hosts(cli.remoteCandidates)).toEqual(expect.arrayContaining(hosts(web.localCandidates)));
  expect(hosts(web.remoteCandidates)).toEqual(expect.arrayContaining(hosts(cli.localCandidates)));
  // RTT over the data channel, both directions measured separately: the same link, so the same order of magnitude
  // (one host; loaded CI machines add scheduling delay to either side).
  expect(cli.rtt.samples.length).toBeGreaterThan(2);
  expect(web.rtt.samples.length).toBeGreaterThan(2);
  expect(Math.abs(cli.rtt.min! - web.rtt.min!)).toBeLessThan(50);
  // Both ran the link test and the relay check; the page's call test ended as skipped, naming why.
  expect(cli.quality?.status).toMatch(/done|partial/);
  expect(web.quality?.status).toMatch(/done|partial/);
  // The link test's binary probes got answers (werift's Buffers reach the page's decoders as ArrayBuffers).
  expect(Math.max(cli.quality?.rttIdle?.count ?? 0, web.quality?.rttIdle?.count ?? 0)).toBeGreaterThan(0);
  expect(cli.relayCheck?.state).toBe('works');
  expect(web.call?.status).toBe('skipped');
  expect(web.call?.reason).toContain('headless');
});
