import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXE_SOURCE, launchChromium, missingBrowser, watchFocusWhenShown } from '../support/browser.js';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { customerBody } from '../support/api-fixtures.js';
import { killLeftoverServices, spawnService, waitForStatus, waitUntil, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { createUseCases } from '../../src/use-cases/use-cases.js';

const ADMIN = 'wdk_customers_browser_admin_0123456789abcdef';

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's strict CSP does not govern (a script tag would be refused).
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const r = await (
      globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
    ).axe.run();
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

/** Checks a page at a width: axe, no sideways scroll, a screenshot. */
async function checkAt(page: Page, width: number, name: string) {
  await page.setViewportSize({ width, height: 900 });
  expect(await seriousViolations(page), `${name} at ${width}px`).toEqual([]);
  expect(
    await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    ),
    `${name} scrolls sideways at ${width}px`,
  ).toBeLessThanOrEqual(width);
  await page.screenshot({ path: join('test', 'artifacts', `console-${name}-${width}.png`), fullPage: true });
}

// The viewer's token is written straight into the service's database while it runs, which PostgreSQL
// allows (a PGlite directory belongs to one process): the walk runs on PostgreSQL.
describe.runIf(!missingBrowser && testDbKind() === 'postgres')(`the Customers and Customer pages in a browser on ${testDbKind()}`, () => {
  let testDb: TestDatabase;
  let service: SpawnedService;
  let browser: Browser;
  let viewerToken: string;
  const apiCall = async (method: string, path: string, body?: unknown, token = ADMIN) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    service = spawnService({ DATABASE_URL: testDb.url!, ADMIN_API_TOKEN: ADMIN });
    await waitForStatus(service, '/readyz');
    const templates = await (await apiCall('GET', '/v1/wholesale/onboardingTemplates')).json();
    const provisioningId = templates.items[0].provisioningId as string;
    for (const [externalId, name] of [
      ['crm-juliet', 'Juliet Legal'],
      ['crm-kilo', 'Kilo Dental'],
    ]) {
      const res = await apiCall(
        'POST',
        '/v1/wholesale/customers',
        customerBody(provisioningId, { externalId, customerInfo: { name, primaryEmail: `it@${externalId}.example` } }),
      );
      expect(res.status).toBe(202);
    }
    await waitUntil(
      service,
      'both customers provisioned',
      async () => (await (await apiCall('GET', '/v1/wholesale/customers?status=provisioned')).json()).items.length === 2,
    );
    const month = new Date().toISOString().slice(0, 7);
    const price = await apiCall('PUT', '/v1/billing/price-book', {
      effectiveFrom: `${month}-01`,
      currency: 'USD',
      items: [
        { package: 'webex_calling', monthlyPrice: 1500 },
        { package: 'webex_meetings', monthlyPrice: 900 },
      ],
    });
    expect(price.status).toBe(200);
    const handle = await testDb.open({ migrate: false });
    const made = await runCliCommand(
      createUseCases({ db: handle.db }),
      ['token', 'create'],
      {
        name: 'viewer',
        scopes: 'spark-admin:wholesale_customers_read,spark-admin:wholesale_subscribers_read,spark-admin:wholesale_billing_reports_read',
      },
      { clock: { now: () => new Date() }, ids: nodeIds },
    );
    await handle.db.destroy();
    viewerToken = /wdk_[\w-]+/.exec(made.output)![0];
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    service?.child.kill('SIGTERM');
    await service?.exited;
    await killLeftoverServices();
    await testDb?.dispose();
  });

  async function signIn(token: string) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(service.url);
    await page.fill('#token', token);
    await page.click('#sign-in-form button');
    await page.waitForSelector('#desk:not([hidden])');
    return { page, errors };
  }

  it('searches a customer, opens it, adds a user who starts billing, downloads the invoice to date, and changes and removes a user after confirming', async () => {
    const { page, errors } = await signIn(ADMIN);
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('heading', { name: 'Customers', exact: true }).waitFor();
    await expect.poll(() => page.locator('.cust-table tbody tr').count()).toBe(2);
    await checkAt(page, 1440, 'customers');
    await checkAt(page, 390, 'customers');
    await page.setViewportSize({ width: 1440, height: 900 });

    // The Name header sorts the other way when pressed again (the table starts sorted by name).
    await page.getByRole('button', { name: 'Name', exact: true }).click();
    await expect.poll(() => page.locator('.cust-table tbody tr').first().textContent()).toContain('Kilo Dental');
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Name');
    await page.getByLabel('Search').fill('juliet');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('.cust-table tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Juliet Legal' }).click();
    await page.getByRole('heading', { name: /Juliet Legal/ }).waitFor();
    await expect.poll(() => page.locator('.cust-billing-now').textContent()).toContain('Nothing is billing now');

    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('Email', { exact: true }).fill('lee@juliet.example');
    await page.getByLabel('First name').fill('Lee');
    await page.getByLabel('Last name').fill('Park');
    await page.getByLabel('Package', { exact: true }).selectOption('webex_calling');
    await page.getByLabel('Extension (optional)').fill('2001');
    const focusedOnConfirm = await watchFocusWhenShown(page, '.cust-confirm');
    await page.getByRole('button', { name: 'Add user…' }).click();
    // The confirm step says what happens to billing before anything is sent, and its yes has focus as it shows.
    await expect.poll(() => page.locator('.cust-confirm').textContent()).toContain('Billing for Webex Calling starts now');
    expect(await focusedOnConfirm()).toBe('Yes, add the user');
    await page.getByRole('button', { name: 'Yes, add the user' }).click();

    const row = page.locator('.cust-subscribers tbody tr', { hasText: 'lee@juliet.example' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.cust-billing-now').textContent(), { timeout: 15_000 }).toContain('1 × Webex Calling');
    await expect.poll(async () => ((await row.textContent()) ?? '').includes('not billing'), { timeout: 15_000 }).toBe(false);

    // The same user again: the desk refuses before any confirm step, in its own words, with no id in them.
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByLabel('Email', { exact: true }).fill('lee@juliet.example');
    await page.getByLabel('First name').fill('Lee');
    await page.getByLabel('Last name').fill('Again');
    await page.getByRole('button', { name: 'Add user…' }).click();
    const refusal = page.locator('#add-user .error');
    await expect.poll(() => refusal.textContent()).toMatch(/^Cannot add lee@juliet\.example: .*already associated.*Nothing was changed\.$/);
    expect(await page.locator('.cust-confirm').count()).toBe(0);
    expect(await refusal.textContent()).not.toMatch(/[A-Za-z0-9+/=]{24,}|[0-9a-f]{8}-[0-9a-f]{4}/);
    await page.getByRole('button', { name: 'Close the form' }).click();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download invoice to date (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^invoice-crm-juliet-\d{4}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('CUSTOMER_EXTERNAL_ID');
    expect(csv).toContain('crm-juliet');

    // A second user, added through the API, changed and then removed from the page, each after its confirm step.
    const julietId = decodeURIComponent(new URL(page.url()).hash.split('/').at(-1)!);
    const max = await apiCall('POST', '/v1/wholesale/subscribers', {
      customerId: julietId,
      email: 'max@juliet.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Max', lastName: 'Ode', extension: '2002' },
    });
    expect(max.status).toBe(200);
    await page.reload();
    await page.waitForSelector('#desk:not([hidden])');
    await page.getByRole('button', { name: 'Change package of max@juliet.example' }).click();
    await page.getByLabel('New package for max@juliet.example').selectOption('webex_meetings');
    await expect
      .poll(() => page.locator('.cust-confirm').textContent())
      .toContain('Billing changes now: Webex Calling stops and Webex Meetings starts');
    await page.getByRole('button', { name: 'Yes, change the package' }).click();
    const maxRow = page.locator('.cust-subscribers tbody tr', { hasText: 'max@juliet.example' });
    await expect.poll(() => maxRow.textContent(), { timeout: 15_000 }).toContain('Webex Meetings');
    await page.getByRole('button', { name: 'Remove max@juliet.example' }).click();
    await expect.poll(() => page.locator('.cust-confirm').textContent()).toContain('Billing for Webex Meetings stops now');
    await page.getByRole('button', { name: 'Yes, remove the user' }).click();
    await expect.poll(() => maxRow.count(), { timeout: 15_000 }).toBe(0);

    await checkAt(page, 1440, 'customer');
    await checkAt(page, 390, 'customer');
    expect(errors).toEqual([]);
  });

  it('shows a viewer no write action, and the server refuses one sent anyway', async () => {
    const { page, errors } = await signIn(viewerToken);
    await page.goto(`${service.url}/#/customers`);
    await page.getByRole('link', { name: 'Juliet Legal' }).click();
    await page.locator('.cust-subscribers').waitFor();
    expect(await page.getByRole('button', { name: /Add user|Change package|Remove/ }).count()).toBe(0);
    const customers = await (await apiCall('GET', '/v1/console/customers?search=juliet', undefined, viewerToken)).json();
    const refused = await apiCall(
      'POST',
      '/v1/wholesale/subscribers',
      {
        customerId: customers.items[0].id,
        email: 'eve@juliet.example',
        packages: ['webex_calling'],
        provisioningParameters: { firstName: 'Eve', lastName: 'Nope' },
      },
      viewerToken,
    );
    expect(refused.status).toBe(403);
    expect(errors).toEqual([]);
  });
});
