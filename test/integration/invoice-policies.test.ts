import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleMessage } from '../../src/bot/handle-message.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/**
 * November 2026 (30 days) for one customer, lived through on the test clock (no back-dating):
 * calling: s1 all month, s3 removed on the 11th (10 days), s4 until noon on the 20th (19.5 days),
 *   59.5 licence-days, average 1.9833, rounded up 2, peak 3 (the 1st to the 10th);
 * meetings: s4 from noon on the 20th (10.5), s5 until noon on the 10th (9.5), s6 from then (20.5),
 *   s2 from the 16th (15), 55.5 licence-days, average 1.85, rounded up 2, peak 3 (the 20th on).
 * Calling costs 30.00 a month (1.00 a licence-day), meetings 15.00 (0.50).
 */
describe(`invoice policies on ${testDbKind()}`, () => {
  let h: TestHarness;
  let customer: Body;
  const subs: Record<string, Body> = {};

  const addSub = async (key: string, pkg: string) => {
    const res = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: customer.id,
      email: `${key}@policy.example`,
      packages: [pkg],
      provisioningParameters: { firstName: key, lastName: 'Test', extension: String(4000 + Object.keys(subs).length) },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await h.worker.drain();
    subs[key] = await res.json();
  };
  const remove = async (key: string) => {
    expect((await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(subs[key]!.id)}`)).status).toBe(204);
    await h.worker.drain();
  };
  const priceBook = async (calling: string, meetings: string) => {
    const res = await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-10-01',
      currency: 'USD',
      items: [
        { package: 'webex_calling', monthlyPrice: 3000, policy: calling },
        { package: 'webex_meetings', monthlyPrice: 1500, policy: meetings },
      ],
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const invoice = async () => {
    const res = await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(customer.id)}&month=2026-11`);
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-10-20T00:00:00Z' });
    const templateId = await defaultTemplateId(h);
    customer = await provisionCustomer(h, customerBody(templateId, { externalId: 'oak' }));
    await addSub('s1', 'webex_calling');
    await addSub('s3', 'webex_calling');
    await addSub('s4', 'webex_calling');
    await addSub('s5', 'webex_meetings');
    h.clock.set('2026-11-10T12:00:00Z');
    await remove('s5');
    await addSub('s6', 'webex_meetings');
    h.clock.set('2026-11-11T00:00:00Z');
    await remove('s3');
    h.clock.set('2026-11-16T00:00:00Z');
    await addSub('s2', 'webex_meetings');
    h.clock.set('2026-11-20T12:00:00Z');
    const change = await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(subs.s4!.id)}`, { packages: ['webex_meetings'] });
    expect(change.status, await change.clone().text()).toBe(200);
    await h.worker.drain();
    h.clock.set('2026-12-05T09:00:00Z');
  });
  afterAll(() => h.close());

  it.each([
    ['prorated', 'prorated', ['59.5', '55.5'], ['59.50', '27.75'], '87.25'],
    ['average_rounded_up', 'average_rounded_up', ['2', '2'], ['60.00', '30.00'], '90.00'],
    ['peak', 'peak', ['3', '3'], ['90.00', '45.00'], '135.00'],
    ['peak', 'average_rounded_up', ['3', '2'], ['90.00', '30.00'], '120.00'],
  ])('calling %s, meetings %s', async (calling, meetings, quantities, amounts, total) => {
    await priceBook(calling, meetings);
    const inv = await invoice();
    expect(inv.lines.map((l: Body) => [l.package, l.policy, l.quantity, l.amount])).toEqual([
      ['webex_calling', calling, quantities[0], amounts[0]],
      ['webex_meetings', meetings, quantities[1], amounts[1]],
    ]);
    // Whatever the rule, each line shows the month's figures side by side.
    expect(inv.lines.map((l: Body) => [l.proratedQuantity, l.averageDailyLicences, l.averageRoundedUp, l.peakLicences])).toEqual([
      ['59.5', '1.9833', 2, 3],
      ['55.5', '1.85', 2, 3],
    ]);
    // The console shows each line's arithmetic: the ÷ 30 days and the rule are visible, not implied.
    expect(inv.lines[0].arithmetic).toMatch(
      calling === 'prorated'
        ? /^59\.5 licence-days ÷ 30 days ≈ 1\.9833 × 30\.00 = 59\.50 USD$/
        : /\(policy: (peak|average rounded up), not prorated\)$/,
    );
    expect(inv.total).toBe(total);

    const csv = await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(customer.id)}&month=2026-11`, undefined, {
      headers: { accept: 'text/csv' },
    });
    const rows = parseCsv(await csv.text());
    expect(rows.slice(0, 2).map((r) => [r.SERVICE_NAME, r.POLICY, r.QUANTITY, r.AMOUNT, r.AVERAGE_ROUNDED_UP, r.PEAK_LICENCES])).toEqual([
      ['WEBEX_CALLING', calling, quantities[0], amounts[0], '2', '3'],
      ['WEBEX_MEETINGS', meetings, quantities[1], amounts[1], '2', '3'],
    ]);
    expect(rows.at(-1)).toMatchObject({ SERVICE_NAME: 'TOTAL', AMOUNT: total });

    // The monthly digest charges what the invoices charge.
    const digest = await handleMessage(
      {
        useCases: h.useCases,
        actor: { partner: (await loadRootPartner(h.db))!, label: 'staff:viewer@partner.example', role: 'viewer' },
        spaceId: 'space-p',
        deps: { now: h.clock.now(), uuid: nodeIds.uuid },
      },
      'digest now monthly',
      pino({ level: 'silent' }),
    );
    expect(digest.markdown).toContain(`Webex Calling: 59.5 daily units → ${amounts[0]} USD`);
    expect(digest.markdown).toContain(`Total charges: **${total} USD**`);
  });

  it('the price book shows each package’s policy', async () => {
    const book = await (await h.call('GET', '/v1/billing/price-book')).json();
    expect(book.versions[0].items.map((i: Body) => [i.package, i.policy])).toEqual([
      ['webex_calling', 'peak'],
      ['webex_meetings', 'average_rounded_up'],
    ]);
    const bad = await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-10-01',
      currency: 'USD',
      items: [{ package: 'webex_calling', monthlyPrice: 3000, policy: 'rounded' }],
    });
    expect(bad.status).toBe(400);
  });
});
