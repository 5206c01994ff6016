import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killLeftoverServices, spawnService, waitForStatus, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

const ADMIN = 'wdk_browser_admin_token_0123456789abcdef';
/** Debian's chromium (apt-get install chromium); .ci/run installs it. No browser is downloaded. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A machine without the browser skips this file; CI sets REQUIRE_BROWSER=1, so there it fails instead. */
const missingBrowser = existsSync(CHROMIUM) ? undefined : `no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`;
if (missingBrowser && process.env.REQUIRE_BROWSER === '1') throw new Error(missingBrowser);
if (missingBrowser) console.warn(`skipping the console's browser test: ${missingBrowser}`);

describe.skipIf(missingBrowser !== undefined)(`web console in a browser on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  let service: SpawnedService;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-browser-'));
    testDb = await createTestDatabase();
    service = spawnService({ ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') }), ADMIN_API_TOKEN: ADMIN });
    await waitForStatus(service, '/readyz');
    browser = await chromium.launch({
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
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    service?.child.kill('SIGTERM');
    await service?.exited;
    await killLeftoverServices();
    await testDb?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs in, provisions a customer through the card form and sees it on the dashboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(service.url);

    await page.fill('#token', 'wdk_wrong_token_000000000000000000');
    await page.click('#sign-in-form button');
    await expect.poll(() => page.textContent('#sign-in-error')).toContain('refused');

    errors.length = 0; // the refused sign-in logged its 401
    await page.fill('#token', ADMIN);
    await page.click('#sign-in-form button');
    await page.waitForSelector('#desk:not([hidden])');

    await page.fill('#text', 'provision customer "Foxtrot Dental" country GB');
    await page.click('#chat-form button');
    const card = page.locator('.msg.bot .ac-adaptiveCard').last();
    await card.waitFor();
    await card.getByLabel('Customer admin email').fill('it@foxtrot.example');
    await card.getByLabel('Street address').fill('5 Harley Street');
    await card.getByLabel('City').fill('London');
    await card.getByLabel('Postal code').fill('W1G 9QY');
    await card.getByRole('checkbox', { name: 'Webex Meetings' }).check();
    await card.getByRole('button', { name: 'Submit' }).click();

    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the text as the person sees it
    await expect.poll(() => page.locator('.msg.bot').last().innerText(), { timeout: 15_000 }).toContain('Accepted Foxtrot Dental');
    // biome-ignore lint/performance/useDomNodeTextContent: as above
    await expect.poll(() => page.locator('#recent-customers tbody').innerText(), { timeout: 15_000 }).toContain('Foxtrot Dental');
    expect(await page.locator('.msg.bot strong', { hasText: 'Foxtrot Dental' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join('test', 'artifacts', `console-${testDbKind()}.png`), fullPage: true });
    expect(errors).toEqual([]);
  });
});
