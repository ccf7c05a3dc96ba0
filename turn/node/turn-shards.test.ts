// The sharded standalone server (TURN_WORKERS=2) as clients see it: `npm run turn`'s entry in its own process,
// several UDP clients whose source ports the kernel spreads over the two workers (the server's log says which
// worker holds each allocation).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestCredential } from '../auth/rest-credentials';
import { Method } from '../stun/constants';
import { allocateRequest, createPermissionRequest, parseMessage, refreshRequest, sendIndication, type Credentials } from '../testing/client-messages';
import { UdpTestClient } from '../testing/socket-clients';
import { isResponseTo, isStun, TEST_SECRET } from '../testing/test-server';
import { dgramReusePortAvailable, launcherAvailable } from './turn-shards';

const ROOT = new URL('../..', import.meta.url).pathname;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface LogLine { event?: string; worker?: number; client?: string; reason?: string; udpPort?: number; port?: number; sockets?: string }

async function startSharded(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'turn/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, TURN_SECRET: TEST_SECRET, TURN_WORKERS: '2', TURN_LISTEN: '127.0.0.1', TURN_LISTEN_V6: 'off', TURN_PORT: '0',
      TURN_ALT_PORT: 'off', TURN_RELAY_MIN_PORT: '0', TURN_METRICS_PORT: '0', TURN_LOG_LEVEL: 'info', ...env,
    },
  });
  const lines: LogLine[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    try {
      lines.push(JSON.parse(l) as LogLine);
    } catch {
      return;
    }
    for (const w of waiters.splice(0)) w();
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  });
  const waitFor = async (pred: (all: LogLine[]) => boolean, what: string, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!pred(lines)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${what} in the server log; stderr: ${stderr}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  await waitFor((all) => all.some((l) => l.event === 'metrics-listening'), 'metrics-listening line', 30_000); // a loaded CI machine
  const udpPort = lines.find((l) => l.event === 'turn-listening')!.udpPort!;
  const metricsPort = lines.find((l) => l.event === 'metrics-listening')!.port!;
  return { child, lines, udpPort, metricsPort, waitFor, exited, stderr: () => stderr };
}

async function openClient(address = '127.0.0.1'): Promise<UdpTestClient> {
  const c = await UdpTestClient.open(address);
  cleanups.push(() => c.close());
  return c;
}

// Node ≥ 22.12: the workers bind with dgram's reusePort; older Node: the perl launcher makes the sockets.
const reusePort = await dgramReusePortAvailable();
const skip = reusePort || launcherAvailable() ? false : 'needs Linux and either Node >= 22.12 or perl with SO_REUSEPORT (TURN_WORKERS > 1)';

