import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXE_SOURCE, launchChromium, missingBrowser, watchFocusWhenShown } from '../support/browser.js';
import { startLocalOidcProvider, type LocalOidcProvider } from '../support/local-oidc-provider.js';
import { customerBody } from '../support/api-fixtures.js';
import { killLeftoverServices, spawnService, waitForStatus, waitUntil, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

/**
 * Run in the page (the test compiles without the DOM's types): elements reaching past the viewport's
 * right edge, outermost first, when the page scrolls sideways. A table clipped by its scrolling
 * .table-wrap does not count; something absolutely positioned that escapes it does.
 */
const OVERFLOWING = `(() => {
  if (document.documentElement.scrollWidth <= window.innerWidth) return [];
  const out = [];
  const seen = [];
  for (const el of document.querySelectorAll('body *')) {
    if (out.length >= 5) break;
    const right = el.getBoundingClientRect().right;
    if (right <= window.innerWidth + 1 || seen.some((s) => s.contains(el))) continue;
    if (el.closest('.table-wrap') && getComputedStyle(el).position !== 'absolute') continue;
    seen.push(el);
    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).replace(/ /g, '.') : '') + ' right=' + Math.round(right));
  }
  return out.length ? out : ['scrollWidth ' + document.documentElement.scrollWidth];
})()`;
const TOKEN = 'wdk_walk_admin_token_0123456789abcdef';
const ARTIFACTS = join('test', 'artifacts');
const PEOPLE = {
  ann: { email: 'ann@partner.example', role: 'admin' },
  olly: { email: 'olly@partner.example', role: 'operator' },
  vic: { email: 'vic@partner.example', role: 'viewer' },
} as const;
type Login = keyof typeof PEOPLE;
/** On the screening list (test/fixtures/screening-list.csv): provisioning it opens a review. */
const LISTED_NAME = 'Orion Maritime Trading, L.L.C.';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Staff rows are written straight into the running service's database, which only PostgreSQL allows:
// the walk runs once, on PostgreSQL.
describe.runIf(!missingBrowser && testDbKind() === 'postgres')(
  'the console walked in a browser by an admin, an operator and a viewer',
  () => {
    let testDb: TestDatabase;
    let service: SpawnedService;
    let idp: LocalOidcProvider;
    let browser: Browser;
    let desk: string;
    let reviewId: string;
    const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${desk}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const port = await freePort();
      desk = `http://127.0.0.1:${port}`;
      idp = await startLocalOidcProvider({ redirectUris: [`${desk}/auth/callback`] });
      for (const [login, p] of Object.entries(PEOPLE)) idp.addPerson(login, { email: p.email, email_verified: true, name: login });
      testDb = await createTestDatabase();
      service = spawnService({
        DATABASE_URL: testDb.url!,
        PORT: String(port),
        PUBLIC_URL: desk,
        ADMIN_API_TOKEN: TOKEN,
        WORKER_POLL_MS: '50',
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
      });
      await waitForStatus(service, '/readyz');
      const client = new pg.Client({ connectionString: testDb.url });
      await client.connect();
      for (const [login, p] of Object.entries(PEOPLE))
        await client.query(`insert into staff (id, partner_id, email, role) select $1, id, $2, $3 from partners where parent_id is null`, [
          `staff-${login}`,
          p.email,
          p.role,
        ]);
      await client.end();

      // A customer whose name is on the screening list waits for a review.
      const list = readFileSync(new URL('../fixtures/screening-list.csv', import.meta.url));
      expect((await api('POST', '/v1/compliance/screening-list', list.toString('utf8'), { 'content-type': 'text/csv' })).status).toBe(201);
      const templates = await (await api('GET', '/v1/wholesale/onboardingTemplates')).json();
      const created = await api(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templates.items[0].provisioningId, {
          externalId: 'walk-orion',
          packages: ['webex_meetings'],
          provisioningParameters: undefined,
          address: { addressLine1: '1 Harbour Road', city: 'Somewhere', country: 'AE' },
          customerInfo: { name: LISTED_NAME, primaryEmail: 'admin@orion.example' },
        }),
      );
      expect(created.status).toBe(202);
      // A provisioned customer the admin finds, opens and adds a user to.
      const juliet = await api(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templates.items[0].provisioningId, {
          externalId: 'walk-juliet',
          customerInfo: { name: 'Juliet Legal', primaryEmail: 'it@juliet.example' },
        }),
      );
      expect(juliet.status).toBe(202);
      await waitUntil(service, 'the customer provisioned', async () =>
        (await (await api('GET', '/v1/wholesale/customers?externalId=walk-juliet')).json()).items.some(
          (c: { status: string }) => c.status === 'provisioned',
        ),
      );
      await waitUntil(service, 'the review opened', async () => {
        const { items } = await (await api('GET', '/v1/compliance/reviews?status=open')).json();
        reviewId = items[0]?.id;
        return Boolean(reviewId);
      });

      browser = await launchChromium();
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      service?.child.kill('SIGTERM');
      await service?.exited;
      await killLeftoverServices();
      await idp?.close();
      await testDb?.dispose();
    });

    /** A fresh browser signed in as the person through the provider's own login and consent pages. */
    async function signIn(login: Login): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => page.url().startsWith(desk) && errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && m.location().url.startsWith(desk) && errors.push(m.text()));
      await page.goto(desk);
      await page.getByRole('link', { name: 'Sign in with your organisation account' }).click();
      await page.locator('input[name="login"]').fill(login);
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForSelector('#desk:not([hidden])');
      await page.waitForSelector('#pages-nav a');
      return { context, page, errors };
    }

    /** Serious and critical axe findings on the page as it is now, one line each. */
    async function axeFindings(page: Page): Promise<string[]> {
      if (!(await page.evaluate<boolean>(`'axe' in window`))) await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate<{ id: string; impact: string; targets: string[] }[]>(
        `axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) })))`,
      );
      return result
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.targets.join(' ')}`);
    }

    /** Polls an expression in the page from here: waitForFunction would need 'unsafe-eval', which the CSP refuses. */
    const waitInPage = (page: Page, expression: string) =>
      expect.poll(() => page.evaluate<boolean>(expression), { timeout: 15_000, interval: 50 }).toBe(true);

    /** Elements reaching past the viewport's right edge (the page would scroll sideways), outermost first. */
    const overflowing = (page: Page) => page.evaluate<string[]>(OVERFLOWING);

    /** Every page in the navigation (whoever added it): open, settle, axe, screenshots at 1440 and 390 px, no sideways scroll. */
    async function walkEveryPage(page: Page, login: Login) {
      const links = await page.$$eval('#pages-nav a', (as) =>
        as.map((a) => ({ href: a.getAttribute('href')!, text: a.textContent!.trim() })),
      );
      expect(links.map((l) => l.text)).toEqual(expect.arrayContaining(['Dashboard', 'Compliance', 'Audit log']));
      for (const link of links) {
        await page.click(`#pages-nav a[href="${link.href}"]`);
        if (link.href === '#/') await page.waitForSelector('#dashboard:not([hidden])');
        else {
          await page.waitForSelector('#page:not([hidden]) h2');
          await waitInPage(page, `!document.getElementById('page').textContent.includes('Loading…')`);
        }
        const slug = link.href.replace(/[^a-z0-9]+/gi, '') || 'dashboard';
        expect(await axeFindings(page), `${login} on ${link.text}`).toEqual([]);
        await page.screenshot({ path: join(ARTIFACTS, `walk-${login}-${slug}-1440.png`), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        expect(await overflowing(page), `${login} on ${link.text} at 390 px: what sticks out to the right`).toEqual([]);
        await page.screenshot({ path: join(ARTIFACTS, `walk-${login}-${slug}-390.png`), fullPage: true });
        await page.setViewportSize({ width: 1440, height: 900 });
      }
    }

    it('shows a viewer the queue read-only and refuses an approval the viewer sends anyway', async () => {
      const { context, page, errors } = await signIn('vic');
      await walkEveryPage(page, 'vic');
      await page.click('#pages-nav a[href="#/compliance"]');
      await page.getByRole('button', { name: `Details ${LISTED_NAME}` }).click();
      await page.getByRole('heading', { name: new RegExp(`^${LISTED_NAME.replace(/[.,]/g, '\\$&')}`) }).waitFor();
      expect(await page.getByRole('button', { name: /approve|reject|record attempt/i }).count()).toBe(0);
      expect(await page.textContent('#page')).toMatch(/Read only/);
      // The audit log is for admins: the page says so and the server refuses it.
      await page.click('#pages-nav a[href="#/audit"]');
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      expect(await page.textContent('#page')).toMatch(/for administrators/);
      // Sent anyway with the viewer's own session (cookie and CSRF token), from outside the page.
      const cookie = (await context.cookies(desk)).find((c) => c.name === 'wd_session')!;
      const asViewer = { cookie: `wd_session=${cookie.value}` };
      const { csrfToken } = await (await fetch(`${desk}/auth/session`, { headers: asViewer })).json();
      const approve = await fetch(`${desk}/v1/compliance/reviews/${encodeURIComponent(reviewId)}/approve`, {
        method: 'POST',
        headers: { ...asViewer, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: '{}',
      });
      const audit = await fetch(`${desk}/v1/console/audit`, { headers: asViewer });
      const refused = { approve: approve.status, audit: audit.status };
      expect(refused).toEqual({ approve: 403, audit: 403 });
      expect(errors).toEqual([]);
      await context.close();
    });

    it('walks every page as an operator, who may not decide reviews either', async () => {
      const { context, page, errors } = await signIn('olly');
      await walkEveryPage(page, 'olly');
      await page.click('#pages-nav a[href="#/compliance"]');
      await page.getByRole('button', { name: `Details ${LISTED_NAME}` }).click();
      expect(await page.getByRole('button', { name: /approve|reject/i }).count()).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('walks as an admin: searches and opens a customer, adds a user who starts billing, downloads the invoice to date, approves a review, finds it in the audit log, signs out for good', async () => {
      const { context, page, errors } = await signIn('ann');
      const session = (await context.cookies(desk)).find((c) => c.name === 'wd_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      // The name the identity provider gave fills in the staff list's empty display name.
      expect(await page.textContent('#who')).toBe('ann · admin · Demo Partner');
      await walkEveryPage(page, 'ann');

      // Search a customer, open it, add a user from its page, see billing start, download the invoice to date.
      await page.click('#pages-nav a[href="#/customers"]');
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
      await page.getByLabel('Package', { exact: true }).selectOption('webex_meetings');
      await page.getByRole('button', { name: 'Add user…' }).click();
      await expect.poll(() => page.locator('.cust-confirm').textContent()).toContain('Billing for Webex Meetings starts now');
      await page.getByRole('button', { name: 'Yes, add the user' }).click();
      await expect
        .poll(() => page.locator('.cust-subscribers tbody tr', { hasText: 'lee@juliet.example' }).count(), { timeout: 15_000 })
        .toBe(1);
      await expect.poll(() => page.locator('.cust-billing-now').textContent(), { timeout: 15_000 }).toContain('1 × Webex Meetings');
      const [invoice] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download invoice to date (CSV)' }).click(),
      ]);
      expect(readFileSync((await invoice.path())!, 'utf8')).toContain('walk-juliet');
      // The audit trail names the person who added the user, not a token.
      const trail = await (await api('GET', '/v1/console/audit?entityType=subscriber&max=10')).json();
      expect(trail.items).toContainEqual(expect.objectContaining({ action: 'subscriber.create', actor: 'staff:ann@partner.example' }));

      await page.click('#pages-nav a[href="#/compliance"]');
      await page.getByRole('button', { name: `Review ${LISTED_NAME}` }).click();
      await page.getByLabel('Outcome').selectOption('no_answer');
      await page.getByLabel('Note (optional)', { exact: true }).fill('left a voicemail');
      await page.getByRole('button', { name: 'Record attempt' }).click();
      await page.getByText(/No answer, by staff:ann@partner\.example — left a voicemail/).waitFor();
      // Reject stays disabled until a reason is given; approving asks first.
      expect(await page.getByRole('button', { name: 'Reject', exact: true }).isDisabled()).toBe(true);
      await page.getByLabel('Approval note (optional)').fill('a different company: checked the trade registry');
      // The question's answer has focus as soon as it shows, so an Enter pressed at once approves. Focus
      // moved in a plain effect came a frame later, on the page's body till then (a CI run under load
      // caught that gap).
      const focusedOnAsk = await watchFocusWhenShown(page, '.comp-confirm');
      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      expect(await focusedOnAsk()).toBe('Yes, approve');
      expect((await (await api('GET', `/v1/compliance/reviews?status=open`)).json()).items).toHaveLength(1);
      await page.screenshot({ path: join(ARTIFACTS, 'walk-ann-compliance-confirm-1440.png'), fullPage: true });
      await page.keyboard.press('Enter');
      await page
        .getByRole('status')
        .filter({ hasText: `${LISTED_NAME}: review approved.` })
        .waitFor();
      const { items } = await (await api('GET', '/v1/compliance/reviews?status=approved')).json();
      expect(items).toEqual([expect.objectContaining({ id: reviewId, decidedBy: 'staff:ann@partner.example' })]);

      // The audit log shows the person's decision; filtering by the review keeps only its entries.
      await page.click('#pages-nav a[href="#/audit"]');
      await page.getByLabel('Person or actor').fill('ann@partner');
      await page.getByLabel('Entity type').fill('compliance_review');
      await page.getByRole('button', { name: 'Filter' }).click();
      await waitInPage(
        page,
        `(() => {
        const entities = [...document.querySelectorAll('.audit-table tbody tr td:nth-child(4)')].map((td) => td.textContent);
        return entities.length > 0 && entities.every((e) => e.startsWith('compliance review'));
      })()`,
      );
      const actions = await page.$$eval('.audit-table tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
      expect(actions[0]).toBe('compliance.approved');
      expect(await axeFindings(page)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'walk-ann-audit-filtered-1440.png'), fullPage: true });

      const cookie = (await context.cookies(desk)).find((c) => c.name === 'wd_session');
      expect(cookie).toBeDefined();
      await page.click('#sign-out');
      await page.waitForSelector('#sign-in:not([hidden])');
      expect((await fetch(`${desk}/v1/compliance/reviews`, { headers: { cookie: `wd_session=${cookie!.value}` } })).status).toBe(401);
      expect(errors).toEqual([]);
      await context.close();
    });
  },
);
