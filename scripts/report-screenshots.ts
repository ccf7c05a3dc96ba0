// Takes the README screenshots of a real report: two Chromium pages in one room on a test namespace (as the
// e2e tests do), wait for the link measurement, then the live report at desktop width and the saved
// permalink at phone width. Run as root: `npx tsx scripts/report-screenshots.ts` (writes docs/screenshots/).
import { startAppProcess } from '../e2e/support/app-process';
import { launchChromium } from '../e2e/support/chromium';
import { canUseNetns, createTestHost } from '../e2e/support/netns';

const roomId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
const netns = canUseNetns();
if (!netns.ok) throw new Error(`needs network namespaces: ${netns.reason}`);
const host = createTestHost(`shots-${process.pid}`, 240);
const app = await startAppProcess({ ns: host.ns, host: host.address, env: { DATA_DIR: `/tmp/p2pcheck-shots-${process.pid}` } });
const browser = await launchChromium(host.ns);
try {
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
} finally {
  await browser.close();
  await app.stop();
  host.remove();
}
