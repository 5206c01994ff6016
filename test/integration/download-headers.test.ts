import { parse } from 'content-disposition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** File downloads named from user data, and the headers every API answer carries. */
describe(`download headers on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  it.each([
    ['a quote and a second filename* in the externalId', `a"; filename*=UTF-8''evil.html; x="`],
    ['a non-Latin-1 externalId', '東京-クリニック'],
  ])('names the invoice CSV exactly for %s, with one filename and no injected parameter', async (_what, externalId) => {
    const customer = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId,
        customerInfo: { name: `Co ${externalId.length}`, primaryEmail: `admin${externalId.length}@dl.example` },
      }),
    );
    const res = await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(customer.id)}&month=2026-05`, undefined, {
      headers: { accept: 'text/csv' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const header = res.headers.get('content-disposition')!;
    const parsed = parse(header);
    expect(parsed.type).toBe('attachment');
    // Exactly the two parameters RFC 6266 defines for it: the fallback and its RFC 8187 form.
    expect(Object.keys(parsed.parameters).sort()).toEqual(['filename', 'filename*']);
    expect(parsed.parameters.filename).toBe(`invoice-${externalId}-2026-05.csv`);
    // The ASCII fallback holds nothing a naive parser could split on.
    expect(/filename="?([^";]*)/.exec(header)![1]).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('neutralises spreadsheet formulas in report and invoice CSVs (an externalId and a SKU that start with = or @)', async () => {
    const externalId = '=HYPERLINK("http://evil.example","open")';
    const customer = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId,
        customerInfo: { name: 'Formula Co', primaryEmail: 'it@formula.example' },
        effectiveAt: '2026-05-01T00:00:00Z',
      }),
    );
    await addSubscriber(h, customer.id, 'f@formula.example', 'webex_meetings', { effectiveAt: '2026-05-01T00:00:00Z' });
    expect(
      (
        await h.call('PUT', '/v1/billing/price-book', {
          effectiveFrom: '2026-05-01',
          currency: 'USD',
          items: [{ package: 'webex_meetings', monthlyPrice: 800, sku: '@SUM(A1:A9)' }],
        })
      ).status,
    ).toBe(200);

    const created = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-05-01',
      billingEndDate: '2026-05-31',
      type: 'USER',
    });
    expect(created.status).toBe(200);
    await h.worker.drain();
    const report = await (await h.call('GET', `/v1/wholesale/billing/reports/${(await created.json()).id}`)).json();
    const url = new URL(report.tempDownloadURL);
    const rows = parseCsv(await (await h.call('GET', `${url.pathname}${url.search}`, undefined, { token: null })).text());
    expect(rows.map((r) => r.CUSTOMER_EXTERNAL_ID)).toContain(`'${externalId}`);
    expect(rows.map((r) => r.CUSTOMER_EXTERNAL_ID)).not.toContain(externalId);

    const invoice = parseCsv(
      await (
        await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(customer.id)}&month=2026-05`, undefined, {
          headers: { accept: 'text/csv' },
        })
      ).text(),
    );
    expect(JSON.stringify(invoice)).toContain("'@SUM(A1:A9)");
    expect(JSON.stringify(invoice)).not.toMatch(/"@SUM/);
  });

  it('answers API JSON with nosniff and no-store', async () => {
    const res = await h.call('GET', '/v1/wholesale/customers');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
