import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { listPackageEvents } from '../../src/db/repositories/package-events.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { applyInboundEvent } from '../../src/use-cases/apply-inbound-event.js';
import { loadDailyDigest, prepareMonthlyDigest } from '../../src/use-cases/digest-data.js';
import { formatMonthlyDigest } from '../../src/bot/digest-messages.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';

const LIST = readFileSync(new URL('../fixtures/screening-list.csv', import.meta.url));
const DAY = 86_400_000;

/** Issue 18, items 1, 2, 3 and 6: every billable day right, through the API, chat and CLI. */
describe(`money rules on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;

  const ext = () => String(3000 + ++seq);
  const customer = (overrides: Body = {}) =>
    customerBody(templateId, {
      externalId: `money-${++seq}`,
      customerInfo: { name: `Money Customer ${seq}`, primaryEmail: `admin${seq}@money.example` },
      ...overrides,
    });
  const addSub = (customerId: string, pkg: string, extra: Body = {}) =>
    h.call('POST', '/v1/wholesale/subscribers', {
      customerId,
      email: `sub${++seq}@money.example`,
      packages: [pkg],
      provisioningParameters: { firstName: 'Sam', lastName: 'Lee', extension: ext() },
      ...extra,
    });
  const subPath = (id: string) => `/v1/wholesale/subscribers/${encodeURIComponent(id)}`;
  /** A USER report through the API, downloaded: quantity per subscriber and package. */
  const userReport = async (from: string, to: string, opts: { token?: string; body?: Body } = {}): Promise<Map<string, string>> => {
    const { token } = opts;
    const res = await h.call(
      'POST',
      '/v1/wholesale/billing/reports',
      { billingStartDate: from, billingEndDate: to, type: 'USER', ...opts.body },
      { token },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const { id } = await res.json();
    await h.worker.drain();
    const report = await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`, undefined, { token })).json();
    expect(report.status).toBe('COMPLETED');
    const u = new URL(report.tempDownloadURL);
    const rows = parseCsv(await (await h.call('GET', `${u.pathname}${u.search}`, undefined, { token: null })).text());
    // Deleted, so the same period can be asked again later in the file.
    expect((await h.call('DELETE', `/v1/wholesale/billing/reports/${id}`, undefined, { token })).status).toBe(204);
    return new Map(rows.map((r) => [`${r.SUBSCRIBER_ID}|${r.SERVICE_NAME}`, r.QUANTITY!]));
  };
  const errorCodes = async (res: Response) => ((await res.json()).errors as { errorCode: number }[]).map((e) => e.errorCode);

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  describe('1. effectiveAt never precedes what it changes', () => {
    it('refuses a new subscriber dated before its customer existed, naming the earliest instant', async () => {
      const c = await provisionCustomer(h, customer({ effectiveAt: '2026-06-01T08:00:00Z' }));
      const early = await addSub(c.id, 'webex_calling', { effectiveAt: '2026-05-01T00:00:00Z' });
      expect(early.status).toBe(400);
      const body = (await early.json()) as Body;
      expect(body.errors).toEqual([{ errorCode: 1602, description: expect.stringContaining('2026-06-01T08:00:00.000Z') }]);
      expect(await h.db.selectFrom('subscribers').select('id').where('customer_id', '=', c.id).execute()).toEqual([]);
      expect((await addSub(c.id, 'webex_calling', { effectiveAt: '2026-06-01T08:00:00Z' })).status).toBe(200);
    });

    it("refuses the back-dated PUT and DELETE before the subscriber's creation (README walk-through, docs/api.md)", async () => {
      const c = await provisionCustomer(h, customer());
      h.clock.advance(5 * 60_000);
      // The first subscriber is the full admin, whose package is never downgraded: the rule tested here is another.
      expect((await addSub(c.id, 'webex_calling')).status).toBe(200);
      const sub = await (await addSub(c.id, 'webex_calling')).json();
      const put = await h.call('PUT', subPath(sub.id), { packages: ['webex_meetings'], effectiveAt: '2026-06-01T00:00:00Z' });
      expect(put.status).toBe(400);
      const putBody = await put.json();
      expect(putBody.errors.map((e: Body) => e.errorCode)).toEqual([1602]);
      expect(putBody.message).toContain(`earliest instant allowed is ${h.clock.now().toISOString()}`);
      const del = await h.call('DELETE', `${subPath(sub.id)}?effectiveAt=2026-06-15T12:00:00Z`);
      expect(await errorCodes(del)).toEqual([1602]);
      expect(del.status).toBe(400);
      const customerDelete = await h.call('DELETE', `/v1/wholesale/customers/${encodeURIComponent(c.id)}?effectiveAt=2026-06-01T00:00:00Z`);
      expect(customerDelete.status).toBe(400);
      expect(await errorCodes(customerDelete)).toEqual([1602]);
      // Nothing was written: one fact, still held.
      expect((await listPackageEvents(h.db, sub.id)).map((e) => e.package)).toEqual(['webex_calling']);
      expect((await (await h.call('GET', subPath(sub.id))).json()).package).toBe('webex_calling');
    });

    it('slots a back-dated change between earlier facts into history; the resource shows the package held now', async () => {
      const c = await provisionCustomer(
        h,
        customer({ effectiveAt: '2026-05-01T00:00:00Z', packages: ['webex_calling', 'webex_meetings', 'webex_suite'] }),
      );
      expect((await addSub(c.id, 'webex_suite', { effectiveAt: '2026-05-01T00:00:00Z' })).status).toBe(200); // the full admin
      const sub = await (await addSub(c.id, 'webex_calling', { effectiveAt: '2026-05-01T00:00:00Z' })).json();
      expect((await h.call('PUT', subPath(sub.id), { packages: ['webex_suite'], effectiveAt: '2026-05-21T00:00:00Z' })).status).toBe(200);
      const between = await h.call('PUT', subPath(sub.id), { packages: ['webex_meetings'], effectiveAt: '2026-05-11T00:00:00Z' });
      expect(between.status).toBe(200);
      expect((await between.json()).package).toBe('webex_suite');
      const report = await userReport('2026-05-01', '2026-05-31');
      expect(report.get(`${sub.id}|WEBEX_CALLING`)).toBe('10');
      expect(report.get(`${sub.id}|WEBEX_MEETINGS`)).toBe('10');
      expect(report.get(`${sub.id}|WEBEX_SUITE`)).toBe('11');
    });

    it('holds inbound events to the same rule', async () => {
      const c = await provisionCustomer(h, customer());
      expect((await addSub(c.id, 'webex_calling')).status).toBe(200); // the full admin
      const sub = await (await addSub(c.id, 'webex_calling')).json();
      const event = {
        seq: 1,
        id: 'evt-too-early',
        type: 'subscriber.update',
        data: { subscriberId: sub.id, packages: ['webex_meetings'], effectiveAt: '2026-05-01T00:00:00Z' },
        partner_id: h.partnerId,
        attempts: 0,
      };
      const r = await h.db.transaction().execute((trx) => applyInboundEvent(trx, event, { now: h.clock.now(), uuid: nodeIds.uuid }));
      expect(r.ok).toBe(false);
      expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['effective_at_before_creation']);
    });
  });

  describe('2. billing starts when the customer is provisioned', () => {
    it('bills a subscriber accepted before a compliance hold from the approval only (2.5 days, not 4.5)', async () => {
      h.clock.set('2026-06-15T12:00:00Z');
      expect(
        (await h.call('POST', '/v1/compliance/screening-list', LIST.toString(), { headers: { 'content-type': 'text/csv' } })).status,
      ).toBe(201);
      await h.worker.drain();
      const res = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customer({ customerInfo: { name: 'Northgate Chemical Industries', primaryEmail: 'it@northgate.example' } }),
      );
      expect(res.status).toBe(202);
      const path = new URL(res.headers.get('location')!).pathname;
      const customerId = decodeURIComponent(path.split('/').pop()!);
      // Accepted while the customer is still provisioning, then the screening holds the customer.
      const sub = await (await addSub(customerId, 'webex_calling')).json();
      await h.worker.drain();
      expect((await (await h.call('GET', path)).json()).status).toBe('pending_rpl_review');
      const [review] = (await (await h.call('GET', `/v1/compliance/reviews?customerId=${encodeURIComponent(customerId)}`)).json()).items;

      h.clock.set('2026-06-17T12:00:00Z');
      expect((await h.call('POST', `/v1/compliance/reviews/${review.id}/approve`, { note: 'other company' })).status).toBe(200);
      await h.worker.drain();
      expect((await (await h.call('GET', path)).json()).status).toBe('provisioned');

      h.clock.set('2026-06-20T09:00:00Z');
      const report = await userReport('2026-06-01', '2026-06-19');
      expect(report.get(`${sub.id}|WEBEX_CALLING`)).toBe('2.5');

      // A rejected customer bills nothing for a subscriber accepted before its hold.
      const rejected = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customer({
          customerInfo: { name: 'Kestrel Avionics GmbH', primaryEmail: 'it@kestrel.example' },
          address: { addressLine1: '1 Ring', city: 'Berlin', country: 'DE' },
        }),
      );
      const rejectedId = decodeURIComponent(new URL(rejected.headers.get('location')!).pathname.split('/').pop()!);
      const gone = await (await addSub(rejectedId, 'webex_meetings')).json();
      await h.worker.drain();
      const [open] = (await (await h.call('GET', `/v1/compliance/reviews?customerId=${encodeURIComponent(rejectedId)}`)).json()).items;
      h.clock.advance(DAY);
      expect((await h.call('POST', `/v1/compliance/reviews/${open.id}/reject`, { reason: 'confirmed' })).status).toBe(200);
      h.clock.set('2026-06-23T09:00:00Z');
      const after = await userReport('2026-06-01', '2026-06-22');
      expect([...after.keys()].filter((k) => k.startsWith(`${gone.id}|`))).toEqual([]);
    });

    it('counts a back-dated customer without a hold as provisioned from its effectiveAt', async () => {
      h.clock.set('2026-06-23T10:00:00Z');
      const c = await provisionCustomer(h, customer({ effectiveAt: '2026-06-01T00:00:00Z' }));
      const sub = await (await addSub(c.id, 'webex_meetings', { effectiveAt: '2026-06-01T00:00:00Z' })).json();
      expect((await userReport('2026-06-01', '2026-06-22')).get(`${sub.id}|WEBEX_MEETINGS`)).toBe('22');
    });
  });

  describe('3. invoices only for time that has happened', () => {
    let customerId: string;
    let externalId: string;
    beforeAll(async () => {
      h.clock.set('2026-07-10T15:00:00Z');
      expect(
        (
          await h.call('PUT', '/v1/billing/price-book', {
            effectiveFrom: '2026-01-01',
            currency: 'USD',
            items: [{ package: 'webex_calling', monthlyPrice: 3100 }],
          })
        ).status,
      ).toBe(200);
      const c = await provisionCustomer(h, customer({ effectiveAt: '2026-06-30T00:00:00Z' }));
      customerId = c.id;
      externalId = c.externalId;
      expect((await addSub(c.id, 'webex_calling', { effectiveAt: '2026-06-30T00:00:00Z' })).status).toBe(200);
    });
    const invoice = (month: string) => h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(customerId)}&month=${month}`);

    it('refuses a future month like reports do', async () => {
      for (const month of ['2026-08', '2030-01']) {
        const res = await invoice(month);
        expect(res.status).toBe(400);
        expect(await errorCodes(res)).toEqual([1000]);
      }
    });

    it('counts the current month up to the start of today, marked provisional, and an ended month whole', async () => {
      const now = await (await invoice('2026-07')).json();
      expect(now).toMatchObject({ month: '2026-07', provisional: true, through: '2026-07-09', total: '9.00' });
      expect(now.lines).toEqual([expect.objectContaining({ package: 'webex_calling', quantity: '9', amount: '9.00' })]);
      const june = await (await invoice('2026-06')).json();
      expect(june).toMatchObject({ provisional: false, through: '2026-06-30', total: '1.03' });
    });

    it('says so in chat and on the dashboard', async () => {
      const chat = await h.call('POST', '/v1/console/messages', { text: `invoice ${externalId} 2026-07` });
      const replies = (await chat.json()).replies;
      expect(replies[0].markdown).toContain('to date (provisional, through 2026-07-09 UTC)');
      const dash = await (await h.call('GET', '/v1/console/dashboard')).json();
      expect(dash.billingThisMonth).toMatchObject({ month: '2026-07', provisional: true, through: '2026-07-09' });
      // The customer's share equals its invoice to date: nothing counted after the start of today.
      expect(dash.billingThisMonth.customers.find((c: Body) => c.customerId === customerId).amountMinor).toBe(900);
    });

    it('keeps digests to ended time: a monthly digest of a month not over in UTC is to date, a daily one an ended day', async () => {
      const partner = (await loadRootPartner(h.db))!;
      // East of UTC the 1st's digest comes while the UTC month is still running.
      const monthly = formatMonthlyDigest(await prepareMonthlyDigest(h.db, partner, '2026-07', { now: h.clock.now(), uuid: nodeIds.uuid }));
      expect(monthly.markdown).toContain('2026-07 to date (provisional, through 2026-07-09 UTC)');
      const daily = await loadDailyDigest(h.db, partner, '2026-07-10', h.clock.now());
      expect(daily.day).toBe('2026-07-09');
      expect(daily.usage.filter((u) => u.day > '2026-07-09')).toEqual([]);
    });
  });

  describe('6. sub-partner billing start date', () => {
    it('bills nothing before it; the parent moves it only before it passes', async () => {
      h.clock.set('2026-08-01T10:00:00Z');
      const cli = (args: string[], opts: Record<string, string> = {}) =>
        runCliCommand(h.useCases, args, opts, { clock: h.clock, ids: nodeIds });
      expect((await cli(['sub-partner', 'add'], { name: 'Past Start', 'billing-start': '2026-07-31' })).exitCode).toBe(1);
      const added = await cli(['sub-partner', 'add'], { name: 'Reseller Late', 'billing-start': '2026-08-05' });
      expect(added.output).toContain('billing starts 2026-08-05');
      const orgId = /orgId (\S+)/.exec(added.output)![1]!;
      const token = /wdk_[\w-]+/.exec((await cli(['token', 'create'], { name: 'late', partner: orgId })).output)![0];
      const listed = (await (await h.call('GET', '/v1/wholesale/subPartners')).json()).items.find((p: Body) => p.orgId === orgId);
      expect(listed.billingStartDate).toBe('2026-08-05');

      // Moved later while it has not arrived.
      expect((await cli(['sub-partner', 'billing-start', orgId, '2026-08-10'])).exitCode).toBe(0);
      const res = await h.call('POST', '/v1/wholesale/customers', customer(), { token });
      expect(res.status).toBe(202);
      await h.worker.drain();
      const subCustomerId = decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!);
      const sub = await h.call(
        'POST',
        '/v1/wholesale/subscribers',
        {
          customerId: subCustomerId,
          email: 'reseller-user@money.example',
          packages: ['webex_calling'],
          provisioningParameters: { firstName: 'R', lastName: 'U', extension: ext() },
        },
        { token },
      );
      expect(sub.status).toBe(200);
      const subId = (await sub.json()).id;

      h.clock.set('2026-08-12T10:00:00Z');
      const refused = await cli(['sub-partner', 'billing-start', orgId, '2026-08-20']);
      expect(refused).toMatchObject({ exitCode: 1, output: expect.stringContaining('started on 2026-08-10') });
      // Twelve days held, two billed: the 10th and the 11th.
      expect((await userReport('2026-08-01', '2026-08-11', { token })).get(`${subId}|WEBEX_CALLING`)).toBe('2');
      expect((await userReport('2026-08-01', '2026-08-11', { body: { subPartnerOrgId: orgId } })).get(`${subId}|WEBEX_CALLING`)).toBe('2');
    });
  });
});
