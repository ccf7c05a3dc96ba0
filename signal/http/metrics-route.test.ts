// /metrics on its own listener (METRICS_PORT): the public port no longer serves it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app';
import { httpGet } from '../security/service-probe';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp({ HOST: '127.0.0.1', PORT: '0', TURN_ENABLED: '0', LOG_LEVEL: 'silent', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', METRICS_TOKEN: 'separate-listener-token' });
});
afterAll(() => app?.close());

it('serves /metrics only on METRICS_PORT, with the token, and nothing else there', async () => {
  const main = { host: '127.0.0.1', httpPort: app.httpPort };
  const own = { host: '127.0.0.1', httpPort: app.metricsPort! };
  expect(app.metricsPort).not.toBe(app.httpPort);
  const onMain = await httpGet(main, '/metrics', { headers: { authorization: 'Bearer separate-listener-token' } });
  expect(onMain.status).toBe(404);
  expect(JSON.parse(onMain.body)).toMatchObject({ code: 'not-found' });
  expect((await httpGet(own, '/metrics')).status).toBe(401);
  const ok = await httpGet(own, '/metrics', { headers: { authorization: 'Bearer separate-listener-token' } });
  expect(ok.status).toBe(200);
  expect(ok.body).toMatch(/^p2pcheck_signaling_sockets /m);
  expect(ok.headers['x-content-type-options']).toBe('nosniff');
  expect((await httpGet(own, '/')).status).toBe(404);
  expect((await httpGet(own, '/api/ice-servers')).status).toBe(404);
});
