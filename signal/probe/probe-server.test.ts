// `npm run turn` runs the probe peer of its region: the page (another origin) offers, the fake browser's check
// reaches the TURN server's STUN port and is answered by the probe, and a run reports the filtering checks. CORS
// lets the allowed page in and keeps others out; bad TURN_PROBE_* settings are one line at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_OFFER, fakeBrowserAgent, probeCredentials } from './fake-browser-agent';
import { spawnTurnMain } from '../../turn/testing/turn-main-process';
import { probeServerConfigFromEnv } from './probe-server';

const PAGE = 'http://page.example:8080';

function runTurn(env: Record<string, string>) {
  return spawnTurnMain({ TURN_SECRET: 'probe-server-test', TURN_LISTEN: '127.0.0.1', ...env });
}

let run: ReturnType<typeof runTurn>;
let probeBase: string;
let stunPort: number;

beforeAll(async () => {
  run = runTurn({ TURN_PROBE_ORIGINS: PAGE });
  const deadline = Date.now() + 25_000;
  while (!run.lines.some((l) => l.event === 'probe-listening') && run.child.exitCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const probe = run.lines.find((l) => l.event === 'probe-listening');
  const turn = run.lines.find((l) => l.event === 'turn-listening');
  if (!probe || !turn) throw new Error(`npm run turn did not start its probe peer:\n${run.stderr()}`);
  probeBase = `http://127.0.0.1:${probe.port as number}`;
  stunPort = turn.udpPort as number;
}, 30_000);

afterAll(async () => {
  if (run && run.child.exitCode === null) {
    run.child.kill('SIGTERM');
    const [code] = await run.exited;
    expect(code).toBe(0);
  }
});

const post = (path: string, body: unknown, origin = PAGE) =>
  fetch(`${probeBase}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });

describe('npm run turn: the probe peer of its region', () => {
  it('answers the allowed page across origins and runs the filtering test through the TURN server’s STUN port', async () => {
    const pre = await fetch(`${probeBase}/api/probe/offer`, { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');

    const offer = await post('/api/probe/offer', { sdp: BROWSER_OFFER });
    expect(offer.status).toBe(200);
    expect(offer.headers.get('access-control-allow-origin')).toBe(PAGE);
    const body = (await offer.json()) as { id: string; answer: { sdp: string }; sources: string[] };
    expect(body.answer.sdp).toContain(` ${stunPort} typ host`);
    expect(body.sources).toEqual(['primary', 'alt-port']);

    const browser = await fakeBrowserAgent();
    try {
      expect(await browser.check(probeCredentials(body.answer.sdp), stunPort)).toBe(true);
      const result = (await (await post(`/api/probe/${body.id}/run`, { waitMs: 1000 })).json()) as { checks: { role: string; answered: boolean }[] };
      expect(result.checks.map((c) => [c.role, c.answered])).toEqual([['primary', true], ['alt-port', true]]);
    } finally {
      browser.close();
    }
  });

  it('refuses a page of another origin', async () => {
    const res = await post('/api/probe/offer', { sdp: BROWSER_OFFER }, 'http://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
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
