import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const TOKEN = 'fake-wholesale-partner-admin-token-0001';
const OCTOBER = 'billingStartDate=2026-10-01&billingEndDate=2026-10-31';

/**
 * Reconciliation's fetch path end to end, in upstream mode against the fake Webex Wholesale: Cisco's
 * USER report for October is created, polled until COMPLETED and downloaded from its tempDownloadURL
 * (without the Webex token), its lines computed by the fake from what it holds; every exchange is
 * checked against Cisco's document. Runs once (PostgreSQL when the suite has it, else PGlite): the
 * matching itself is covered on both databases by reconciliations.test.ts.
 */
describe.runIf(testDbKind() === (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'))(
  `reconciling a month through Webex Wholesale on ${testDbKind()}`,
  () => {
    let fake: FakeWebexWholesale;
    let h: TestHarness;
    const webexIds: Record<string, string> = {};

    beforeAll(async () => {
      let clock: TestHarness['clock'] | undefined;
      fake = await startFakeWebexWholesale({ settleMs: 10, reportPolls: 2, now: () => clock?.now() ?? new Date() });
      h = await createTestHarness({
        start: '2026-10-01T00:00:00Z',
        env: {
          WEBEX_WHOLESALE_API_URL: fake.apiUrl,
          WEBEX_WHOLESALE_TOKEN: TOKEN,
          // The fake serves report files over http on loopback; in production only https to public hosts is fetched.
          WEBEX_DOWNLOAD_ALLOWED_HOSTS: '127.0.0.1',
          WEBEX_REPORT_POLL_MS: '1',
        },
      });
      clock = h.clock;
      const created = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(await defaultTemplateId(h), { externalId: 'crm-rec-1' }),
      );
      expect(created.status).toBe(202);
      const path = new URL(created.headers.get('location')!).pathname;
      // Webex provisions asynchronously: poll with a deadline, not a count (a count ran out on a busy
      // machine). The desk's clock moves a second a round, so a Webex call that failed under load is
      // retried when its backoff falls due (the test clock moves only when told; 06:00 is set below).
      await vi.waitFor(
        async () => {
          h.clock.advance(1_000);
          await h.worker.drain();
          expect((await (await h.call('GET', path)).json()).status, 'the customer settles as provisioned').toBe('provisioned');
        },
        { timeout: 60_000, interval: 10 },
      );
      const customerId = (await (await h.call('GET', path)).json()).id as string;
      // Everyone from 1 October, in the desk's ledger and in Webex alike (both read the test clock).
      h.clock.set('2026-10-01T06:00:00Z');
      for (const [i, name] of ['ann', 'bob', 'cid'].entries()) {
        const res = await h.call('POST', '/v1/wholesale/subscribers', {
          customerId,
          email: `${name}@rec.example`,
          packages: ['webex_calling'],
          provisioningParameters: { firstName: name, lastName: 'Test', extension: String(4001 + i) },
        });
        expect(res.status).toBe(200);
        await h.worker.drain();
        webexIds[name] = [...fake.subscribers.values()].find((s) => s.email === `${name}@rec.example`)!.id;
      }
      h.clock.set('2026-11-05T09:00:00Z');
    });

    afterAll(async () => {
      await h?.close();
      await fake?.close();
    });

    it('last month reconciles with no difference; the file is fetched without the Webex token', async () => {
      const res = await h.call('POST', `/v1/billing/reconciliations?${OCTOBER}`);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(body).toMatchObject({ type: 'USER', source: 'webex', fileLines: 3 });
      expect(body.classes.match.lines).toBe(3);
      expect(body.classes.quantity_difference.lines + body.classes.only_cisco.lines + body.classes.only_desk.lines).toBe(0);
      const report = [...fake.billingReports.values()].at(-1)!;
      expect(report).toMatchObject({ billingStartDate: '2026-10-01', billingEndDate: '2026-10-31', type: 'USER', status: 'COMPLETED' });
      // Polled until COMPLETED: IN_PROGRESS twice, then done.
      expect(fake.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/wholesale/billing/reports/')).length).toBe(3);
      expect(fake.downloads).toHaveLength(1);
      expect(fake.downloads[0]!.authorization).toBeUndefined();
      fake.assertValid();
    });

    it('a CUSTOMER report reconciles per customer and package: Webex names locations the desk never sees', async () => {
      const res = await h.call('POST', `/v1/billing/reconciliations?${OCTOBER}&type=CUSTOMER`);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(body).toMatchObject({ type: 'CUSTOMER', source: 'webex', fileLines: 1 });
      expect(body.classes.match.lines).toBe(1);
      expect(body.classes.quantity_difference.lines + body.classes.only_cisco.lines + body.classes.only_desk.lines).toBe(0);
      // Stored lines carry no location: Cisco's ids for them mean nothing to the desk.
      const lines = await (await h.call('GET', `/v1/billing/reconciliations/${encodeURIComponent(body.id)}/lines`)).json();
      expect(lines.items).toEqual([expect.objectContaining({ class: 'match', locationId: '' })]);
    });

    it('finds planted differences exactly: one more in Webex, one fewer, one quantity off', async () => {
      const cust = [...fake.customers.values()][0]!;
      // Webex bills a subscriber the desk does not know, from 10 October.
      h.clock.set('2026-10-10T00:00:00Z');
      const extra = fake.seedSubscriber(cust, { email: 'ghost@rec.example' });
      h.clock.set('2026-11-05T09:00:00Z');
      // Webex started bob on 16 October 06:00 (15 days later than the desk): 15 licence-days fewer.
      fake.usage.find((u) => u.subscriberId === webexIds.bob)!.from = new Date('2026-10-16T06:00:00Z');
      // Webex never billed cid.
      fake.usage.splice(
        fake.usage.findIndex((u) => u.subscriberId === webexIds.cid),
        1,
      );
      const res = await h.call('POST', `/v1/billing/reconciliations?${OCTOBER}&source=webex`);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(Object.fromEntries(Object.entries(body.classes as Record<string, { lines: number }>).map(([k, v]) => [k, v.lines]))).toEqual({
        match: 1,
        quantity_difference: 1,
        only_cisco: 1,
        only_desk: 1,
      });
      const lines = await (
        await h.call('GET', `/v1/billing/reconciliations/${body.id}/lines?class=quantity_difference,only_cisco,only_desk`)
      ).json();
      const byClass = Object.fromEntries(
        lines.items.map((l: { class: string; subscriberOrWorkspaceId: string; difference: string }) => [
          l.class,
          [l.subscriberOrWorkspaceId, l.difference],
        ]),
      );
      expect(byClass).toEqual({
        quantity_difference: [webexIds.bob, '-15'],
        only_cisco: [extra.id, '22'],
        only_desk: [webexIds.cid, '-30.75'],
      });
      fake.assertValid();
    });

    it('picks up a report of the period Webex is still making instead of asking for another', async () => {
      const id = 'fake-report-in-progress';
      fake.billingReports.set(id, {
        id,
        billingStartDate: '2026-10-01',
        billingEndDate: '2026-10-31',
        type: 'USER',
        created: '2026-11-05T08:00:00.000Z',
        status: 'IN_PROGRESS',
        polls: 0,
      });
      const reports = fake.billingReports.size;
      const res = await h.call('POST', `/v1/billing/reconciliations?${OCTOBER}`);
      expect(res.status).toBe(201);
      expect(fake.billingReports.size).toBe(reports);
      expect(fake.billingReports.get(id)!.status).toBe('COMPLETED');
      fake.assertValid();
    });

    it('chat `reconcile October` without a file fetches it too', async () => {
      const res = await h.call('POST', '/v1/console/messages', { text: 'reconcile October 2026' });
      const text = JSON.stringify(await res.json());
      expect(res.status).toBe(200);
      expect(text).toContain("Asking Webex for Cisco's USER report for 2026-10-01 to 2026-10-31");
      expect(text).toContain("Reconciliation of Cisco's USER report, 2026-10-01 to 2026-10-31");
      expect(text).toMatch(/1 quantity differs, 1 only in Cisco's file, 1 only in our ledger/);
    });

    it('a FAILED report, and a download URL that is not https to a public host, are refused clearly; nothing is stored', async () => {
      const before = (await (await h.call('GET', '/v1/billing/reconciliations')).json()).items.length;
      fake.failReports(true);
      const failed = await h.call('POST', `/v1/billing/reconciliations?${OCTOBER}`);
      expect(failed.status).toBe(502);
      expect((await failed.json()).errors[0]).toMatchObject({ errorCode: 2043, description: expect.stringMatching(/ended FAILED$/) });
      fake.failReports(false);
      for (const [base, why] of [
        ['http://169.254.169.254', /not https/],
        ['https://169.254.169.254', /not a public address/],
      ] as const) {
        fake.setDownloadBase(base);
        const refused = await h.call('POST', `/v1/billing/reconciliations?${OCTOBER}`);
        expect(refused.status).toBe(502);
        expect((await refused.json()).errors[0]).toMatchObject({ errorCode: 2045, description: expect.stringMatching(why) });
      }
      fake.setDownloadBase(fake.url);
      expect((await (await h.call('GET', '/v1/billing/reconciliations')).json()).items.length).toBe(before);
      fake.assertValid();
    });
  },
);
