import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/**
 * Debian's Chromium headless shell (apt-get install chromium-headless-shell; .ci/run installs it), else
 * Debian's full chromium. No browser is downloaded. The shell is the same Blink and V8 without the
 * browser's UI layer, and what playwright itself runs headless: the console's browser tests cost about a
 * third less CPU on it (53.8 → 36.0 CPU-s for three files), on a machine where CPU is what the suite runs
 * out of.
 */
const BROWSERS = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
export const CHROMIUM = process.env.CHROMIUM_PATH ?? BROWSERS.find((path) => existsSync(path)) ?? BROWSERS[0]!;

/**
 * Why the browser tests cannot run here, or undefined when they can. A machine without the browser
 * skips them; CI sets REQUIRE_BROWSER=1, so there a missing browser fails the file instead.
 */
export const missingBrowser = existsSync(CHROMIUM)
  ? undefined
  : `no browser at ${CHROMIUM}: apt-get install chromium-headless-shell (or chromium, or set CHROMIUM_PATH)`;
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

let focusWatches = 0;

/**
 * Starts watching for the first moment an element matching `selector` is in the page, and returns a
 * function that answers what had focus then: its text, its id when it has no text, or "(the page
 * itself)" when nothing in it had. It is read in the mutation's own microtask, before any frame is
 * drawn: what a key pressed straight after the click reaches. Focus moved in a plain (after-paint)
 * effect is not there yet; a layout effect's is.
 */
export async function watchFocusWhenShown(page: Page, selector: string): Promise<() => Promise<string | undefined>> {
  const key = JSON.stringify(`wdFocusWhenShown${++focusWatches}`);
  await page.evaluate(`window[${key}] = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector(${JSON.stringify(selector)})) return;
      observer.disconnect();
      const focused = document.activeElement;
      if (!focused || focused === document.body) resolve('(the page itself)');
      else resolve(focused.id && !focused.textContent.trim() ? '#' + focused.id : focused.textContent.trim());
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  }); undefined`);
  return () => page.evaluate<string | undefined>(`window[${key}]`);
}
