import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXE_SOURCE, launchChromium, missingBrowser } from '../support/browser.js';
import { killLeftoverServices, spawnService, waitForStatus, type SpawnedService } from '../support/spawn-service.js';
import { runsOnceAcrossDatabases, testDbKind } from '../support/test-db.js';

const ADMIN = 'wdk_browser_admin_token_0123456789abcdef';

if (missingBrowser) console.warn(`skipping the Staff & tokens browser test: ${missingBrowser}`);

async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate<string[]>(`axe.run().then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

/** The console's Staff & tokens page as an admin uses it, on a service on PGlite. */
describe.skipIf(missingBrowser !== undefined || !runsOnceAcrossDatabases())(`console Staff & tokens page on ${testDbKind()}`, () => {
  let dir: string;
  let service: SpawnedService;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-access-browser-'));
    service = spawnService({ DATA_DIR: join(dir, 'data'), ADMIN_API_TOKEN: ADMIN });
    await waitForStatus(service, '/readyz');
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await killLeftoverServices();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('adds a staff member, creates a token shown once that works on the API, and revokes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(service.url);
    await page.fill('#token', ADMIN);
    await page.click('#sign-in-form button');
    await page.waitForSelector('#desk:not([hidden])');
    await page.click('a[data-path="access"]');
    await page.waitForSelector('#staff-h');

    await page.getByLabel('Email').fill('Gina@Partner.example');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Add or change' }).click();
    await expect.poll(() => page.locator('#staff-table').textContent()).toContain('gina@partner.example');

    await page.getByLabel('Name', { exact: true }).fill('crm');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => page.locator('section[aria-labelledby=tokens-h] .error').textContent()).toContain('Choose at least one scope');
    await page.getByLabel('spark-admin:wholesale_customers_read').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.locator('#new-token code').textContent({ timeout: 30_000 }))!;
    expect(token).toMatch(/^wdk_/);
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${service.url}/v1/wholesale/customers`, { headers: auth })).status).toBe(200);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1440, height: 1000 });

    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.locator('#new-token').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke crm' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => page.locator('#tokens-table').textContent()).toMatch(/crm.*revoked/);
    expect((await fetch(`${service.url}/v1/wholesale/customers`, { headers: auth })).status).toBe(401);
    expect(await page.content()).not.toContain(token);
    expect(errors).toEqual([]);
  }, 180_000);
});
