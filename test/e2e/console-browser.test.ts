import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXE_SOURCE, launchChromium, missingBrowser } from '../support/browser.js';
import { killLeftoverServices, spawnService, waitForStatus, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, runsOnceAcrossDatabases, testDbKind, type TestDatabase } from '../support/test-db.js';

const ADMIN = 'wdk_browser_admin_token_0123456789abcdef';

if (missingBrowser) console.warn(`skipping the console's browser test: ${missingBrowser}`);

/** axe-core's serious and critical findings on the page as it is now (rule id and the elements). */
async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: a <script> tag (addScriptTag) is inline, which the console's CSP refuses.
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  // A string, run in the page: the test's own TypeScript knows no DOM.
  return page.evaluate<string[]>(`axe.run().then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

/** At a phone's width nothing may scroll sideways: the width the page lays out is the viewport's. */
async function checkPhoneWidth(page: Page, name: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await page.screenshot({ path: join('test', 'artifacts', `console-${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.screenshot({ path: join('test', 'artifacts', `console-${name}-1440.png`), fullPage: true });
}

// The console's browser check does not depend on the database: once per suite run.
describe.skipIf(missingBrowser !== undefined || !runsOnceAcrossDatabases())(`web console in a browser on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  let service: SpawnedService;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-browser-'));
    testDb = await createTestDatabase({ migrated: true });
    await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
    service = spawnService({ ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') }), ADMIN_API_TOKEN: ADMIN });
    await waitForStatus(service, '/readyz');
    browser = await launchChromium();
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
    await page.waitForSelector('#sign-in:not([hidden])');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await checkPhoneWidth(page, 'signed-out');

    await page.fill('#token', 'wdk_wrong_token_000000000000000000');
    await page.click('#sign-in-form button');
    await expect.poll(() => page.textContent('#sign-in-error')).toContain('refused');

    errors.length = 0; // the refused sign-in logged its 401
    await page.fill('#token', ADMIN);
    await page.click('#sign-in-form button');
    await page.waitForSelector('#desk:not([hidden])');

    // The chat is a panel opened from the header.
    await page.click('#chat-toggle');
    await page.fill('#text', 'provision customer "Foxtrot Dental" country GB');
    await page.click('#chat-form button');
    const card = page.locator('.msg.bot .ac-adaptiveCard').last();
    await card.waitFor();
    // The renderer marks a required input itself: one "*", never "Customer name * *".
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the text as the person sees it
    const labels = await card.innerText();
    expect(labels).toMatch(/Customer name\s*\*/);
    expect(labels).not.toMatch(/\*\s*\*/);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(1);
    // A problem the server finds comes back in the same card, under its input, not as a second card.
    await card.getByLabel('Customer admin email').fill('not-an-email');
    await card.getByLabel('Street address').fill('5 Harley Street');
    await card.getByLabel('City').fill('London');
    await card.getByRole('checkbox', { name: 'Webex Meetings' }).check();
    const botMessages = await page.locator('.msg.bot').count();
    await card.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => page.locator('.msg.bot').count(), { timeout: 15_000 }).toBe(botMessages + 1);
    // biome-ignore lint/performance/useDomNodeTextContent: as above
    expect(await page.locator('.msg.bot').last().innerText()).toContain("give the customer admin's email");
    expect(await card.getByLabel('Customer admin email').inputValue()).toBe('not-an-email');
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(1);
    await card.getByLabel('Customer admin email').fill('it@foxtrot.example');
    await card.getByLabel('Postal code').fill('W1G 9QY');
    await card.getByRole('button', { name: 'Submit' }).click();

    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the text as the person sees it
    await expect.poll(() => page.locator('.msg.bot').last().innerText(), { timeout: 15_000 }).toContain('Accepted Foxtrot Dental');
    // biome-ignore lint/performance/useDomNodeTextContent: as above
    await expect.poll(() => page.locator('#recent-customers tbody').innerText(), { timeout: 15_000 }).toContain('Foxtrot Dental');
    expect(await page.locator('.msg.bot strong', { hasText: 'Foxtrot Dental' }).count()).toBeGreaterThan(0);
    // An attached file is named beside an icon drawn in SVG: the 📎 emoji was a box without an emoji font.
    await page.fill('#text', 'import users');
    await page.setInputFiles('#file', {
      name: 'users.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'email,customer,package,first_name,last_name,extension\nzed@foxtrot.example,foxtrot-dental,webex_meetings,Zed,Ray,\n',
      ),
    });
    await page.click('#chat-form button');
    await page.locator('.msg.me .attached svg').waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: as above
    expect(await page.locator('.msg.me').last().innerText()).toContain('users.csv');
    expect(await page.locator('body').textContent()).not.toContain('📎');

    // The dashboard links the customer to its page, and reads as a person reads it.
    expect(await page.locator('#recent-customers a', { hasText: 'Foxtrot Dental' }).getAttribute('href')).toMatch(/^#\/customers\/[\w-]+$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await checkPhoneWidth(page, 'dashboard');
    expect(errors).toEqual([]);
  });
});