describe.skipIf(skip)('TURN server sharded over two workers (TURN_WORKERS=2)', () => {
  it('spreads clients over both workers and holds quotas, nonces, self-relay and metrics across them', async () => {
    const server = await startSharded({ TURN_USER_QUOTA: '2' });
    // The sockets come from dgram's reusePort where this Node has it: no launcher then.
    await server.waitFor((all) => all.some((l) => l.event === 'turn-workers'), 'turn-workers line');
    expect(server.lines.find((l) => l.event === 'turn-workers')!.sockets).toBe(reusePort ? 'reusePort' : 'fds');
    const clients = await Promise.all(Array.from({ length: 12 }, () => openClient()));
    const send = (c: UdpTestClient, m: Buffer) => c.send(m, server.udpPort);

    // One 401 challenge; its nonce is used by every client, whichever worker the kernel hands it to.
    send(clients[0]!, allocateRequest());
    const challenge = parseMessage(await clients[0]!.next(isResponseTo(Method.allocate)));
    expect(challenge.error).toBe(401);
    const credsOf = (id: string): Credentials => {
      const rest = createRestCredential(TEST_SECRET, { ttlSeconds: 600, id });
      return { username: rest.username, password: rest.credential, realm: challenge.realm!, nonce: challenge.nonce! };
    };
    const allocate = async (c: UdpTestClient, creds: Credentials) => {
      send(c, allocateRequest(creds));
      return parseMessage(await c.next(isResponseTo(Method.allocate)));
    };
    const creds = clients.map((_, i) => credsOf(`spread-${i}`));
    const answers = await Promise.all(clients.map((c, i) => allocate(c, creds[i]!)));
    expect(answers.map((a) => a.error)).toEqual(clients.map(() => null));

    await server.waitFor((all) => all.filter((l) => l.event === 'allocation-start').length === 12, '12 allocation-start lines');
    const workerOf = (c: UdpTestClient) => server.lines.find((l) => l.event === 'allocation-start' && l.client === `127.0.0.1:${c.address.port}`)?.worker;
    const workers = clients.map(workerOf);
    // 12 source ports all hashed to one worker would happen with probability 2^-11.
    expect(new Set(workers)).toEqual(new Set([0, 1]));

    // Per-user quota (2) over both workers: 8 clients of one user, exactly 2 allocations.
    const carol = await Promise.all(Array.from({ length: 8 }, () => openClient()));
    const carolAnswers = await Promise.all(carol.map((c) => allocate(c, credsOf('carol'))));
    expect(carolAnswers.map((a) => a.error).sort()).toEqual([486, 486, 486, 486, 486, 486, null, null]);

    // Self-relay between allocations held by different workers, on loopback (a denied range): allowed, delivered.
    const a = 0;
    const b = workers.findIndex((w) => w !== workers[a]);
    const relayOf = (i: number) => answers[i]!.relayed!;
    send(clients[a]!, createPermissionRequest(creds[a]!, [relayOf(b)]));
    send(clients[b]!, createPermissionRequest(creds[b]!, [relayOf(a)]));
    expect(parseMessage(await clients[a]!.next(isResponseTo(Method.createPermission))).error).toBeNull();
    expect(parseMessage(await clients[b]!.next(isResponseTo(Method.createPermission))).error).toBeNull();
    send(clients[a]!, sendIndication(relayOf(b), Buffer.from('across workers')));
    const data = parseMessage(await clients[b]!.next((m) => isStun(m) && parseMessage(m).method === Method.data));
    expect(data.data?.toString()).toBe('across workers');
    expect(data.peer).toEqual(relayOf(a));
    // A loopback port that is not a relay of either worker stays refused.
    send(clients[a]!, createPermissionRequest(creds[a]!, [{ family: 4, address: '127.0.0.1', port: clients[b]!.address.port }]));
    expect(parseMessage(await clients[a]!.next(isResponseTo(Method.createPermission))).error).toBe(403);

    // /metrics sums the workers.
    const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
    expect(text).toMatch(/^p2pcheck_turn_allocations 14$/m);
    expect(text).toMatch(/^p2pcheck_turn_allocations_created_total 14$/m);
    expect(text).toMatch(/^p2pcheck_turn_error_responses_total\{code="486"\} 6$/m);

    // SIGTERM: every allocation of both workers ends with reason shutdown, the process exits 0.
    server.child.kill('SIGTERM');
    const [code] = await server.exited;
    expect(code).toBe(0);
    const ends = server.lines.filter((l) => l.event === 'allocation-end');
    expect(ends.length).toBe(14);
    expect(new Set(ends.map((l) => l.reason))).toEqual(new Set(['shutdown']));
    expect(new Set(ends.map((l) => l.worker))).toEqual(new Set([0, 1]));
  }, 60_000);

  it('holds TURN_MAX_ALLOCATIONS_PER_IP over both workers: 12 users on 12 ports of 127.0.0.2 get 3; 127.0.0.3 still allocates; a slot freed is taken again', async () => {
    const server = await startSharded({ TURN_MAX_ALLOCATIONS_PER_IP: '3' });
    const send = (c: UdpTestClient, m: Buffer) => c.send(m, server.udpPort);
    const allocate = async (c: UdpTestClient, id: string) => {
      send(c, allocateRequest());
      const challenge = parseMessage(await c.next(isResponseTo(Method.allocate), 5000));
      const rest = createRestCredential(TEST_SECRET, { ttlSeconds: 600, id });
      const creds: Credentials = { username: rest.username, password: rest.credential, realm: challenge.realm!, nonce: challenge.nonce! };
      send(c, allocateRequest(creds));
      return { creds, error: parseMessage(await c.next(isResponseTo(Method.allocate), 5000)).error };
    };
    // 12 source ports: the kernel spreads them over both workers (all on one: probability 2^-11), so a cap kept
    // per worker would let up to 6 through.
    const flood = await Promise.all(Array.from({ length: 12 }, () => openClient('127.0.0.2')));
    const answers = await Promise.all(flood.map((c, i) => allocate(c, `flood-${i}`)));
    expect(answers.map((a) => a.error).sort()).toEqual([...Array(9).fill(486), null, null, null]);
    const victim = await openClient('127.0.0.3');
    expect((await allocate(victim, 'victim')).error).toBeNull();
    // One of the three leaves (Refresh lifetime 0); one refused client, whichever worker it hashes to, gets in.
    const granted = answers.findIndex((a) => a.error === null);
    send(flood[granted]!, refreshRequest(answers[granted]!.creds, 0));
    expect(parseMessage(await flood[granted]!.next(isResponseTo(Method.refresh))).lifetime).toBe(0);
    const retries = await Promise.all(flood.map((c, i) => (answers[i]!.error === 486 ? allocate(c, `retry-${i}`) : null)));
    expect(retries.filter((r) => r?.error === null)).toHaveLength(1);
    const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
    expect(text).toMatch(/^p2pcheck_turn_allocations 4$/m);
    expect(text).toMatch(/^p2pcheck_turn_quota_refusals_total\{quota="source"\} 17$/m);
  }, 60_000);

  it.skipIf(reusePort)('does not outlive its launching process, even one killed with SIGKILL (launcher only: with reusePort there is one process)', async () => {
    const server = await startSharded({});
    const pid = server.child.pid!;
    const [workersPid] = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(workersPid).toBeGreaterThan(0);
    expect(existsSync(`/proc/${workersPid}`)).toBe(true);
    server.child.kill('SIGKILL');
    await server.exited;
    const deadline = Date.now() + 10_000;
    while (existsSync(`/proc/${workersPid}`) && !readFileSync(`/proc/${workersPid}/stat`, 'utf8').includes(') Z ') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(`/proc/${workersPid}`) && !readFileSync(`/proc/${workersPid}/stat`, 'utf8').includes(') Z ')).toBe(false);
    expect(server.lines.some((l) => l.event === 'shutdown' && l.reason === 'launcher-parent-gone')).toBe(true);
  }, 60_000);

  it.skipIf(!existsSync('/usr/bin/turnutils_uclient'))('coturn\'s turnutils_uclient -y -m 8 over UDP and over TCP against two workers: every packet arrives', async () => {
    const server = await startSharded({});
    for (const transport of [[], ['-t']]) {
      const { stdout, stderr } = await promisify(execFile)('/usr/bin/turnutils_uclient', [
        ...transport, '-y', '-m', '8', '-n', '20', '-z', '5', '-c', '-W', TEST_SECRET, '-p', String(server.udpPort), '127.0.0.1',
      ], { timeout: 30_000 });
      const out = stdout + stderr;
      const totals = [...out.matchAll(/tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$/gm)].at(-1);
      expect(totals, out.slice(-1500)).toBeTruthy();
      expect(Number(totals![1])).toBeGreaterThan(0);
      expect(Number(totals![2])).toBe(Number(totals![1]));
      expect(out).toMatch(/Total lost packets 0\b/);
    }
    // uclient -y -m 8 makes 12 allocations per run here; the UDP ones spread over both workers (TCP is worker 0's).
    const starts = () => server.lines.filter((l) => l.event === 'allocation-start') as Array<LogLine & { transport?: string }>;
    await server.waitFor(() => starts().length >= 24, '24 allocation-start lines');
    expect(new Set(starts().filter((l) => l.transport === 'udp').map((l) => l.worker))).toEqual(new Set([0, 1]));
    expect(new Set(starts().filter((l) => l.transport === 'tcp').map((l) => l.worker))).toEqual(new Set([0]));
  }, 90_000);

  it.skipIf(!existsSync('/usr/bin/turnutils_natdiscovery'))('coturn\'s turnutils_natdiscovery -m -f classifies loopback through every worker (full RFC 5780 with a second IP)', async () => {
    const server = await startSharded({ TURN_ALT_PORT: '0', TURN_ALT_IP: '127.0.0.2' });
    // Several runs from different source ports: each lands on one of the workers, and every worker answers
    // change-request and the alternate endpoints.
    for (let i = 0; i < 4; i++) {
      const { stdout, stderr } = await promisify(execFile)('/usr/bin/turnutils_natdiscovery', ['-m', '-f', '-p', String(server.udpPort), '127.0.0.1'], { timeout: 20_000 });
      const out = stdout + stderr;
      expect(out).toContain('NAT with Endpoint Independent Mapping!');
      expect(out).toContain('NAT with Endpoint Independent Filtering!');
      expect(out).not.toMatch(/error 4\d\d/);
    }
  }, 90_000);

  it('refuses to start, with the reason, when the port is taken', async () => {
    const blocker = await openClient();
    const child = spawn(process.execPath, ['--import', 'tsx', 'turn/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TURN_SECRET: TEST_SECRET, TURN_WORKERS: '2', TURN_LISTEN: '127.0.0.1', TURN_LISTEN_V6: 'off', TURN_PORT: String(blocker.address.port), TURN_ALT_PORT: 'off', TURN_METRICS_PORT: '0' },
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).not.toBe(0);
    expect(stderr).toMatch(reusePort ? `cannot bind UDP 127.0.0.1:${blocker.address.port}` : 'cannot bind UDP 4/primary');
    expect(stderr).toMatch(/in use|EADDRINUSE/);
  }, 30_000);
});
