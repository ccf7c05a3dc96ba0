// The lobby's matrix, summary and host choice as a person sees them, and its saved report:
// three pages of one Chromium (separate contexts) in a lobby; every cell, the headline and the host choice read from
// the page; a cell of the page's own pair opens that pair's full report; the lobby report saved and opened on its
// permalink shows the same matrix read-only.
import type { BrowserContext, Page } from '@playwright/test';
import { sampleLobbyReport } from '../common/testdata/sample-lobby-report';
import { sampleReport } from '../common/testdata/sample-report';
import { expect, test } from './fixtures';

const newRoomId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');

test('a 3-peer lobby: the matrix, summary and host choice, a pair report behind a cell, and the saved lobby report', async ({ browser, app }) => {
  test.setTimeout(120_000);
  const contexts: BrowserContext[] = [];
  const open = async (roomId: string): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${app.baseURL}/lobby/${roomId}`);
    return page;
  };
  try {
    const roomId = newRoomId();
    const pages = [await open(roomId), await open(roomId), await open(roomId)];
    for (const page of pages) await expect(page.getByTestId('lobby-status')).toHaveAttribute('data-settled', '3', { timeout: 45_000 });
    const first = pages[0]!;

    // Every ordered pair has a cell, all settled on the same path (one machine: the same network).
    const cells = first.locator('[data-testid^="lobby-cell-"][data-path]');
    await expect(cells).toHaveCount(6);
    await expect.poll(() => cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-path'))), { timeout: 10_000 }).toEqual(Array(6).fill('direct-lan'));
    await expect(first.getByTestId('lobby-headline')).toHaveText('all 3 links work (3 direct)');
    // On one machine every link has the same round trip: a tie, or one host when a link is measurably slower.
    await expect(first.getByTestId('lobby-host')).toHaveAttribute('data-state', /^(chosen|tie)$/, { timeout: 15_000 });
    await expect(first.getByTestId('lobby-host')).toContainText('reaches all 2 directly');

    // Row headers in join order; this page's own row says "you".
    const rows = first.locator('[data-testid^="lobby-row-"]');
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText('you');
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('lobby-row-'.length)));

    // A cell of this page's own pair opens that pair's full report; a cell of two others shows both sides.
    await first.getByTestId(`lobby-cell-${ids[0]}-${ids[1]}`).getByRole('button').click();
    await expect(first.getByTestId('lobby-pair-report').getByTestId('status-line')).toHaveAttribute('data-path', 'direct-lan');
    await first.getByTestId(`lobby-cell-${ids[1]}-${ids[2]}`).getByRole('button').click();
    await expect(first.getByTestId('lobby-cell-details')).toHaveAttribute('data-pair', `${ids[1]}-${ids[2]}`);
    await expect(first.getByTestId('lobby-cell-details')).toContainText('Both sides see the same path.');
    await expect(first.getByTestId('lobby-pair-report')).toHaveCount(0);

    // Save the lobby report; its permalink shows the same matrix, summary and host choice, read-only.
    await first.getByTestId('lobby-save').click();
    const permalink = await first.getByTestId('lobby-permalink').inputValue({ timeout: 15_000 });
    expect(permalink).toMatch(/\/report\/[A-Za-z0-9_-]{24}$/);
    await expect(first.getByTestId('lobby-report-qr').locator('svg')).toBeVisible();
    const saved = await contexts[0]!.newPage();
    await saved.goto(permalink);
    await expect(saved.getByTestId('saved-report')).toHaveAttribute('data-kind', 'lobby');
    await expect(saved.getByTestId('saved-report')).toContainText('Private addresses are masked');
    await expect(saved.locator('[data-testid^="lobby-cell-"][data-path="direct-lan"]')).toHaveCount(6);
    await expect(saved.getByTestId('lobby-headline')).toHaveText('all 3 links work (3 direct)');
    await expect(saved.getByTestId('lobby-host')).toContainText('reaches all 2 directly');
    await saved.getByTestId(`lobby-cell-${ids[0]}-${ids[2]}`).getByRole('button').click();
    await expect(saved.getByTestId('lobby-pair-report').getByTestId('status-line')).toHaveAttribute('data-path', 'direct-lan');
  } finally {
    for (const c of contexts) await c.close().catch(() => undefined);
  }
});

test('saved reports of both kinds open on their permalink under the page\u2019s CSP: a lobby\u2019s and a two-person room\u2019s', async ({ browser, app }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    // CSP violations (Chromium logs "Refused to … because it violates the … Content Security Policy") and page errors.
    page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${app.baseURL}/`);
    const save = (report: unknown) =>
      page.evaluate(async (body) => {
        const res = await fetch('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ report: body }) });
        return ((await res.json()) as { url: string }).url;
      }, report);
    await page.goto(`${app.baseURL}${await save(sampleLobbyReport())}`);
    await expect(page.getByTestId('saved-report')).toHaveAttribute('data-kind', 'lobby');
    await expect(page.getByTestId('lobby-cell-a-b')).toHaveAttribute('data-path', 'p2p-nat');
    await expect(page.getByTestId('lobby-cell-c-a')).toHaveAttribute('data-state', 'left');
    await expect(page.getByTestId('lobby-headline')).toHaveText('the link works (1 direct)');
    await page.getByTestId('lobby-cell-a-b').getByRole('button').click();
    await expect(page.getByTestId('lobby-pair-report').getByTestId('status-line')).toHaveAttribute('data-path', 'direct-lan');
    await page.goto(`${app.baseURL}${await save(sampleReport())}`);
    await expect(page.getByTestId('saved-report')).toContainText('A saved p2pcheck report (read-only)');
    await expect(page.getByTestId('status-line')).toHaveAttribute('data-path', 'direct-lan');
    await expect(page.getByTestId('lobby-matrix')).toHaveCount(0);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});
