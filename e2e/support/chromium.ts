// Launching Debian's Chromium for tests, optionally inside a network namespace.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags every test browser gets: no mDNS host-name obfuscation (no multicast), no background traffic. */
export const CHROMIUM_ARGS = [
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
];

/** A script that starts Chromium inside `ns` (Playwright launches it as if it were the browser). */
export function chromiumWrapperFor(ns: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'p2pcheck-chromium-'));
  const path = join(dir, 'chromium');
  writeFileSync(path, `#!/bin/sh\nexec ip netns exec '${ns}' '${CHROMIUM_PATH}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

export function launchChromium(ns?: string): Promise<Browser> {
  return chromium.launch({ executablePath: ns ? chromiumWrapperFor(ns) : CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
