// Debian's Chromium as every test launches it (Playwright here, puppeteer-core in the TURN interop test): its
// path and flags. No Playwright import, so vitest tests can use it too.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Features turned off. Chromium keeps only the last `--disable-features` it is given, so this list repeats
 * Playwright's own (its flag comes first and would otherwise be dropped) and adds ours:
 * - WebRtcHideLocalIpsWithMdns: real host candidates, no mDNS multicast;
 * - WebUIOmniboxPopup, WebUIOmniboxAimPopup: Chromium 15x renders the address bar's popups as WebUI pages, one
 *   renderer each per window even when headless — measured: a launch plus three contexts took 11 CPU-seconds
 *   with them and 3.7 without (the NAT lab opens dozens of windows on two cores);
 * - the optimization-guide / on-device-model and Translate services: background work no test needs.
 */
const DISABLED_FEATURES = [
  'WebRtcHideLocalIpsWithMdns',
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'OptimizationGuideOnDeviceModel',
  'OptimizationGuideModelDownloading',
  'OptimizationHintsFetching',
  'OptimizationTargetPrediction',
  'Translate',
  // Playwright 1.65's defaults:
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];

/** Flags every test browser gets: no mDNS host-name obfuscation (no multicast), no background traffic. */
export const CHROMIUM_ARGS = [
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
];
