// "Check my network" with one browser, on the e2e test host (no NAT between the browser and the server; as root
// a namespace of the worker's own, else loopback). The server has one IP, so the mapping/filtering results
// are the single-address ones, and the page must say so.
import { execFileSync } from 'node:child_process';
import { expect, readReport, test } from './fixtures';
import { runNetworkCheck } from './support/page-readers';

test('a browser with its own address: "No NAT", single-address caveats, UDP and TCP relay work', async ({ browser, app }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${app.baseURL}/`);
  const r = await runNetworkCheck(page, 15_000);
  if (app.ns === null) {
    // Not root: the server listens on loopback, which only this machine reaches, so no NAT can be tested.
    await expect(page.getByTestId('nat-type')).toHaveText('Same machine as the server (NAT not tested)');
    await page.context().close();
    return;
  }
  await expect(page.getByTestId('nat-type')).toHaveText('No NAT (public address)');
  expect(r.state).toBe('done');
  expect(r.reachability.udp).toBe('answered');
  expect(r.reachability.tcpRelay).toBe('ok');
  expect(r.publicAddress).toBe('yes');
  expect(r.hostAddresses).toContain(r.mappedAddress?.address);
  // Only the server's second port exists: the page must not claim more than it could measure.
  await expect(page.getByTestId('nat-mapping')).toHaveAttribute('data-behavior', 'EIM-or-ADM');
  await expect(page.getByTestId('nat-filtering')).toHaveAttribute('data-behavior', 'EIF-or-ADF');
  expect(r.filtering.observations.map((o) => [o.role, o.answered])).toEqual([
    ['primary', true],
    ['alt-port', true],
  ]);
  await expect(page.getByTestId('nat-skipped')).toContainText('single IP address');
  await expect(page.getByTestId('nat-compatibility').locator('tr[data-peer="symmetric"]')).toHaveAttribute('data-path', /direct|uncertain/);
  expect(r.verdictMs).not.toBeNull();
  await page.context().close();
});

test('UDP to the server dropped: "UDP blocked (TCP relay only)" within 5 s', async ({ browser, app }) => {
  test.skip(app.ns === null, 'needs a namespace of the test\u2019s own to drop UDP in (run as root)');
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${app.baseURL}/`);
  const server = new URL(app.baseURL).hostname;
  const rule = ['OUTPUT', '-p', 'udp', '-d', server, '-m', 'multiport', '--dports', '3478,3479', '-j', 'DROP'];
  // Only the browser's packets towards the STUN ports are dropped; the server's own replies (source port 3478) pass.
  execFileSync('ip', ['netns', 'exec', app.ns!, 'iptables', '-w', '-I', ...rule]);
  try {
    const started = Date.now();
    const r = await runNetworkCheck(page, 15_000);
    const wall = Date.now() - started;
    await expect(page.getByTestId('nat-type')).toHaveText('UDP blocked (TCP relay only)');
    expect(r.reachability.udp).toBe('no-answer');
    expect(r.reachability.tcpRelay).toBe('ok');
    // Within 5 s of the tests starting (after the page learnt the server's endpoints), by our own deadline —
    // not Chromium's ~40 s STUN timeout. The wall-clock bound is loose: CI machines can be very busy.
    const testsStarted = r.timeline.find((t) => t.step === 'servers known')?.at ?? 0;
    expect(r.verdictMs! - testsStarted).toBeLessThan(5000);
    expect(wall).toBeLessThan(15_000);
  } finally {
    execFileSync('ip', ['netns', 'exec', app.ns!, 'iptables', '-w', '-D', ...rule]);
    await page.context().close();
  }
});

test('custom ICE servers: server-only tests are skipped with the reason; a wrong TURN password shows 401 and its fix', async ({ browser, app }) => {
  const host = new URL(app.baseURL).hostname;
  const servers = [
    { urls: `stun:${host}:3478` },
    { urls: `turn:${host}:3478?transport=tcp`, username: `${Math.floor(Date.now() / 1000) + 600}:someone`, credential: 'not-the-right-one' },
  ];
  test.skip(app.ns === null, 'the loopback server listens on a random STUN port; this case needs the namespace setup');
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${app.baseURL}/?iceServers=${encodeURIComponent(JSON.stringify(servers))}`);
  const r = await runNetworkCheck(page, 15_000);
  expect(r.servers).toBe('custom');
  await expect(page.getByTestId('nat-type')).toHaveText('NAT type not determined');
  await expect(page.getByTestId('nat-skipped')).toContainText('needs p2pcheck\u2019s own server');
  expect(r.reachability.udp).toBe('answered');
  expect(r.reachability.tcpRelay).toBe('failed');
  await expect(page.getByTestId('nat-ice-errors')).toContainText('401');
  await expect(page.getByTestId('nat-ice-errors')).toContainText('HMAC-SHA1');
  await page.context().close();
});

test('a room: both sides\u2019 verdicts in each report, and the predicted path agrees with the settled one', async ({ room, app }) => {
  test.setTimeout(150_000);
  // Not root: both pages and the server on loopback — the same machine, predicted direct on it.
  const [label, path] = app.ns === null ? ['Same machine as the server (NAT not tested)', 'direct-lan'] : ['No NAT (public address)', 'direct'];
  const id = room.newRoomId();
  const a = await room.open(id);
  const b = await room.open(id);
  for (const page of [a, b]) {
    await expect
      .poll(async () => (await readReport(page)).diagnosis?.prediction?.check ?? null, { timeout: 60_000, intervals: [500] })
      .toBe('agree');
    const r = await readReport(page);
    expect(r.diagnosis?.local?.verdict?.label).toBe(label);
    expect(r.diagnosis?.remote?.verdict?.label).toBe(label);
    expect(r.diagnosis?.prediction?.prediction.path).toBe(path);
    await expect(page.getByTestId('nat-type')).toHaveText(label);
    await expect(page.getByTestId('peer-nat-type')).toHaveText(label);
    await expect(page.getByTestId('prediction')).toHaveAttribute('data-check', 'agree');
  }
});
