// The cost of one completed two-peer test, for sizing a fleet: server CPU-ms and bytes through TURN and the probe.
// Usage (root, in a checkout with the page built): nice -n 19 npx tsx scripts/bench-test-cost.ts [tests=3] [call=on|off]
//   STATIC_DIR=<built page> (default dist/)
// Method: one p2pcheck process (`signal/main.ts`, as `npm start` runs it: signaling, TURN and the probe peer in one
// process) and Chromium in a network namespace of their own. Per mode (normal, then ?relay=1) it runs the tests one
// after the other: two pages open a new room and the test runs to its end as a person's would (connection, "Check my
// network" with the probe, link measurement, relay check, the call test unless call=off) until the page has saved
// its report (the permalink appears); then both pages close. Around each test it reads:
// - server CPU: utime + stime of the server process (/proc/<pid>/stat), minus what the idle process used over the same
//   time (measured before the first test), in ms;
// - bytes on the wire at the server's ports, both directions, from iptables counters in the namespace (each loopback
//   packet passes INPUT once): TCP 8080 (page, API, signaling WebSocket), UDP+TCP 3478 (STUN/TURN: the probe's primary
//   endpoint and the relayed traffic between each browser and its relay), UDP 3479 (the probe's alternate port);
// - TURN payload relayed (p2pcheck_turn_relayed_bytes_total from /metrics, both directions).
// Browsers are not measured (their cost is the visitor's). Prints one row per mode: the median over the tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { startAppProcess, type AppProcess } from '../e2e/support/app-process';
import { launchChromium } from '../e2e/support/chromium';
import { canUseNetns, createTestHost } from '../e2e/support/netns';

const TESTS = Math.max(1, Math.min(20, Number(process.argv[2] ?? 3)));
const CALL = process.argv[3] === 'call=off' ? 'off' : 'on';
const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

interface Sample {
  cpuMs: number;
  signalingBytes: number;
  turnPortBytes: number;
  probeAltBytes: number;
  relayedPayload: number;
  seconds: number;
}

const RULES: [string, string, string][] = [
  // [name, protocol, port]
  ['web', 'tcp', '8080'],
  ['turn-udp', 'udp', '3478'],
  ['turn-tcp', 'tcp', '3478'],
  ['alt', 'udp', '3479'],
];

function iptables(ns: string, ...args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, 'iptables', '-w', ...args], { encoding: 'utf8' });
}

function installCounters(ns: string): void {
  for (const [name, proto, port] of RULES) {
    iptables(ns, '-A', 'INPUT', '-p', proto, '--dport', port, '-m', 'comment', '--comment', `${name}-in`);
    iptables(ns, '-A', 'INPUT', '-p', proto, '--sport', port, '-m', 'comment', '--comment', `${name}-out`);
  }
}

function readCounters(ns: string): Record<string, number> {
  const out = iptables(ns, '-L', 'INPUT', '-v', '-x', '-n');
  const totals: Record<string, number> = {};
  for (const line of out.split('\n')) {
    const m = /^\s*\d+\s+(\d+).*\/\* (\S+)-(?:in|out) \*\//.exec(line);
    if (m) totals[m[2]!] = (totals[m[2]!] ?? 0) + Number(m[1]);
  }
  return totals;
}

function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14 and 15 of stat)
}

async function relayedBytes(page: Page): Promise<number> {
  const text = await page.evaluate(async () => (await fetch('/metrics')).text());
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith('p2pcheck_turn_relayed_bytes_total{')) sum += Number(line.split(' ').pop());
  return sum;
}

async function oneTest(browser: Browser, server: AppProcess, pid: number, ns: string, relay: boolean, idleCpuPerS: number, metricsPage: Page): Promise<Sample> {
  const roomId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
  const query = [relay ? 'relay=1' : '', CALL === 'off' ? 'call=off' : ''].filter(Boolean).join('&');
  const url = `${server.baseURL}/r/${roomId}${query ? `?${query}` : ''}`;
  const before = { cpu: cpuMsOf(pid), net: readCounters(ns), relayed: await relayedBytes(metricsPage), at: performance.now() };
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const pages = [];
    for (const c of contexts) {
      const page = await c.newPage();
      await page.goto(url);
      pages.push(page);
    }
    for (const page of pages) {
      await page.getByTestId('permalink').waitFor({ state: 'attached', timeout: 240_000 });
    }
  } finally {
    for (const c of contexts) await c.close();
  }
  const seconds = (performance.now() - before.at) / 1000;
  const net = readCounters(ns);
  const delta = (k: string) => (net[k] ?? 0) - (before.net[k] ?? 0);
  return {
    cpuMs: cpuMsOf(pid) - before.cpu - idleCpuPerS * seconds,
    signalingBytes: delta('web'),
    turnPortBytes: delta('turn-udp') + delta('turn-tcp'),
    probeAltBytes: delta('alt'),
    relayedPayload: (await relayedBytes(metricsPage)) - before.relayed,
    seconds,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

async function main(): Promise<void> {
  const netns = canUseNetns();
  if (!netns.ok) throw new Error(`needs root for a network namespace (${netns.reason})`);
  const host = createTestHost(`bench-${process.pid}`, 240);
  let server: AppProcess | null = null;
  let browser: Browser | null = null;
  try {
    installCounters(host.ns);
    server = await startAppProcess({ ns: host.ns, host: host.address, startTimeoutMs: 60_000, env: { LOG_LEVEL: 'warn' } });
    const pid = Number(execFileSync('ip', ['netns', 'pids', host.ns], { encoding: 'utf8' }).trim().split('\n')[0]);
    browser = await launchChromium(host.ns);
    const metricsContext = await browser.newContext();
    const metricsPage = await metricsContext.newPage();
    await metricsPage.goto(`${server.baseURL}/api/status`);
    // The idle process's own CPU (heartbeats, timers) over 10 s, taken off each test's figure.
    const idle0 = cpuMsOf(pid);
    await new Promise((r) => setTimeout(r, 10_000));
    const idleCpuPerS = (cpuMsOf(pid) - idle0) / 10;
    console.log(`server pid ${pid}; idle CPU ${idleCpuPerS.toFixed(1)} ms/s; ${TESTS} tests per mode; call test ${CALL}`);
    for (const relay of [false, true]) {
      const samples: Sample[] = [];
      for (let i = 0; i < TESTS; i++) samples.push(await oneTest(browser, server, pid, host.ns, relay, idleCpuPerS, metricsPage));
      const m = (k: keyof Sample) => median(samples.map((s) => s[k]));
      console.log(
        `${relay ? 'relay=1' : 'normal '}  CPU ${m('cpuMs').toFixed(0)} ms  web/signaling ${kb(m('signalingBytes'))}  TURN port ${kb(m('turnPortBytes'))}` +
          `  probe alt port ${kb(m('probeAltBytes'))}  TURN relayed payload ${kb(m('relayedPayload'))}  test ${m('seconds').toFixed(0)} s` +
          `  (CPU per test: ${samples.map((s) => s.cpuMs.toFixed(0)).join(', ')} ms)`,
      );
    }
  } finally {
    await browser?.close();
    await server?.stop();
    host.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
