// `npm run turn` runs the probe peer of its region: the page (another origin) offers, the fake browser's check
// reaches the TURN server's STUN port and is answered by the probe, and a run reports the filtering checks. CORS
// lets the allowed page in and keeps others out; bad TURN_PROBE_* settings are one line at start. The same with the
// server sharded over two worker threads (the probe in the main thread, the sockets in the workers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_OFFER, fakeBrowserAgent, probeCredentials } from './fake-browser-agent';
import { spawnTurnMain } from '../../turn/testing/turn-main-process';
import { probeServerConfigFromEnv } from './probe-server';

const PAGE = 'http://page.example:8080';

function runTurn(env: Record<string, string>) {
  return spawnTurnMain({ TURN_SECRET: 'probe-server-test', TURN_LISTEN: '127.0.0.1', ...env });
}

/** Starts `npm run turn` and waits for its probe peer (bounded); stops it (exit 0 expected) after the block. */
function region(env: Record<string, string>) {
  const r = { run: null as ReturnType<typeof runTurn> | null, probeBase: '', stunPort: 0, workers: 0 };
  beforeAll(async () => {
    const run = (r.run = runTurn({ TURN_PROBE_ORIGINS: PAGE, ...env }));
    const deadline = Date.now() + 40_000;
    while (!run.lines.some((l) => l.event === 'probe-listening') && run.child.exitCode === null && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 50));
    }
    const probe = run.lines.find((l) => l.event === 'probe-listening');
    const turn = run.lines.find((l) => l.event === 'turn-listening');
    if (!probe || !turn) throw new Error(`npm run turn did not start its probe peer:\n${run.stderr()}\n${JSON.stringify(run.lines)}`);
    r.probeBase = `http://127.0.0.1:${probe.port as number}`;
    r.stunPort = turn.udpPort as number;
    r.workers = probe.workers as number;
  }, 45_000);
  afterAll(async () => {
    const run = r.run;
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGTERM');
      const [code] = await run.exited;
      expect(code).toBe(0);
    }
  });
  return r;
}

const post = (probeBase: string, path: string, body: unknown, origin = PAGE) =>
  fetch(`${probeBase}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });

/** What a page's NAT check sees: the probe's answer, its check answered from the STUN port, both filtering checks. */
async function filteringTestRuns(probeBase: string, stunPort: number): Promise<void> {
  const offer = await post(probeBase, '/api/probe/offer', { sdp: BROWSER_OFFER });
  expect(offer.status).toBe(200);
  expect(offer.headers.get('access-control-allow-origin')).toBe(PAGE);
  const body = (await offer.json()) as { id: string; answer: { sdp: string }; sources: string[] };
  expect(body.answer.sdp).toContain(` ${stunPort} typ host`);
  expect(body.sources).toEqual(['primary', 'alt-port']);
  const browser = await fakeBrowserAgent();
  try {
    expect(await browser.check(probeCredentials(body.answer.sdp), stunPort)).toBe(true);
    const result = (await (await post(probeBase, `/api/probe/${body.id}/run`, { waitMs: 1000 })).json()) as { checks: { role: string; answered: boolean }[] };
    expect(result.checks.map((c) => [c.role, c.answered])).toEqual([['primary', true], ['alt-port', true]]);
  } finally {
    browser.close();
  }
}

describe('npm run turn: the probe peer of its region', () => {
  const r = region({});
  it('answers the allowed page across origins and runs the filtering test through the TURN server’s STUN port', async () => {
    const { probeBase, stunPort } = r;
    const pre = await fetch(`${probeBase}/api/probe/offer`, { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');
    await filteringTestRuns(probeBase, stunPort);
  });

  it('refuses a page of another origin', async () => {
    const res = await post(r.probeBase, '/api/probe/offer', { sdp: BROWSER_OFFER }, 'http://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('npm run turn with TURN_WORKERS=2: the probe peer beside the sharded server', () => {
  const r = region({ TURN_WORKERS: '2' });
  it('runs the filtering test through the STUN port the workers share', async () => {
    expect(r.workers).toBe(2);
    // Several checks from different source ports: the kernel spreads them over both workers.
    for (let i = 0; i < 3; i++) await filteringTestRuns(r.probeBase, r.stunPort);
  });
});

describe('probe settings (TURN_PROBE_*)', () => {
  it('are checked at start with one line naming the variable', () => {
    expect(() => probeServerConfigFromEnv({ TURN_PROBE_PORT: 'eighty' })).toThrow(/^TURN_PROBE_PORT must be a port from 0 to 65535 or off \(no probe peer\), got "eighty"$/);
    expect(() => probeServerConfigFromEnv({ TURN_PROBE_ORIGINS: 'page.example' })).toThrow(/^TURN_PROBE_ORIGINS: "page.example" is not an origin/);
    expect(() => probeServerConfigFromEnv({ PROBE_MAX_SESSIONS: '0' })).toThrow(/^PROBE_MAX_SESSIONS must be an integer/);
    expect(probeServerConfigFromEnv({})).toEqual({ port: 9642, origins: { any: true } });
    expect(probeServerConfigFromEnv({ TURN_PROBE_PORT: 'off' }).port).toBeNull();
  });
});
