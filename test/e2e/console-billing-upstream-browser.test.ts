import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXE_SOURCE, launchChromium, missingBrowser } from '../support/browser.js';
import { scopesOfStaffRole } from '../../src/domain/staff-roles.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createApiToken } from '../../src/use-cases/operator-admin.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { syncAndWait } from '../support/upstream-sync-run.js';
import { runsOnceAcrossDatabases, testDbKind } from '../support/test-db.js';
import { toActingPartner } from '../../src/use-cases/partner-views.js';

/** The pages follow background work with pauses of a second: polls wait as long as a user would. */
const POLL = { timeout: 30_000, interval: 100 };
const ARTIFACTS = join('test', 'artifacts');
/** The first sync imports Webex's customers at this instant; the billing part looks at them five days later (browser and desk alike). */
const IMPORTED_AT = '2026-11-15T09:00:00Z';
const BILLING_AT = '2026-11-20T10:00:00Z';
/** November has ended: its invoices can be issued. */
const ISSUED_AT = '2026-12-01T07:00:00Z';
/** Evaluated in the page (as text: this project's TypeScript has no DOM types): what sticks out sideways, outside a scrolling table. */
const WIDER_THAN_THE_WINDOW = `document.documentElement.scrollWidth <= window.innerWidth ? [] :
  [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className)
    .slice(0, 8)`;

/**
 * The Billing and Upstream pages in Chromium, as an admin token and a viewer token, against the app
 * served in-process in upstream mode (the fake Webex Wholesale on loopback): sync, adopt a drift item,
 * price book, a billing report and its download, an invoice, a reconciliation upload, issuing a month
 * and the issued invoice's PDF and CSV. axe at 1440 and
 * 390 px; any console error fails.
 */
