import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOidcProvider, type LocalOidcProvider } from '../support/local-oidc-provider.js';
import { killLeftoverServices, spawnService, waitForStatus, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missingBrowser = existsSync(CHROMIUM) ? undefined : `no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`;
if (missingBrowser && process.env.REQUIRE_BROWSER === '1') throw new Error(missingBrowser);

/** A port the operating system picks, free a moment ago: the redirect URI the provider knows must name it before the start. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The staff list is written straight into the service's database while it runs, which PostgreSQL
// allows (a PGlite directory belongs to one process): the browser walk runs on PostgreSQL.
describe.runIf(!missingBrowser && testDbKind() === 'postgres')(
  `console sign-in through an OpenID provider in a browser on ${testDbKind()}`,
  () => {
    let testDb: TestDatabase;
    let service: SpawnedService;
    let idp: LocalOidcProvider;
    let browser: Browser;
    let desk: string;

    beforeAll(async () => {
      const port = await freePort();
      desk = `http://127.0.0.1:${port}`;
      idp = await startLocalOidcProvider({ redirectUris: [`${desk}/auth/callback`] });
      idp.addPerson('ann', { email: 'ann@partner.example', email_verified: true, name: 'Ann Admin' });
      testDb = await createTestDatabase();
      service = spawnService({
        DATABASE_URL: testDb.url!,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: desk,
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
      });
      await waitForStatus(service, '/readyz');
      const client = new pg.Client({ connectionString: testDb.url });
      await client.connect();
      await client.query(
        `insert into staff (id, partner_id, email, role) select 'staff-ann', id, 'ann@partner.example', 'admin' from partners where parent_id is null`,
      );
      await client.end();
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      });
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      service?.child.kill('SIGTERM');
      await service?.exited;
      await killLeftoverServices();
      await idp?.close();
      await testDb?.dispose();
    });

    it('signs a person in at the provider, shows who they are, and signs out for good', async () => {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      // The desk's own pages must log no error; the provider's development pages are not ours to judge.
      page.on('pageerror', (e) => page.url().startsWith(desk) && errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && m.location().url.startsWith(desk) && errors.push(m.text()));
      await page.goto(desk);
      await page.getByRole('link', { name: 'Sign in with your organisation account' }).click();
      // The provider's own login and consent pages.
      await page.locator('input[name="login"]').fill('ann');
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForSelector('#desk:not([hidden])');
      expect(await page.textContent('#who')).toBe('ann@partner.example · admin · Demo Partner');
      const cookie = (await context.cookies(desk)).find((c) => c.name === 'wd_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

      await page.fill('#text', 'customers');
      await page.click('#chat-form button');
      await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(1);
      await page.screenshot({ path: join('test', 'artifacts', 'console-oidc-1440.png'), fullPage: true });

      await page.click('#sign-out');
      await page.waitForSelector('#sign-in:not([hidden])');
      const after = await fetch(`${desk}/v1/wholesale/customers`, { headers: { cookie: `wd_session=${cookie!.value}` } });
      expect(after.status).toBe(401);
      expect(errors).toEqual([]);
      await context.close();
    });
  },
);
