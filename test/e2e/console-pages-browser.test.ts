import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { scopesOfStaffRole } from '../../src/domain/staff-roles.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createApiToken } from '../../src/use-cases/operator-admin.js';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { AXE_SOURCE, launchChromium, missingBrowser, watchFocusWhenShown } from '../support/browser.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { toActingPartner } from '../../src/use-cases/partner-views.js';

/** Screenshots of every page at both widths: gitignored (test/artifacts), kept by CI as artefacts. */
const SCREENSHOTS = join('test', 'artifacts', 'screenshots');
const START = '2026-11-02T08:00:00Z';
const POLL = { timeout: 30_000, interval: 100 };
const WIDTHS = [1440, 390] as const;
const TOKEN_NAME = 'Billing robot';

/**
 * Evaluated in the page (this project's TypeScript has no DOM types). What breaks a phone's layout:
 * the page scrolling sideways, and any table cell of the page that cannot be seen without it (hidden
 * by a clipping wrapper, or past the right edge).
 */
const LAYOUT_PROBLEMS = `(() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.scrollingElement.scrollWidth > width) problems.push('the page scrolls sideways: ' + document.scrollingElement.scrollWidth + ' > ' + width);
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (cell.closest('[hidden]') || cell.closest('.visually-hidden') || !cell.textContent.trim()) continue;
    // A header row hidden for screen readers only (a phone's cards name each cell instead) is not out of reach.
    const head = cell.closest('thead');
    if (head && getComputedStyle(head).position === 'absolute') continue;
    const r = cell.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    let clipped = false;
    for (let el = cell.parentElement; el && el !== document.body; el = el.parentElement) {
      const box = el.getBoundingClientRect();
      if (getComputedStyle(el).overflowX !== 'visible' && (r.left < box.left - 1 || r.right > box.right + 1)) clipped = true;
    }
    if (clipped || r.right > width + 1 || r.left < -1)
      problems.push('cell out of reach: "' + cell.textContent.trim().slice(0, 40) + '" at ' + Math.round(r.left) + '–' + Math.round(r.right));
    if (problems.length > 8) break;
  }
  return problems;
})()`;

/**
 * Every page of the console in Chromium at 390 and 1440 px: axe (no serious or critical finding), no
 * sideways scroll, every table cell reachable on a phone, screenshots, and not one browser console
 * warning or error. Served in-process (both databases) in upstream mode against the fake Webex, signed
 * in with a named API token: the audit log names it, and a customer Webex could not provision is
 * retried from its page.
 */