describe.runIf(runsOnceAcrossDatabases() && missingBrowser === undefined)(`console Billing and Upstream pages on ${testDbKind()}`, () => {
  let fake: FakeWebexWholesale;
  let h: TestHarness;
  let server: Server;
  let base: string;
  let browser: Browser;
  let viewer: string;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    fake = await startFakeWebexWholesale({ settleMs: 10 });
    const acme = fake.seedCustomer({ externalId: 'crm-acme' });
    fake.seedSubscriber(acme, { email: 'ann@acme.example' });
    // Served before the harness exists, so the harness's PUBLIC_URL (download links) can name the port.
    server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: (req) => h.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    h = await createTestHarness({
      start: IMPORTED_AT,
      env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: 'fake-wholesale-partner-admin-token-0001', PUBLIC_URL: base },
    });
    const root = toActingPartner(await h.db.selectFrom('partners').selectAll().where('id', '=', h.partnerId).executeTakeFirstOrThrow());
    const t = await createApiToken(
      h.db,
      root,
      { name: 'viewer', scopes: scopesOfStaffRole('viewer', { isRoot: true }) },
      { now: h.clock.now(), ids: nodeIds },
    );
    if (!t.ok) throw new Error('viewer token not created');
    viewer = t.value.token;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await h?.close();
    await fake?.close();
  });

  async function signIn(token: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    await context.clock.setFixedTime(BILLING_AT);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(base);
    await page.fill('#token', token);
    await page.click('#sign-in-form button');
    await page.waitForSelector('#desk:not([hidden])');
    return { page, errors };
  }

  /** axe at both widths, a screenshot of each, and no sideways scroll on a phone. */
  async function check(page: Page, name: string) {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 1000 });
      // Evaluated, not added as a <script>: the console's CSP (script-src 'self') stays on and would refuse one.
      await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate<{ violations: { id: string; impact: string }[] }>('axe.run()');
      expect(
        result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
        `${name} at ${width}px`,
      ).toEqual([]);
      const wide = await page.evaluate<string[]>(WIDER_THAN_THE_WINDOW);
      expect(wide, `${name} scrolls sideways at ${width}px`).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 1000 });
  }

  it('an admin syncs, adopts drift, edits the price book, makes a report, reads an invoice and reconciles', async () => {
    const { page, errors } = await signIn(ADMIN_TOKEN);

    // Upstream: the first sync imports Acme; a customer added in Webex afterwards is drift, adopted after a confirm step.
    await page.click('#pages-nav a[data-path="upstream"]');
    await page.getByRole('heading', { name: 'Connection to Webex' }).waitFor();
    await expect.poll(() => page.textContent('.page'), POLL).toContain('Never synced');
    // The sync runs in the background on the task queue: the page follows the run while the worker runs it.
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(async () => {
        await h.worker.drain();
        return page.textContent('.page');
      }, POLL)
      .toContain('first sync: import');
    fake.seedCustomer({ externalId: 'crm-bravo' });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect
      .poll(async () => {
        await h.worker.drain();
        return (await page.locator('#drift-table', { hasText: 'crm-bravo' }).count()) > 0;
      }, POLL)
      .toBe(true);
    await page.getByRole('button', { name: /^Adopt/ }).click();
    expect(await page.textContent('.confirm')).toContain('The desk takes over crm-bravo');
    await check(page, 'upstream-admin');
    await page.getByRole('button', { name: 'Yes, adopt' }).click();
    await expect.poll(() => page.textContent('.page'), POLL).toContain('No open differences');

    h.clock.set(BILLING_AT);
    // Billing: a price version, saved only after the confirm step.
    await page.click('#pages-nav a[data-path="billing"]');
    await page.getByRole('button', { name: 'New price version' }).click();
    await page.getByLabel('Monthly price of Webex Calling').fill('15');
    await page.getByRole('button', { name: 'Review' }).click();
    expect(await page.textContent('.confirm')).toContain('will be charged at these prices');
    await page.getByRole('button', { name: 'Yes, save the prices' }).click();
    await page.locator('.price-version', { hasText: '15.00 USD' }).waitFor();

    // A USER report for last month-to-yesterday; the worker makes it, the page finds its link.
    await page.getByLabel('Type').selectOption('USER');
    await page.getByRole('button', { name: 'Create report' }).click();
    await page.locator('#billing-reports-table').waitFor();
    await h.worker.drain();
    const link = page.locator('#billing-reports-table a[download]');
    await link.waitFor({ timeout: 15_000 });
    const report = await (await fetch((await link.getAttribute('href'))!)).text();
    expect(report.split('\n')[0]).toContain('SUBSCRIBER_ID');

    // The invoice of this month so far is provisional, and downloads as CSV.
    await page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Customer crm-acme (crm-acme)' });
    await page.getByRole('button', { name: 'Show invoice' }).click();
    await page.locator('.provisional', { hasText: 'counted through 2026-11-19' }).waitFor();
    // Ann's Webex Calling since the import, 15 Nov 09:00, priced at 15.00 a month: the ÷ 30 days is shown.
    expect(await page.textContent('#invoice-lines')).toMatch(/Webex Calling.*4\.625 licence-days ÷ 30 days ≈ 0\.1542 × 15\.00 = 2\.31 USD/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    expect((await download).suggestedFilename()).toBe('invoice-crm-acme-2026-11.csv');

    // Cisco's report (here the desk's own) uploaded for the same period.
    await page.setInputFiles('#reconciliation-file', { name: 'cisco.csv', mimeType: 'text/csv', buffer: Buffer.from(report) });
    await page.getByRole('button', { name: 'Reconcile' }).click();
    await page.locator('#reconciliation-detail').waitFor();
    // In upstream mode the desk's side is keyed by Webex's subscriber ids (as Cisco's file is) and the desk's own
    // report names the desk's ids: per package the two agree, line by line they differ, which shows the differences.
    const detail = await page.textContent('#reconciliation-detail');
    expect(detail).toMatch(/Webex Calling4\.6254\.6250/);
    const differences = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the differences (CSV)' }).click();
    expect((await differences).suggestedFilename()).toBe('reconciliation-2026-11-01_2026-11-19-differences.csv');
    await page.locator('#reconciliations-table').waitFor();

    // Issued invoices: once November has ended, the admin issues it after a confirm step and downloads its PDF and CSV.
    h.clock.set(ISSUED_AT);
    await page.context().clock.setFixedTime(ISSUED_AT);
    expect(await page.textContent('#billing-issued')).toContain('No invoices issued yet.');
    await page.getByLabel('Month to issue').fill('2026-11');
    await page.getByRole('button', { name: 'Issue invoices for 2026-11' }).click();
    expect(await page.textContent('#billing-issued .confirm')).toContain('Issue the invoices for 2026-11?');
    await page.getByRole('button', { name: 'Yes, issue them' }).click();
    await page.locator('#issued-invoices-table', { hasText: 'WD-2026-000001' }).waitFor();
    expect(await page.textContent('#billing-issued .notice')).toBe('Issued 1 invoice for 2026-11 (WD-2026-000001).');
    // Ann's Webex Calling from 15 Nov 09:00 to the month's end at 15.00: 15.625 licence-days ÷ 30 × 15.00.
    expect(await page.textContent('#issued-invoices-table')).toMatch(/WD-2026-000001Customer crm-acme.*2026-117\.81 USD/);
    const pdf = page.waitForEvent('download');
    await page.getByRole('button', { name: 'PDF of invoice WD-2026-000001', exact: true }).click();
    const pdfFile = await pdf;
    expect(pdfFile.suggestedFilename()).toBe('invoice-WD-2026-000001.pdf');
    expect(
      readFileSync(await pdfFile.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV of invoice WD-2026-000001', exact: true }).click();
    const csvFile = await csv;
    expect(csvFile.suggestedFilename()).toBe('invoice-WD-2026-000001.csv');
    expect(readFileSync(await csvFile.path(), 'utf8')).toContain('WD-2026-000001');
    // The invoice view of an issued month shows the issued figures and offers the PDF.
    await page.getByRole('button', { name: 'Show invoice' }).click();
    await page.locator('.invoice', { hasText: 'Issued as WD-2026-000001' }).waitFor();
    const issuedPdf = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the PDF of invoice WD-2026-000001' }).click();
    expect((await issuedPdf).suggestedFilename()).toBe('invoice-WD-2026-000001.pdf');
    await page.getByLabel('Invoices for').fill('2026-10');
    await expect.poll(() => page.textContent('#billing-issued'), POLL).toContain('No invoices issued for 2026-10.');
    await page.getByRole('button', { name: 'Every month' }).click();
    await page.locator('#issued-invoices-table').waitFor();
    await check(page, 'billing-admin');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('a viewer sees both pages without any write control', async () => {
    fake.seedCustomer({ externalId: 'crm-charlie' });
    await syncAndWait(h);
    const { page, errors } = await signIn(viewer);
    await page.click('#pages-nav a[data-path="billing"]');
    await page.locator('.price-version').first().waitFor();
    await page.locator('#reconciliations-table').waitFor();
    await page.locator('#billing-reports-table').waitFor();
    await page.locator('#issued-invoices-table', { hasText: 'WD-2026-000001' }).waitFor();
    for (const name of ['New price version', 'Create report', 'Reconcile', 'Issue invoices'])
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    expect(await page.textContent('.page')).toContain('Only administrators change it');
    await check(page, 'billing-viewer');

    await page.click('#pages-nav a[data-path="upstream"]');
    await page.locator('#last-sync').waitFor();
    await page.locator('#drift-table', { hasText: 'crm-charlie' }).waitFor();
    for (const name of [/Sync now/, /^Adopt/, /^Push/]) expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
    await check(page, 'upstream-viewer');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('an admin sees Webex refusing the token in words, and retries the held work from a customer page and the Upstream page', async () => {
    fake.revokeToken();
    const ids: string[] = [];
    for (const externalId of ['crm-held-a', 'crm-held-b']) {
      const res = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(await defaultTemplateId(h), {
          externalId,
          customerInfo: { name: `Held ${externalId.slice(-1).toUpperCase()}`, primaryEmail: `it@${externalId}.example` },
        }),
      );
      expect(res.status).toBe(202);
      ids.push((await (await h.call('GET', new URL(res.headers.get('location')!).pathname)).json()).id);
    }
    await h.worker.drain();
    const { page, errors } = await signIn(ADMIN_TOKEN);

    // The customer page names the cause and offers the retry.
    await page.evaluate(`location.hash = '#/customers/${encodeURIComponent(ids[0]!)}'`);
    await page.locator('#retry-customer').waitFor();
    expect(await page.textContent('.page')).toContain('The Webex token was refused (401)');
    await check(page, 'customer-held');
    fake.restore();
    await page.locator('#retry-customer').click();
    await expect.poll(() => page.textContent('.cust-notice'), POLL).toContain('Retrying 1 task');

    // The Upstream page says the state in words and lists what is held; one button retries the rest.
    await page.click('#pages-nav a[data-path="upstream"]');
    await page.locator('#tasks-table', { hasText: 'customer.provision' }).waitFor();
    expect(await page.textContent('#upstream-state')).toContain('Token refused');
    expect(await page.textContent('#upstream-state')).toContain('set WEBEX_WHOLESALE_TOKEN');
    expect(await page.textContent('#upstream-last-error')).toContain('HTTP 401');
    await check(page, 'upstream-held');
    await page.locator('#retry-all').click();
    await expect.poll(() => page.textContent('.page'), POLL).toContain('Nothing is held or failed');
    for (let i = 0; i < 50; i++) {
      await h.worker.drain();
      const statuses = await Promise.all(
        ids.map(async (id) => (await (await h.call('GET', `/v1/wholesale/customers/${id}`)).json()).status),
      );
      if (statuses.every((st) => st === 'provisioned')) break;
      h.clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const id of ids) expect((await (await h.call('GET', `/v1/wholesale/customers/${id}`)).json()).status).toBe('provisioned');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
