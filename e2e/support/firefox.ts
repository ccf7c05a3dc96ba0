// Debian's Firefox ESR for tests, driven over WebDriver BiDi by puppeteer-core (Playwright only drives its own
// patched Firefox builds, which cannot be downloaded here). Inside a network namespace it runs through a
// wrapper script, like Chromium; its BiDi port is bridged out of the namespace by firefox-bidi-forwarder.mjs.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** No mDNS host names (no multicast), nothing phoning home. */
export const FIREFOX_PREFS = {
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'extensions.update.enabled': false,
};

function wrapperFor(ns: string): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-firefox-'));
  const path = join(dir, 'firefox');
  const forwarder = fileURLToPath(new URL('./firefox-bidi-forwarder.mjs', import.meta.url));
  writeFileSync(path, `#!/bin/bash\nexec ip netns exec '${ns}' '${FIREFOX_PATH}' "$@" 2> >(exec '${process.execPath}' '${forwarder}' '${ns}' >&2)\n`);
  chmodSync(path, 0o755);
  return { path, dir };
}

/** `acceptInsecureCerts`: trust any TLS certificate (the NAT lab's self-signed TURN-over-TLS one), like Chromium's
 * --ignore-certificate-errors. */
export async function launchFirefox(ns?: string, opts: { acceptInsecureCerts?: boolean } = {}): Promise<Browser> {
  const wrapper = ns ? wrapperFor(ns) : null;
  // The wrapper's folder goes with the browser (a lab run used to leave one behind per Firefox).
  const removeWrapper = () => wrapper && rmSync(wrapper.dir, { recursive: true, force: true });
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: wrapper?.path ?? FIREFOX_PATH,
      headless: true,
      extraPrefsFirefox: FIREFOX_PREFS,
      acceptInsecureCerts: opts.acceptInsecureCerts ?? false,
      timeout: 60_000,
    });
    browser.once('disconnected', removeWrapper);
    return browser;
  } catch (err) {
    removeWrapper();
    throw err;
  }
}