describe.runIf(missingBrowser === undefined)(`every console page in a browser on ${testDbKind()}`, () => {
  let fake: FakeWebexWholesale;
  let h: TestHarness;
  let server: Server;
  let base: string;
  let browser: Browser;
  let robot: string;
  const ids: Record<string, string> = {};

  async function runWorkerUntil(done: () => Promise<boolean>, rounds = 60) {
    for (let i = 0; i < rounds; i++) {
      await h.worker.drain();
      if (await done()) return;
      h.clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('never settled');
  }
  const customerStatus = async (id: string) => (await (await h.call('GET', `/v1/wholesale/customers/${id}`)).json()).status;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    fake = await startFakeWebexWholesale({ settleMs: 0 });
    server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: (req) => h.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    h = await createTestHarness({
      start: START,
      env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: 'fake-wholesale-partner-admin-token-0001', PUBLIC_URL: base },
    });
    const root = toActingPartner(await h.db.selectFrom('partners').selectAll().where('id', '=', h.partnerId).executeTakeFirstOrThrow());
    const t = await createApiToken(
      h.db,
      root,
      { name: TOKEN_NAME, scopes: scopesOfStaffRole('admin', { isRoot: true }) },
      { now: h.clock.now(), ids: nodeIds },
    );
    if (!t.ok) throw new Error('token not created');
    robot = t.value.token;
    const as = { token: robot };
    const templateId = await defaultTemplateId(h);

    // Customers and users made by the named token over a week: the audit log fills, the chart has days.
    for (const [key, name] of [
      ['alder', 'Alder Dental Group'],
      ['birch', 'Birch Legal'],
      ['cedar', 'Cedar Clinics'],
      ['dune', 'Dune Logistics'],
    ] as const) {
      const res = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, { externalId: `crm-${key}`, customerInfo: { name, primaryEmail: `it@${key}.example`, language: 'en' } }),
        as,
      );
      expect(res.status).toBe(202);
      ids[key] = (await (await h.call('GET', new URL(res.headers.get('location')!).pathname)).json()).id;
    }
    await runWorkerUntil(async () => (await Promise.all(Object.values(ids).map(customerStatus))).every((s) => s === 'provisioned'));
    for (let day = 0; day < 6; day++) {
      for (const key of ['alder', 'birch']) {
        const res = await h.call(
          'POST',
          '/v1/wholesale/subscribers',
          {
            customerId: ids[key],
            email: `user${day}@${key}.example`,
            packages: [day % 2 ? 'webex_meetings' : 'webex_calling'],
            provisioningParameters: { firstName: 'User', lastName: `Number ${day}`, extension: String(2000 + day) },
          },
          as,
        );
        expect(res.status, await res.clone().text()).toBe(200);
      }
      await runWorkerUntil(async () => true, 1);
      h.clock.advance(86_400_000);
    }
    const month = h.clock.now().toISOString().slice(0, 7);
    const price = await h.call(
      'PUT',
      '/v1/billing/price-book',
      {
        effectiveFrom: `${month}-01`,
        currency: 'USD',
        items: [
          { package: 'webex_calling', monthlyPrice: 1500 },
          { package: 'webex_meetings', monthlyPrice: 900 },
        ],
      },
      as,
    );
    expect(price.status).toBe(200);

    // Webex stops answering while a customer is provisioned: its task fails after its attempts.
    fake.startOutage();
    const failing = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, {
        externalId: 'crm-echo',
        customerInfo: { name: 'Echo Dental', primaryEmail: 'it@echo.example', language: 'en' },
      }),
      as,
    );
    expect(failing.status).toBe(202);
    ids.echo = (await (await h.call('GET', new URL(failing.headers.get('location')!).pathname)).json()).id;
    await runWorkerUntil(async () => (await customerStatus(ids.echo!)) === 'error');
    fake.restore();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await h?.close();
    await fake?.close();
  });

  /** Signed in with the named token; every console message of the kinds warning and error is kept. */
  async function signIn(): Promise<{ page: Page; messages: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    await context.clock.setFixedTime(h.clock.now());
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && messages.push(`${m.type()}: ${m.text()}`));
    await page.goto(base);
    await page.fill('#token', robot);
    await page.click('#sign-in-form button');
    await page.waitForSelector('#desk:not([hidden])');
    await page.waitForSelector('#pages-nav a');
    return { page, messages };
  }

  async function axeFindings(page: Page): Promise<string[]> {
    if (!(await page.evaluate<boolean>(`'axe' in window`))) await page.evaluate(AXE_SOURCE);
    return page.evaluate<string[]>(`axe.run().then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  }

  const settled = (page: Page) =>
    expect
      .poll(
        () =>
          page.evaluate<boolean>(
            `(() => { const p = document.getElementById('page'); return p.hidden || !p.textContent.includes('Loading…'); })()`,
          ),
        POLL,
      )
      .toBe(true);

  /** At both widths: axe, nothing out of reach, a screenshot; back at 1440 px after. */
  async function checkBothWidths(page: Page, name: string) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 1000 });
      expect(await axeFindings(page), `${name} at ${width} px`).toEqual([]);
      expect(await page.evaluate<string[]>(LAYOUT_PROBLEMS), `${name} at ${width} px`).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 1000 });
  }

  it('walks every page in the navigation and a customer page at 390 and 1440 px without a finding or a console warning', async () => {
    const { page, messages } = await signIn();
    const links = await page.$$eval('#pages-nav a', (as) =>
      as.map((a) => ({ href: a.getAttribute('href')!, text: a.textContent!.trim() })),
    );
    expect(links.map((l) => l.text)).toEqual(expect.arrayContaining(['Dashboard', 'Customers', 'Billing', 'Upstream', 'Audit log']));
    for (const link of links) {
      await page.click(`#pages-nav a[href="${link.href}"]`);
      if (link.href === '#/') await page.waitForSelector('#dashboard:not([hidden])');
      else await page.waitForSelector('#page:not([hidden]) h2');
      await settled(page);
      await checkBothWidths(page, `page-${link.href.replace(/[^a-z0-9]+/gi, '') || 'dashboard'}`);
    }
    await page.evaluate(`location.hash = '#/customers/${encodeURIComponent(ids.alder!)}'`);
    await page.getByRole('heading', { name: /Alder Dental Group/ }).waitFor();
    await checkBothWidths(page, 'page-customer');
    expect(messages).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('shows the audit log as a readable table naming the token, the customers and people, with the full id on demand', async () => {
    const { page, messages } = await signIn();
    await page.click('#pages-nav a[href="#/audit"]');
    await page.locator('.audit-table tbody tr').first().waitFor();
    const rows = page.locator('.audit-table tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(33);
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the text as a person sees it
    const text = await page.locator('.audit-table').innerText();
    expect(text).toContain(TOKEN_NAME);
    expect(text).toContain('Alder Dental Group');
    expect(text).not.toMatch(/token:[0-9a-f-]{8}/);

    // 33 entries at 1440 px fit in well under 1,200 px (the page, not the table alone).
    const height = await page.evaluate<number>(`(() => {
      for (const tr of [...document.querySelectorAll('.audit-table tbody tr')].slice(33)) tr.remove();
      return document.scrollingElement.scrollHeight;
    })()`);
    console.info(`audit log with 33 entries at 1440 px: ${height} px tall`);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-33-entries-1440.png'), fullPage: true });
    expect(height).toBeLessThan(1200);

    // The full id of an entry's subject, on demand.
    await page.reload();
    await page.waitForSelector('.audit-table tbody tr');
    const details = page
      .locator('.audit-table tbody tr')
      .filter({ has: page.getByRole('link', { name: 'Alder Dental Group', exact: true }) })
      .first()
      .locator('details.audit-id');
    await details.locator('summary').click();
    await expect.poll(() => details.textContent()).toContain(ids.alder!);
    await checkBothWidths(page, 'audit-ids-open');

    // Choosing the token keeps only what it did; the filter is its name's entries.
    await page
      .getByRole('button', { name: `Only entries by ${TOKEN_NAME}` })
      .first()
      .click();
    await expect.poll(() => page.locator('#audit-actor').inputValue()).toMatch(/^token:/);
    await expect
      .poll(async () => [...new Set(await page.locator('.audit-table tbody tr .audit-actor-name').allInnerTexts())], POLL)
      .toEqual([TOKEN_NAME]);
    expect(messages).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('draws the licences of ended days and marks today as so far; a failed customer is retried from its page', async () => {
    const { page, messages } = await signIn();
    await page.evaluate(`location.hash = '#/customers/${encodeURIComponent(ids.alder!)}'`);
    await page.locator('.cust-chart svg').waitFor();
    const chart = await page.locator('.cust-chart').textContent();
    expect(chart).toMatch(/today so far/i);
    // The line stops at yesterday: 30 ended days.
    const points = await page.locator('.cust-chart polyline').first().getAttribute('points');
    expect(points!.trim().split(/\s+/)).toHaveLength(29);

    // Echo's provisioning failed while Webex was down; the admin retries it from the customer's page.
    await page.evaluate(`location.hash = '#/customers/${encodeURIComponent(ids.echo!)}'`);
    await page.locator('#retry-customer').waitFor();
    expect(await page.textContent('.page')).toMatch(/no usable answer/);
    await checkBothWidths(page, 'customer-failed');
    await page.locator('#retry-customer').click();
    await expect.poll(() => page.textContent('.cust-notice'), POLL).toContain('Retrying 1 task');
    await runWorkerUntil(async () => (await customerStatus(ids.echo!)) === 'provisioned');
    await page.reload();
    await page.waitForSelector('#desk:not([hidden])');
    await expect.poll(() => page.textContent('.page h2'), POLL).toContain('provisioned');
    await checkBothWidths(page, 'customer-retried');
    expect(messages).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('opens and closes the chat as a panel, remembers it, and renders the replies without raw ids or stray markdown', async () => {
    const { page, messages } = await signIn();
    const chat = page.locator('#chat-panel');
    // Closed at first: the pages take the full width.
    expect(await chat.isHidden()).toBe(true);
    // Opening it puts the cursor in its box as it shows: typing straight away goes there.
    const focusedOnOpen = await watchFocusWhenShown(page, '#chat-panel:not([hidden])');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await chat.waitFor();
    expect(await focusedOnOpen()).toBe('#text');
    expect(await page.evaluate<string | null>(`localStorage.getItem('wd-chat-open')`)).toBe('true');
    await page.reload();
    await page.waitForSelector('#desk:not([hidden])');
    await chat.waitFor();
    await page.fill('#text', 'invoice crm-alder this month');
    await page.click('#chat-form button[type="submit"]');
    const invoice = page.locator('.msg.bot', { hasText: 'Invoice Alder Dental Group' });
    await invoice.waitFor(POLL);
    // biome-ignore lint/performance/useDomNodeTextContent: as above
    const reply = await invoice.innerText();
    expect(reply).toContain('Webex Calling');
    expect(reply).not.toContain('webex_calling');
    // A card with markdown in it renders without the renderer's warning.
    await page.fill('#text', 'provision customer');
    await page.click('#chat-form button[type="submit"]');
    await page.locator('.msg.bot .ac-adaptiveCard').last().waitFor();
    await checkBothWidths(page, 'chat-open');
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    expect(await chat.isHidden()).toBe(true);
    expect(await page.evaluate<string | null>(`localStorage.getItem('wd-chat-open')`)).toBe('false');
    expect(messages).toEqual([]);
    await page.context().close();
  }, 120_000);
});
