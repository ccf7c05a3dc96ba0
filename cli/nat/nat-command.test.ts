// `p2pcheck nat` as a user runs it (bin/p2pcheck.mjs, a child process) against `npm start`'s server (signal/main.ts
// with its STUN/TURN server and probe peer, a child process): what it prints and its exit status. As root the
// server and the command also run in a network namespace of the test's own, where the device has an address of
// its own (no NAT) — the case e2e/diagnosis-check.spec.ts checks for the page — and UDP can be dropped.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosisWireSchema } from '../../common/nat/diagnosis-schema';
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import { canUseNetns, createTestHost, type TestHost } from '../../e2e/support/netns';
import { runnerRuntimeEnv } from '../../scripts/runner-env';
import type { CliIo } from '../cli-io';
import { EXIT } from '../exit-codes';
import { runNatCommand } from './nat-command';

const ROOT = join(import.meta.dirname, '..', '..');
/** 10.200.<subnet>.0/24: the e2e workers use 10–209, the NAT lab its own p2l-* namespaces. */
const NETNS_SUBNET = 231;

interface Server {
  base: string;
  stop(): Promise<void>;
}

/** signal/main.ts as `npm start` runs it (TURN on), on ephemeral loopback ports or, in a namespace, on the usual ones. */
async function startServer(ns: string | null, host: string): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-nat-cli-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  const env = {
    ...runnerRuntimeEnv(),
    HOST: ns ? '0.0.0.0' : '127.0.0.1',
    PORT: ns ? '8080' : '0',
    TURN_LISTEN: ns ? '0.0.0.0' : '127.0.0.1',
    TURN_PORT: ns ? '3478' : '0',
    TURN_ALT_PORT: ns ? '3479' : '0',
    STATIC_DIR: dir,
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
  };
  const cmd = [process.execPath, '--import', 'tsx', 'signal/main.ts'];
  const child = ns
    ? spawn('ip', ['netns', 'exec', ns, ...cmd], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += String(d)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 45 s:\n${out}`)), 45_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /open http:\/\/[^:]+:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited ${code}:\n${out}`));
    });
  });
  return {
    base: `http://${host}:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(kill);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `p2pcheck nat …` as a user types it, in the namespace when one is given. */
async function p2pcheck(args: string[], ns: string | null = null, started?: (child: ChildProcess) => void): Promise<Run> {
  const cmd = [process.execPath, join(ROOT, 'bin', 'p2pcheck.mjs'), 'nat', ...args];
  const env = { ...runnerRuntimeEnv() };
  const child: ChildProcess = ns
    ? spawn('ip', ['netns', 'exec', ns, ...cmd], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
  const kill = setTimeout(() => child.kill('SIGKILL'), 50_000);
  started?.(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(kill);
  return { code, stdout, stderr };
}

function parseResult(stdout: string): DiagnosisResult {
  const json: unknown = JSON.parse(stdout);
  const checked = diagnosisWireSchema.safeParse(json);
  expect(checked.success, checked.success ? '' : JSON.stringify(checked.error.issues.slice(0, 3))).toBe(true);
  return json as DiagnosisResult;
}

describe('p2pcheck nat on loopback', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer(null, '127.0.0.1');
  }, 60_000);
  afterAll(async () => server?.stop());

  it('--json: the page\u2019s DiagnosisResult, schema-valid, with the verdict the page gives on the server\u2019s own machine', async () => {
    const run = await p2pcheck(['--server', server.base, '--json']);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    const r = parseResult(run.stdout);
    expect(r.state).toBe('done');
    // The page on loopback says the same (e2e/diagnosis-check.spec.ts, not root): no NAT can be tested from here.
    expect(r.verdict?.kind).toBe('same-machine');
    expect(r.verdict?.label).toBe('Same machine as the server (NAT not tested)');
    expect(r.reachability.udp).toBe('answered');
    expect(r.reachability.tcpRelay).toBe('ok');
    expect(r.reachability.tlsRelay).toBe('not-configured');
    expect(r.filtering.observations.map((o) => [o.role, o.answered])).toEqual([
      ['primary', true],
      ['alt-port', true],
    ]);
    expect(r.mapping.result.behavior).toBe('EIM-or-ADM');
    expect(r.mappedAddress?.address).toBe('127.0.0.1');
    expect(run.stderr).toContain('servers known');
  }, 60_000);
});

describe('p2pcheck nat errors', () => {
  it('an unreachable server: exit 3 and one line that says so, nothing on stdout', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    probe.close();
    await once(probe, 'close');
    const run = await p2pcheck(['--server', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(EXIT.serverUnreachable);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`p2pcheck nat: cannot reach the p2pcheck server at http://127.0.0.1:${port}: connection refused (is the server running, and on this port?)\n`);
  }, 30_000);

  it('a server that accepts the connection but never answers: exit 3 once --timeout has passed', async () => {
    const held: import('node:net').Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const run = await p2pcheck(['--server', `http://127.0.0.1:${port}`, '--timeout', '1']);
      expect(run.code).toBe(EXIT.serverUnreachable);
      expect(run.stderr).toBe(`p2pcheck nat: cannot reach the p2pcheck server at http://127.0.0.1:${port}: no answer within 1 s\n`);
      expect(held.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(25_000); // 1 s, plus starting node and tsx on a busy machine
    } finally {
      for (const s of held) s.destroy();
      silent.close();
    }
  }, 30_000);

  it('Ctrl-C while waiting for the server: exit 130 and "interrupted"', async () => {
    let child: ChildProcess | null = null;
    const held: import('node:net').Socket[] = [];
    const silent = createServer((socket) => {
      held.push(socket);
      // The command is now waiting for the server's answer: one Ctrl-C. (It opens two connections; a second SIGINT
      // that reached the process while it was already exiting killed it by the signal on Node 24, code null.)
      if (held.length === 1) child?.kill('SIGINT');
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as { port: number }).port;
    try {
      const run = await p2pcheck(['--server', `http://127.0.0.1:${port}`], null, (c) => (child = c));
      expect(run.code).toBe(EXIT.interrupted);
      expect(run.stderr).toBe('p2pcheck nat: interrupted\n');
      expect(run.stdout).toBe('');
    } finally {
      for (const s of held) s.destroy();
      silent.close();
    }
  }, 30_000);

  it('bad arguments: exit 2 and one line, before anything is contacted', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t), env: {}, signal: new AbortController().signal, isTty: false };
    expect(await runNatCommand(['--timeout', 'soon'], io)).toBe(EXIT.usage);
    expect(await runNatCommand(['--server', 'ftp://example.org'], io)).toBe(EXIT.usage);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'p2pcheck nat: --timeout must be a number of seconds from 1 to 600, got "soon"\n',
      'p2pcheck nat: --server must be an http:// or https:// URL of a p2pcheck server (e.g. http://localhost:8080), got "ftp://example.org"\n',
    ]);
  });
});

