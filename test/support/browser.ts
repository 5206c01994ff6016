import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** Debian's chromium (apt-get install chromium); .ci/run installs it. No browser is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or undefined when they can. A machine without the browser
 * skips them; CI sets REQUIRE_BROWSER=1, so there a missing browser fails the file instead.
 */
export const missingBrowser = existsSync(CHROMIUM)
  ? undefined
  : `no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`;
if (missingBrowser && process.env.REQUIRE_BROWSER === '1') throw new Error(missingBrowser);

/**
 * axe-core's source, evaluated through the debugging protocol: the console's CSP (script-src 'self')
 * rightly refuses an injected <script>.
 */
export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Headless Chromium as every browser test starts it: no sandbox (CI runs as root), no background traffic. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
