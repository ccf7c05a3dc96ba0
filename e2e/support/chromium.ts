// Launching Debian's Chromium for tests, optionally inside a network namespace.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-flags';

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