describe.skipIf(!canUseNetns().ok)('p2pcheck nat on a host with its own address (root: a namespace of the test\u2019s own)', () => {
  let host: TestHost;
  let server: Server;
  beforeAll(async () => {
    host = createTestHost(`natcli-${process.pid}`, NETNS_SUBNET);
    server = await startServer(host.ns, host.address);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    host?.remove();
  });

  it('the summary says "No NAT (public address)", as the page does there, with what works and what to do', async () => {
    const run = await p2pcheck(['--server', server.base], host.ns);
    expect(run.code, run.stderr).toBe(EXIT.ok);
    expect(run.stdout).toContain(`p2pcheck nat — ${server.base} (STUN/TURN at ${host.address})`);
    expect(run.stdout).toMatch(/^NAT: No NAT \(public address\)/m);
    expect(run.stdout).toMatch(/^ {2}Mapping +Endpoint-independent or address-dependent mapping \(server has one IP\)$/m);
    expect(run.stdout).toMatch(/^ {2}Filtering +Endpoint-independent or address-dependent filtering \(server has one IP\)$/m);
    expect(run.stdout).toMatch(/^ {2}UDP to the server +works \(\d+ ms\)$/m);
    expect(run.stdout).toMatch(/^ {2}TURN over TCP \(port 3478\) +works$/m);
    expect(run.stdout).toMatch(/^ {2}Address the server saw +10\.200\.231\.1:\d+$/m);
    expect(run.stdout).toContain('What you can do');
    expect(run.stdout).toContain('Skipped mapping: the server has a single IP address');
  }, 60_000);

  it('UDP to the server dropped: exit 9, "UDP blocked (TCP relay only)" in the JSON', async () => {
    const rule = ['OUTPUT', '-p', 'udp', '-d', host.address, '-m', 'multiport', '--dports', '3478,3479', '-j', 'DROP'];
    execFileSync('ip', ['netns', 'exec', host.ns, 'iptables', '-w', '-I', ...rule]);
    try {
      const run = await p2pcheck(['--server', server.base, '--json', '--quiet'], host.ns);
      expect(run.code, run.stderr).toBe(EXIT.udpBlocked);
      expect(run.stderr).toBe('');
      const r = parseResult(run.stdout);
      expect(r.reachability.udp).toBe('no-answer');
      expect(r.reachability.tcpRelay).toBe('ok');
      expect(r.verdict?.label).toBe('UDP blocked (TCP relay only)');
      const testsStarted = r.timeline.find((t) => t.step === 'servers known')?.at ?? 0;
      expect(r.verdictMs! - testsStarted).toBeLessThan(5000);
    } finally {
      execFileSync('ip', ['netns', 'exec', host.ns, 'iptables', '-w', '-D', ...rule]);
    }
  }, 60_000);
});
