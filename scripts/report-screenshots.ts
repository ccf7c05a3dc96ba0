// Takes the README screenshots of a real report: two Chromium pages in one room on a test namespace (as the
// e2e tests do), wait for the link measurement, then the live report at desktop width and the saved
// permalink at phone width. Run as root: `npx tsx scripts/report-screenshots.ts` (writes docs/screenshots/).
// `--lobby`: a four-person lobby instead (four Chromium contexts, named), its answers and matrix at desktop width,
// written to docs/img/lobby-desktop.png (then `convert x.png -colors 64 PNG8:x.png`: a few tens of KB).
import { startAppProcess } from '../e2e/support/app-process';
import { launchChromium } from '../e2e/support/chromium';
import { canUseNetns, createTestHost } from '../e2e/support/netns';

const roomId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
const netns = canUseNetns();
if (!netns.ok) throw new Error(`needs network namespaces: ${netns.reason}`);
const host = createTestHost(`shots-${process.pid}`, 240);
const app = await startAppProcess({ ns: host.ns, host: host.address, env: { DATA_DIR: `/tmp/p2pcheck-shots-${process.pid}` } });
const browser = await launchChromium(host.ns);
const lobbyOnly = process.argv.includes('--lobby');
try {
  if (lobbyOnly) await lobbyShots();
  else await reportShots();
} finally {
  await browser.close();
  await app.stop();
  host.remove();
}

async function reportShots(): Promise<void> {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const a = await desktop.newPage();
  await a.goto(`${app.baseURL}/r/${roomId}`);
  const other = await browser.newContext();
  const b = await other.newPage();
  await b.goto(`${app.baseURL}/r/${roomId}`);
  await a.getByTestId('permalink').waitFor({ timeout: 120_000 });
  await a.waitForTimeout(1500); // charts
  // From the top to the end of the ICE timeline (the tables below are long and plain).
  const tl = (await a.getByTestId('ice-timeline').boundingBox())!;
  await a.screenshot({ path: 'docs/screenshots/report-desktop.png', fullPage: true, clip: { x: 0, y: 0, width: 1280, height: tl.y + tl.height + 16 }, timeout: 180_000 });
  const url = await a.getByTestId('permalink').inputValue();
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const p = await phone.newPage();
  await p.goto(url);
  await p.getByTestId('link-verdict').waitFor();
  await p.waitForTimeout(1500);
  // The link quality through the ICE timeline.
  const q = (await p.getByTestId('link-quality').boundingBox())!;
  const t = (await p.getByTestId('ice-timeline').boundingBox())!;
  await p.screenshot({ path: 'docs/screenshots/report-phone.png', fullPage: true, clip: { x: 0, y: q.y - 8, width: 390, height: t.y + t.height - q.y + 16 }, timeout: 180_000 });
  console.log(`saved docs/screenshots/report-desktop.png and report-phone.png (permalink ${url})`);
}

/** Four named pages in one lobby; once every link settled and the host is chosen, the first page's answers and
 * matrix at desktop width. */
async function lobbyShots(): Promise<void> {
  const names = ['Ana (laptop)', 'Ben (desktop)', 'Cy (phone)', 'Dee (tablet)'];
  const pages = [];
  for (const [i, name] of names.entries()) {
    const ctx = await browser.newContext(i === 0 ? { viewport: { width: 1280, height: 900 } } : {});
    const page = await ctx.newPage();
    await page.goto(`${app.baseURL}/lobby/${roomId}`);
    await page.getByTestId('lobby-name').fill(name);
    await page.getByTestId('lobby-name-save').click();
    pages.push(page);
  }
  for (const page of pages) {
    await page.getByTestId('lobby-status').and(page.locator('[data-settled="6"]')).waitFor({ timeout: 120_000 });
    await page.getByTestId('lobby-host').and(page.locator('[data-state="chosen"], [data-state="tie"]')).waitFor({ timeout: 60_000 });
  }
  await new Promise((r) => setTimeout(r, 1500)); // RTTs in every cell
  const desk = pages[0]!;
  const top = (await desk.getByTestId('lobby-summary').boundingBox())!;
  const matrix = (await desk.getByTestId('lobby-matrix').boundingBox())!;
  await desk.screenshot({ path: 'docs/img/lobby-desktop.png', fullPage: true, clip: { x: 0, y: Math.max(0, top.y - 8), width: 1280, height: matrix.y + matrix.height - top.y + 16 } });
  console.log('saved docs/img/lobby-desktop.png');
}
