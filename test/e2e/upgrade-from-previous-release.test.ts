import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXE_SOURCE, launchChromium, missingBrowser } from '../support/browser.js';
import { parseCsv } from '../support/csv.js';
import { killLeftoverServices, spawnService, waitForStatus, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { entryArgs } from '../support/compiled-service.js';

/** The previous release's database and what that release answered (scripts/make-upgrade-fixture.ts). */
const FIXTURE = join(process.cwd(), 'src/db/upgrade-fixtures/2026-11-22');

interface Answers {
  commit: string;
  adminToken: string;
  month: { from: string; to: string; key: string };
  customers: Record<string, unknown>[];
  subscribers: { id: string; email: string; customerId: string; packages: string[] }[];
  webhookId: string;
  reports: Record<'USER' | 'CUSTOMER' | 'PARTNER', { id: string; csv: string }>;
  invoices: Record<string, Record<string, unknown>>;
}

/** Which Webex id kind a base64 id names (cisco spark://us/<KIND>/uuid): PEOPLE, LOCATION, WHOLESALE_SUBSCRIBER … */
const idKind = (id: string | undefined) => (id ? (/\/\/us\/([A-Z_]+)\//.exec(Buffer.from(id, 'base64').toString())?.[1] ?? '?') : '');

/** Rows as records keyed by their own header, so two files with different column orders compare by meaning. */
const records = (csv: string) => parseCsv(csv);

/**
 * An upgrade as an operator does it: the database the 2026-11-22 release made (restored from its
 * pg_dump), the current release started on it as a user starts it, and every answer compared with what
 * the old release gave. PostgreSQL only: the fixture is a PostgreSQL dump restored with psql, which
 * PGlite cannot load.
 */
describe.skipIf(testDbKind() !== 'postgres')(
  'upgrading from the 2026-11-22 release (skipped on PGlite: the fixture is a PostgreSQL dump restored with psql)',
  () => {
    let testDb: TestDatabase;
    let service: SpawnedService;
    const answers = JSON.parse(readFileSync(join(FIXTURE, 'answers.json'), 'utf8')) as Answers;
    const carl = answers.subscribers.find((s) => s.email === 'carl@crm-1001.example');

    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${service.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${answers.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) };
    };
    const download = async (reportId: string) => {
      const report = (await api('GET', `/v1/wholesale/billing/reports/${reportId}`)).json();
      expect(report.status).toBe('COMPLETED');
      const res = await fetch(report.tempDownloadURL.replace(/^https?:\/\/[^/]+/, service.url));
      expect(res.status).toBe(200);
      return res.text();
    };

    beforeAll(async () => {
      testDb = await createTestDatabase();
      execFileSync('psql', [testDb.url as string, '-v', 'ON_ERROR_STOP=1', '-q', '-f', join(FIXTURE, 'database.sql')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      service = spawnService({ DATABASE_URL: testDb.url as string, WORKER_POLL_MS: '100' });
      await waitForStatus(service, '/readyz');
    });
    afterAll(async () => {
      await killLeftoverServices();
      await testDb?.dispose();
    });

    it('names the Attendant-Console-only subscriber and the refused webhook at start, each with its fix', () => {
      const out = service.output();
      expect(out).toContain('1 subscriber holds only Attendant Console');
      expect(out).toContain('PUT /v1/wholesale/subscribers/{subscriberId} {\\"packages\\":[\\"webex_calling\\",\\"attendant_console\\"]}');
      expect(out).toContain('1 webhook subscription is disabled');
      expect(out).toContain('http://127.0.0.1:9/hooks/desk');
    });

    it.skipIf(Boolean(missingBrowser))(
      "shows both on the console's Data notices page, the webhook as disabled with its reason (skipped without Chromium)",
      async () => {
        const browser = await launchChromium();
        try {
          const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          await page.goto(`${service.url}/#/notices`);
          await page.waitForSelector('#sign-in:not([hidden])');
          await page.fill('#token', answers.adminToken);
          await page.click('#sign-in-form button');
          await page.waitForSelector('#webhooks-table');
          const text = (await page.textContent('#page')) ?? '';
          expect(text).toContain('1 subscriber holds only Attendant Console');
          expect(text).toContain('carl@crm-1001.example (Acme Dental)');
          expect(text).toContain('{"packages":["webex_calling","attendant_console"]}');
          expect(await page.textContent('#webhooks-table')).toMatch(
            /http:\/\/127\.0\.0\.1:9\/hooks\/desk.*disabled: url host 127\.0\.0\.1 is not a public address \(loopback\)/,
          );
          await page.evaluate(AXE_SOURCE);
          const serious = await page.evaluate<string[]>(
            `axe.run().then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id))`,
          );
          expect(serious).toEqual([]);
          expect(errors).toEqual([]);
          await mkdir(join('test', 'artifacts'), { recursive: true });
          await page.screenshot({ path: join('test', 'artifacts', 'upgrade-data-notices-1440.png'), fullPage: true });
        } finally {
          await browser.close();
        }
      },
    );

    it('answers every customer and subscriber as the old release did, customers it never screened flagged 3110', async () => {
      const customers = (await api('GET', '/v1/wholesale/customers?max=100')).json().items;
      expect(customers).toHaveLength(answers.customers.length);
      // The old release provisioned without screening when no list was loaded; today such a customer carries
      // warning 3110 until a list is loaded (the only difference, and the one the upgrade must add).
      type Warned = { id: string; warnings: { errorCode: number }[] };
      for (const old of answers.customers) {
        const now = customers.find((c: Warned) => c.id === old.id) as Warned;
        expect(now.warnings.map((w) => w.errorCode)).toEqual([...(old.warnings as { errorCode: number }[]).map((w) => w.errorCode), 3110]);
        expect({ ...now, warnings: now.warnings.filter((w) => w.errorCode !== 3110) }).toMatchObject(old);
      }
      const customerIds = [...new Set(answers.subscribers.map((s) => s.customerId))];
      const subscribers = [];
      for (const id of customerIds)
        subscribers.push(...(await api('GET', `/v1/wholesale/subscribers?customerId=${id}&max=100`)).json().items);
      expect(subscribers).toHaveLength(answers.subscribers.length);
      for (const old of answers.subscribers) expect(subscribers.find((s: { id: string }) => s.id === old.id)).toMatchObject(old);
    });

    it.each(['USER', 'CUSTOMER', 'PARTNER'] as const)(
      'serves the stored %s report byte for byte, its header over its own rows',
      async (type) => {
        const csv = await download(answers.reports[type].id);
        expect(csv).toBe(answers.reports[type].csv);
        if (type !== 'USER') return;
        const rows = records(csv);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          expect(idKind(row.SUBSCRIBER_ID)).toBe('WHOLESALE_SUBSCRIBER');
          expect(idKind(row.USER_ID)).toBe('PEOPLE');
          expect(idKind(row.LOCATION_ID)).toBe('LOCATION');
          expect(row.WORKSPACE_ID).toBe('');
        }
      },
    );

    it("gives November's invoices as the old release did, to the cent", async () => {
      for (const [customerId, old] of Object.entries(answers.invoices)) {
        const res = await api('GET', `/v1/billing/invoices?customerId=${customerId}&month=${answers.month.key}`);
        expect(res.status).toBe(200);
        const invoice = res.json();
        expect(invoice.totalMinor).toBe(old.totalMinor);
        expect(invoice).toMatchObject({ ...old, lines: (old.lines as object[]).map((l) => expect.objectContaining(l)) });
      }
    });

    it('writes a new USER report for the same month with the same rows as the stored one', async () => {
      const stored = await download(answers.reports.USER.id);
      expect((await api('DELETE', `/v1/wholesale/billing/reports/${answers.reports.USER.id}`)).status).toBe(204);
      const created = await api('POST', '/v1/wholesale/billing/reports', {
        billingStartDate: answers.month.from,
        billingEndDate: answers.month.to,
        type: 'USER',
      });
      expect(created.status).toBe(200);
      const id = created.json().id as string;
      await expect
        .poll(async () => (await api('GET', `/v1/wholesale/billing/reports/${id}`)).json().status, { timeout: 60_000, interval: 200 })
        .toBe('COMPLETED');
      const fresh = await download(id);
      expect(fresh.split('\r\n')[0]).not.toBe(stored.split('\r\n')[0]); // today's column order …
      expect(records(fresh)).toEqual(records(stored)); // … over the very same rows
    });

    it('flags the Attendant-Console-only subscriber with its fix, and the fix clears it', async () => {
      const notices = (await api('GET', '/v1/data-notices')).json().items;
      const notice = notices.find((n: { kind: string }) => n.kind === 'subscriber_without_base_package');
      expect(notice).toMatchObject({ count: 1, items: [{ id: carl?.id, detail: 'attendant_console' }] });
      expect(notice.fix).toContain('PUT /v1/wholesale/subscribers/{subscriberId} {"packages":["webex_calling","attendant_console"]}');
      const fixed = await api('PUT', `/v1/wholesale/subscribers/${carl?.id}`, { packages: ['webex_calling', 'attendant_console'] });
      expect(fixed.status, fixed.text).toBeLessThan(300);
      const after = (await api('GET', '/v1/data-notices')).json().items;
      expect(after.map((n: { kind: string }) => n.kind)).not.toContain('subscriber_without_base_package');
    });

    it('shows the loopback webhook as disabled with its reason and queues nothing for it', async () => {
      const hooks = (await api('GET', '/v1/webhooks')).json().items;
      expect(hooks).toEqual([
        expect.objectContaining({
          id: answers.webhookId,
          status: 'disabled',
          disabledReason: expect.stringContaining('not a public address (loopback)'),
        }),
      ]);
      const notices = (await api('GET', '/v1/data-notices')).json().items;
      expect(notices.find((n: { kind: string }) => n.kind === 'webhook_target_refused')?.items).toEqual([
        expect.objectContaining({ id: answers.webhookId, label: 'http://127.0.0.1:9/hooks/desk' }),
      ]);
      // A change the subscription asked to hear about (a subscriber's status) queues no delivery for it.
      const sub = answers.subscribers.find((s) => s.email === 'eve@crm-1002.example');
      expect((await api('DELETE', `/v1/wholesale/subscribers/${sub?.id}`)).status).toBeLessThan(300);
      const deliveries = (await api('GET', `/v1/webhooks/deliveries?subscriptionId=${answers.webhookId}`)).json().items;
      expect(deliveries).toEqual([]);
    });

    it('is refused by an older release afterwards: one line naming the newer release and the way back, exit 2 (service and CLI)', async () => {
      service.child.kill('SIGTERM');
      await service.exited;
      // This release plays the older one: the database now holds a migration it does not know, noted by its release.
      const db = new pg.Client({ connectionString: testDb.url });
      await db.connect();
      await db.query(`insert into kysely_migration (name, timestamp) values ('2099-01-01-0900-future', now()::text)`);
      await db.query(`insert into release_history (migrated_at, release, applied) values (now(), '2099-01-01-0900-future', '[]')`);
      await db.end();
      const old = spawnService({ DATABASE_URL: testDb.url as string });
      expect((await old.exited).code).toBe(2);
      const line =
        /^wholesale-desk: this database was migrated by a newer release of Wholesale Desk \(release 2099-01-01-0900-future on \d{4}-\d\d-\d\d\);.*restore the backup taken before the upgrade/;
      expect(old.output().trim()).toMatch(line);
      expect(old.output().trim().split('\n')).toHaveLength(1);
      const cli = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) =>
        execFile(
          process.execPath,
          [...entryArgs('cli'), 'token', 'list'],
          {
            env: {
              PATH: process.env.PATH ?? '',
              HOME: process.env.HOME ?? '/tmp',
              DATABASE_URL: testDb.url as string,
              LOG_LEVEL: 'silent',
            },
          },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
        ),
      );
      expect(cli.code).toBe(2);
      expect(cli.stdout).toBe('');
      expect(cli.stderr.trim()).toMatch(line);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    });
  },
);
