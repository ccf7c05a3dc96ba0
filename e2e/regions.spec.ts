// Two TURN regions, each one `npm run turn` process (TURN/STUN + its probe peer) in the worker's namespace; the
// far one sits behind the delay forwarder (+60 ms each way: this kernel has no netem). A p2pcheck node lists both
// in ICE_REGIONS, far one first. "Check my network" must rank the near one first by a clear margin, run the NAT
// check against it (filtering answered by its probe peer, across origins) and the TCP relay test through it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';
import { startAppProcess } from './support/app-process';
import { runNetworkCheck } from './support/page-readers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADDED_MS = 60;

interface Child {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** A node process inside the namespace; ready when `ready` matches its output. */
async function startInNs(ns: string, args: string[], env: Record<string, string>, ready: RegExp, what: string): Promise<Child> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 30 s:\n${output}`)), 30_000);
    const check = () => {
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output}`));
    });
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  return { child, output: () => output, stop };
}

const turnRegion = (ns: string, host: string, port: number, probePort: number, secret: string) =>
  startInNs(
    ns,
    ['turn/main.ts'],
    {
      TURN_SECRET: secret, TURN_LISTEN: host, TURN_LISTEN_V6: 'off', TURN_PORT: String(port), TURN_ALT_PORT: String(port + 1), TURN_WORKERS: '1',
      TURN_RELAY_MIN_PORT: '0', TURN_METRICS_PORT: '0', TURN_PROBE_PORT: String(probePort), TURN_LOG_LEVEL: 'info', TURN_ALLOW_PEERS: `${host}/32`,
    },
    /"event":"probe-listening"/,
    `TURN region on ${port}`,
  );

test('two TURN regions, one 120 ms further away: the page ranks them, uses the nearer one for the NAT check and the relay test', async ({ browser, app }) => {
  test.skip(app.ns === null, 'needs the worker namespace (run as root) for the regions’ fixed ports');
  test.setTimeout(60_000);
  const ns = app.ns!;
  const host = new URL(app.baseURL).hostname;
  const near = { secret: 'near-region-secret-0123456789', port: 3578, probe: 9652 };
  const far = { secret: 'far-region-secret-0123456789', port: 3678, probe: 9662, front: 3778 };
  const started: Child[] = [];
  const stopAll = () => Promise.all(started.map((c) => c.stop()));
  try {
    // Side by side: each start is a Node process with tsx, slow on a busy machine.
    const all = await Promise.allSettled([
      turnRegion(ns, host, near.port, near.probe, near.secret),
      turnRegion(ns, host, far.port, far.probe, far.secret),
      startInNs(
        ns,
        ['e2e/support/delay-forwarder.ts', JSON.stringify({ target: { host, port: far.port }, listenHost: host, listenPort: far.front, delayMs: ADDED_MS })],
        {},
        /"udp":\{/,
        'delay forwarder',
      ),
    ]);
    for (const s of all) if (s.status === 'fulfilled') started.push(s.value);
    for (const s of all) if (s.status === 'rejected') throw s.reason;

    const regions = [
      { id: 'far', name: 'Far away', urls: [`stun:${host}:${far.front}`, `turn:${host}:${far.front}?transport=udp`, `turn:${host}:${far.front}?transport=tcp`], probe: `http://${host}:${far.probe}`, secret: far.secret },
      { id: 'near', name: 'Nearby', urls: [`stun:${host}:${near.port}`, `turn:${host}:${near.port}?transport=udp`, `turn:${host}:${near.port}?transport=tcp`], probe: `http://${host}:${near.probe}`, secret: near.secret, alternatePort: near.port + 1 },
    ];
    const node = await startAppProcess({ ns, host, env: { PORT: '8081', TURN_ENABLED: 'false', ICE_REGIONS: JSON.stringify(regions) } });
    started.push({ child: null as unknown as ChildProcess, output: node.output, stop: node.stop });

    const page = await (await browser.newContext()).newPage();
    try {
      await page.goto(`${node.baseURL}/`);
      const r = await runNetworkCheck(page, 30_000);
      expect(r.regions?.used).toBe('near');
      const [first, second] = r.regions!.ranking;
      expect([first!.id, second!.id]).toEqual(['near', 'far']);
      // The forwarder adds 2 × 60 ms to every round trip to the far region.
      expect(second!.rttMs! - first!.rttMs!).toBeGreaterThanOrEqual(2 * ADDED_MS * 0.8);
      // The tests ran against the near region: its STUN port, its probe peer (another origin), its TURN over TCP.
      expect(r.serverAddress).toBe(host);
      expect(r.reachability.udp).toBe('answered');
      expect(r.filtering.observations.map((o) => [o.role, o.answered])).toEqual([
        ['primary', true],
        ['alt-port', true],
      ]);
      expect(r.reachability.tcpRelay).toBe('ok');
      expect(r.reachability.tcpRelayPort).toBe(near.port);
      // What the user sees: the ranking with the nearer region marked as used.
      const panel = page.getByTestId('region-ranking');
      await expect(panel).toHaveAttribute('data-used', 'near');
      await expect(panel.locator('tbody tr').first()).toHaveAttribute('data-region', 'near');
      await expect(panel).toContainText('Nearby (used)');
    } finally {
      await page.context().close();
    }
  } finally {
    await stopAll();
  }
});
