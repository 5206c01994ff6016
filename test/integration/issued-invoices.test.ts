import { sql } from 'kysely';
import { OUTBOUND_EVENT_SCHEMAS } from '../../src/contracts/webhook-subscriptions.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * The audit's case: a subscriber from 20 November (11 days of 30 at 10.00 a month: 3.67) is invoiced
 * on 1 December; on 6 December a removal dated 25 November is entered. November's invoice stays 3.67;
 * December's invoice, although the customer has no December usage, carries −2.00 (6 licence-days)
 * naming November's invoice.
 */
describe(`issued invoices on ${testDbKind()}`, () => {
  let h: TestHarness;
  let customer: Body;
  let sub: Body;
  let november: Body;
  /** Cisco's USER report for November as Webex billed it (before the back-dated removal). */
  let ciscoNovember = '';
  let reconciliationId = '';

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-10-20T00:00:00Z' });
    const put = await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-10-01',
      currency: 'USD',
      items: [{ package: 'webex_calling', monthlyPrice: 1000 }],
    });
    expect(put.status, await put.clone().text()).toBe(200);
    customer = await provisionCustomer(h, customerBody(await defaultTemplateId(h), { externalId: 'acme' }));
    h.clock.set('2026-11-20T00:00:00Z');
    sub = await addSubscriber(h, customer.id, 'late@acme.example', 'webex_calling');
    const hook = await h.call('POST', '/v1/webhooks', { url: 'https://accounting.example/hooks', eventTypes: ['invoice.issued'] });
    expect(hook.status, await hook.clone().text()).toBe(201);
  });
  afterAll(() => h.close());

  it('refuses to issue a month that has not ended', async () => {
    const res = await h.call('POST', '/v1/billing/invoices/issue?month=2026-11');
    expect(res.status).toBe(409);
    expect((await res.json()).errors[0].errorCode).toBe(2051);
  });

  it('issues November at 3.67 with a numbered document', async () => {
    h.clock.set('2026-12-01T06:00:00Z');
    const res = await h.call('POST', '/v1/billing/invoices/issue?month=2026-11');
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ issued: 1, alreadyIssued: 0, firstNumber: 'WD-2026-000001' });
    november = await (await h.call('GET', '/v1/billing/invoices/WD-2026-000001')).json();
    expect(november).toMatchObject({ customerId: customer.id, month: '2026-11', totalMinor: 367, subtotalMinor: 367, currency: 'USD' });
    expect(november.lines).toHaveLength(1);
    expect(november.lines[0]).toMatchObject({ package: 'webex_calling', quantity: '11', amountMinor: 367 });
    expect(november.lines[0].arithmetic).toContain('11 licence-days ÷ 30 days');
    const again = await (await h.call('POST', '/v1/billing/invoices/issue?month=2026-11')).json();
    expect(again).toMatchObject({ issued: 0, alreadyIssued: 1 });

    // The accounting system gets the same JSON as an `invoice.issued` webhook, once.
    const deliveries = await h.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).execute();
    expect(deliveries.map((d) => d.event_type)).toEqual(['invoice.issued']);
    const payload = JSON.parse(deliveries[0]!.payload);
    expect(OUTBOUND_EVENT_SCHEMAS['invoice.issued'].safeParse(payload).error?.issues).toBeUndefined();
    expect(payload.data).toEqual(november);
  });

  it('keeps the USER report as Webex would bill November (for the reconciliation below)', async () => {
    const res = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-11-01',
      billingEndDate: '2026-11-30',
      type: 'USER',
    });
    const id = (await res.json()).id;
    await h.worker.drain();
    const url = new URL((await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json()).tempDownloadURL);
    ciscoNovember = await (await h.call('GET', `${url.pathname}${url.search}`, undefined, { token: null })).text();
    expect(ciscoNovember).toContain(sub.id);
    expect((await h.call('DELETE', `/v1/wholesale/billing/reports/${id}`)).status).toBe(204);
  });

  it('keeps November at 3.67 after a removal dated 25 November is entered on 6 December', async () => {
    h.clock.set('2026-12-06T10:00:00Z');
    const del = await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}?effectiveAt=2026-11-25T00:00:00Z`);
    expect(del.status, await del.clone().text()).toBe(204);
    await h.worker.drain();
    const issued = await (await h.call('GET', '/v1/billing/invoices/WD-2026-000001')).json();
    expect(issued).toEqual(november);
    const computed = await (await h.call('GET', `/v1/billing/invoices?customerId=${customer.id}&month=2026-11`)).json();
    expect(computed).toMatchObject({ totalMinor: 367, total: '3.67', invoiceNumber: 'WD-2026-000001' });
  });

  it('reconciles closed November against the ledger as issued, listing the later change as an adjustment', async () => {
    const res = await h.call('POST', '/v1/billing/reconciliations?billingStartDate=2026-11-01&billingEndDate=2026-11-30', ciscoNovember, {
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const summary = await res.json();
    reconciliationId = summary.id;
    expect(summary.ledger).toBe('as_issued');
    expect(summary.classes.match.lines).toBe(1);
    expect(summary.classes.quantity_difference.lines).toBe(0);
    expect(summary.laterAdjustments.issued).toEqual([]);
    expect(summary.laterAdjustments.pending).toEqual([
      expect.objectContaining({ originalInvoiceNumber: 'WD-2026-000001', period: '2026-11', amountMinor: -200, holderId: sub.id }),
    ]);
  });

  it('shows the −2.00 on the provisional December invoice', async () => {
    const dec = await (await h.call('GET', `/v1/billing/invoices?customerId=${customer.id}&month=2026-12`)).json();
    expect(dec).toMatchObject({ provisional: true, invoiceNumber: null, adjustmentsMinor: -200 });
    expect(dec.adjustments).toEqual([
      expect.objectContaining({ kind: 'credit', originalInvoiceNumber: 'WD-2026-000001', period: '2026-11', amountMinor: -200 }),
    ]);
  });

  it("carries −2.00 on December's invoice naming November's, although December has no usage", async () => {
    h.clock.set('2027-01-01T06:00:00Z');
    const res = await (await h.call('POST', '/v1/billing/invoices/issue?month=2026-12')).json();
    expect(res).toMatchObject({ issued: 1, firstNumber: 'WD-2027-000002' });
    const dec = await (await h.call('GET', '/v1/billing/invoices/WD-2027-000002')).json();
    expect(dec).toMatchObject({ month: '2026-12', lines: [], subtotalMinor: 0, adjustmentsMinor: -200, totalMinor: -200 });
    expect(dec.adjustments).toEqual([
      expect.objectContaining({
        kind: 'credit',
        originalInvoiceNumber: 'WD-2026-000001',
        period: '2026-11',
        holderKind: 'subscriber',
        holderId: sub.id,
        holderLabel: 'late@acme.example',
        package: 'webex_calling',
        licenceDays: '-6',
        amountMinor: -200,
      }),
    ]);
    expect(dec.adjustments[0].auditId).toMatch(/^\d+$/);
    const summary = await (await h.call('GET', `/v1/billing/reconciliations/${reconciliationId}`)).json();
    expect(summary.laterAdjustments).toEqual({
      issued: [expect.objectContaining({ invoiceNumber: 'WD-2027-000002', amountMinor: -200 })],
      pending: [],
    });
    // Counted once: January's run owes nothing more for November.
    h.clock.set('2027-02-01T06:00:00Z');
    expect(await (await h.call('POST', '/v1/billing/invoices/issue?month=2027-01')).json()).toMatchObject({ issued: 0 });
  });

  it('lists issued invoices with filters and pages', async () => {
    const all = await (await h.call('GET', '/v1/billing/invoices')).json();
    expect(all.items.map((i: Body) => i.number)).toEqual(['WD-2027-000002', 'WD-2026-000001']);
    const byMonth = await (await h.call('GET', '/v1/billing/invoices?month=2026-11&customer=acme')).json();
    expect(byMonth.items.map((i: Body) => i.number)).toEqual(['WD-2026-000001']);
    const byNumber = await (await h.call('GET', '/v1/billing/invoices?number=WD-2027-000002')).json();
    expect(byNumber.items).toHaveLength(1);
    const page = await h.call('GET', '/v1/billing/invoices?max=1');
    expect((await page.json()).items).toHaveLength(1);
    expect(page.headers.get('link')).toContain('offset=1');
    expect((await h.call('GET', '/v1/billing/invoices/WD-2026-999999')).status).toBe(404);
    expect((await h.call('GET', '/v1/billing/invoices?month=2026-13')).status).toBe(400);
  });

  it('has the database refuse to change or delete an issued invoice or what it billed', async () => {
    await expect(sql`update issued_invoices set total_minor = 0`.execute(h.db)).rejects.toThrow(/issued invoices never change/);
    await expect(sql`delete from issued_invoices`.execute(h.db)).rejects.toThrow(/issued invoices never change/);
    await expect(sql`update invoice_billed_items set amount_minor = 0`.execute(h.db)).rejects.toThrow(/issued invoices never change/);
    await expect(sql`delete from invoice_billed_items`.execute(h.db)).rejects.toThrow(/issued invoices never change/);
    await expect(sql`truncate issued_invoices`.execute(h.db)).rejects.toThrow(/issued invoices never change/);
    const n = await sql<{ n: number }>`select count(*)::int as n from issued_invoices`.execute(h.db);
    expect(n.rows[0]!.n).toBe(2);
  });
});
