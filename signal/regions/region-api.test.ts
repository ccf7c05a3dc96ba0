// ICE_REGIONS through a real p2pcheck on loopback: what the page reads from /api/config and /api/ice-servers, and
// the page's CSP letting it reach the regions' probe peers. Without ICE_REGIONS the answers are as before.
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IceServersResponse, ServerInfo } from '../../common/messages';
import { startApp, type RunningApp } from '../app';

const EU = 'eu-secret-0123456789abcdef';
const US = 'us-secret-0123456789abcdef';
const REGIONS = [
  { id: 'eu', name: 'Frankfurt', urls: ['stun:10.0.0.1:3478', 'turn:10.0.0.1:3478?transport=udp', 'turn:10.0.0.1:3478?transport=tcp'], probe: 'http://10.0.0.1:9642', secretEnv: 'TURN_SECRET_EU', alternatePort: 3479 },
  { id: 'us', name: 'Virginia', urls: ['stun:10.0.0.2:3478'], secret: US },
];
const staticDir = mkdtempSync(join(tmpdir(), 'p2pcheck-regions-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>p2pcheck</title>');
const baseEnv = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', STATIC_DIR: staticDir, TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: 'off', TURN_LISTEN_V6: 'off', TURN_SECRET: 'bundled-secret' };

let withRegions: RunningApp;
let without: RunningApp;
const get = async (app: RunningApp, path: string) => fetch(`http://127.0.0.1:${app.httpPort}${path}`);

beforeAll(async () => {
  withRegions = await startApp({ ...baseEnv, TURN_ENABLED: 'false', ICE_REGIONS: JSON.stringify(REGIONS), TURN_SECRET_EU: EU });
  without = await startApp(baseEnv);
});
afterAll(async () => {
  await withRegions?.close();
  await without?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('ICE regions over HTTP', () => {
  it('/api/ice-servers: every region with a credential made with its own secret; the first region is the default', async () => {
    const body = (await (await get(withRegions, '/api/ice-servers')).json()) as IceServersResponse;
    expect(body.regions!.map((r) => r.id)).toEqual(['eu', 'us']);
    const [eu, us] = body.regions!;
    expect(eu!.iceServers[0]).toEqual({ urls: ['stun:10.0.0.1:3478'] });
    const turn = eu!.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:10.0.0.1:3478?transport=udp', 'turn:10.0.0.1:3478?transport=tcp']);
    expect(turn.credential).toBe(createHmac('sha1', EU).update(turn.username!).digest('base64'));
    expect(us!.iceServers).toEqual([{ urls: ['stun:10.0.0.2:3478'] }]);
    expect(body.iceServers).toEqual(eu!.iceServers);
    expect(JSON.stringify(body)).not.toContain(EU);
  });

  it('/api/config: the regions without secrets', async () => {
    const info = (await (await get(withRegions, '/api/config')).json()) as ServerInfo;
    expect(info.regions).toEqual([
      { id: 'eu', name: 'Frankfurt', primary: { host: '10.0.0.1', port: 3478 }, alternatePort: 3479, alternateHost: null, probe: 'http://10.0.0.1:9642' },
      { id: 'us', name: 'Virginia', primary: { host: '10.0.0.2', port: 3478 }, alternatePort: null, alternateHost: null, probe: null },
    ]);
    expect(JSON.stringify(info)).not.toContain(US);
  });

  it("the page's CSP lets it reach the probe peers' origins", async () => {
    const csp = (await get(withRegions, '/')).headers.get('content-security-policy')!;
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+ http:\/\/10\.0\.0\.1:9642;/);
  });

  it('without ICE_REGIONS nothing changes: no regions in either answer, the bundled server in iceServers', async () => {
    const ice = (await (await get(without, '/api/ice-servers')).json()) as IceServersResponse;
    expect(ice.regions).toBeUndefined();
    expect(ice.iceServers[0]!.urls[0]).toBe(`stun:127.0.0.1:${without.turn!.udpPort}`);
    const info = (await (await get(without, '/api/config')).json()) as ServerInfo;
    expect('regions' in info).toBe(false);
    expect((await get(without, '/')).headers.get('content-security-policy')).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+;/);
  });
});
