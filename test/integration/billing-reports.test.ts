import { signDownload } from '../../src/platform/download-signature.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { parseCsv, toUnits } from '../support/csv.js';

/** Back-dated usage through the API, then the three report levels, downloaded and cross-checked. */
describe(`billing reports on ${testDbKind()}`, () => {
  let h: TestHarness;
  let alder: Body;
  let birch: Body;
  const subs: Record<string, Body> = {};

  const addSub = async (key: string, customerId: string, pkg: string, effectiveAt: string) => {
    const res = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId,
      email: `${key}@billing.example`,
      packages: [pkg],
      provisioningParameters: { firstName: key, lastName: 'Billing', extension: String(2000 + Object.keys(subs).length) },
      effectiveAt,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    subs[key] = await res.json();
  };

  beforeAll(async () => {
    // The ledger here reaches back to April, past the default back-dating limit of 62 days.
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z', env: { BACKDATE_MAX_DAYS: '400' } });
    await h.db
      .updateTable('partners')
      .set({ settings: JSON.stringify({ enable_wholesale_delayed_billing: true }) })
      .where('id', '=', h.partnerId)
      .execute();
    const templateId = await defaultTemplateId(h);
    alder = await provisionCustomer(h, customerBody(templateId, { externalId: 'alder', effectiveAt: '2026-04-01T00:00:00Z' }));
    birch = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'birch',
        customerInfo: { name: 'Birch, "The" Bakery', primaryEmail: 'owner@birch.example' },
        effectiveAt: '2026-05-01T00:00:00Z',
        billingStartDate: '2026-05-25',
      }),
    );
    await addSub('ann', alder.id, 'webex_calling', '2026-05-01T00:00:00Z');
    await addSub('bob', alder.id, 'webex_meetings', '2026-05-10T12:00:00Z');
    await addSub('cid', alder.id, 'webex_calling', '2026-04-15T00:00:00Z');
    await addSub('dee', alder.id, 'webex_meetings', '2026-05-31T16:00:00Z');
    await addSub('eve', birch.id, 'webex_meetings', '2026-05-01T00:00:00Z');
    await addSub('fay', birch.id, 'webex_calling', '2026-05-28T00:00:00Z');
    // Out of order: the later change first, then a back-dated one that slots in before it.
    expect(
      (
        await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(subs.bob!.id)}`, {
          packages: ['webex_calling'],
          effectiveAt: '2026-05-20T06:00:00Z',
        })
      ).status,
    ).toBe(200);
    expect(
      (await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(subs.cid!.id)}?effectiveAt=2026-05-05T18:00:00Z`)).status,
    ).toBe(204);
  });
  afterAll(() => h.close());

  async function generate(body: Body): Promise<Body> {
    const res = await h.call('POST', '/v1/wholesale/billing/reports', body);
    expect(res.status, await res.clone().text()).toBe(200);
    const id = (await res.json()).id;
    expect((await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json()).status).toBe('IN_PROGRESS');
    await h.worker.drain();
    return (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json();
  }

  async function download(url: string): Promise<Response> {
    const u = new URL(url);
    return h.call('GET', `${u.pathname}${u.search}`, undefined, { token: null });
  }

  it('generates PARTNER, CUSTOMER and USER reports whose totals agree exactly', async () => {
    const reports: Record<string, Record<string, string>[]> = {};
    const texts: Record<string, string> = {};
    for (const type of ['PARTNER', 'CUSTOMER', 'USER']) {
      const report = await generate({ billingStartDate: '2026-05-01', billingEndDate: '2026-05-31', type });
      expect(report).toMatchObject({
        status: 'COMPLETED',
        type,
        category: 'RECONCILIATION',
        billingStartDate: '2026-05-01',
        billingEndDate: '2026-05-31',
        errors: [],
      });
      expect(report.tempDownloadURL).toMatch(
        /^http:\/\/desk\.test\/v1\/downloads\/billing-reports\/[0-9a-f-]+\?expires=\d+&signature=[0-9a-f]{64}$/,
      );
      const res = await download(report.tempDownloadURL);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const text = await res.text();
      reports[type] = parseCsv(text);
      texts[type] = text;
      const header = text.split('\r\n')[0];
      expect(header).toBe(
        {
          PARTNER:
            'PARTNER_NAME,PARTNER_ORG_ID,SUBSCRIPTION_ID,SERVICE_NAME,SKU,DESCRIPTION,CONSUMPTION_START_DATE,CONSUMPTION_END_DATE,QUANTITY',
          CUSTOMER:
            'PARTNER_NAME,PARTNER_ORG_ID,SUBSCRIPTION_ID,SERVICE_NAME,SKU,DESCRIPTION,CONSUMPTION_START_DATE,CONSUMPTION_END_DATE,QUANTITY,CUSTOMER_ORG_ID,CUSTOMER_EXTERNAL_ID,LOCATION_ID',
          // The guide's field table order (L28112–28224): LOCATION_ID last, after WORKSPACE_ID.
          USER: 'PARTNER_NAME,PARTNER_ORG_ID,SUBSCRIPTION_ID,SERVICE_NAME,SKU,DESCRIPTION,CONSUMPTION_START_DATE,CONSUMPTION_END_DATE,QUANTITY,CUSTOMER_ORG_ID,CUSTOMER_EXTERNAL_ID,SUBSCRIBER_ID,USER_ID,WORKSPACE_ID,LOCATION_ID',
        }[type],
      );
    }

    const user = reports.USER!;
    const q = (key: string, pkg: string) => user.find((r) => r.SUBSCRIBER_ID === subs[key]!.id && r.SERVICE_NAME === pkg)?.QUANTITY;
    expect(q('ann', 'WEBEX_CALLING')).toBe('31');
    expect(q('bob', 'WEBEX_MEETINGS')).toBe('9.75');
    expect(q('bob', 'WEBEX_CALLING')).toBe('11.75');
    expect(q('cid', 'WEBEX_CALLING')).toBe('4.75');
    expect(q('dee', 'WEBEX_MEETINGS')).toBe('0.3333');
    expect(q('eve', 'WEBEX_MEETINGS')).toBe('7');
    expect(q('fay', 'WEBEX_CALLING')).toBe('4');
    expect(user).toHaveLength(7);
    const bobMeetings = user.find((r) => r.SUBSCRIBER_ID === subs.bob!.id && r.SERVICE_NAME === 'WEBEX_MEETINGS')!;
    expect(bobMeetings).toMatchObject({
      CONSUMPTION_START_DATE: '2026-05-10',
      CONSUMPTION_END_DATE: '2026-05-20',
      SKU: 'WHSL-WEBEX-MEETINGS',
      DESCRIPTION: 'Webex Meetings',
      CUSTOMER_EXTERNAL_ID: 'alder',
      SUBSCRIBER_ID: subs.bob!.id,
      USER_ID: subs.bob!.personId,
      WORKSPACE_ID: '',
    });
    // Read by position, as a parser written to the guide does: LOCATION_ID is the 15th field.
    const bobLine = texts.USER!.split('\r\n').find((l) => l.includes(subs.bob!.id) && l.includes('WEBEX_MEETINGS'))!;
    expect(bobLine.split(',').slice(11)).toEqual([subs.bob!.id, subs.bob!.personId, '', bobMeetings.LOCATION_ID]);
    expect(bobMeetings.LOCATION_ID).toMatch(/\S/);
    expect(bobMeetings.PARTNER_NAME).toBe('Test Partner');

    const sum = (rows: Record<string, string>[]) => rows.reduce((a, r) => a + toUnits(r.QUANTITY!), 0);
    for (const c of reports.CUSTOMER!) {
      const ofUser = user.filter((r) => r.CUSTOMER_EXTERNAL_ID === c.CUSTOMER_EXTERNAL_ID && r.SERVICE_NAME === c.SERVICE_NAME);
      expect(toUnits(c.QUANTITY!), `${c.CUSTOMER_EXTERNAL_ID} ${c.SERVICE_NAME}`).toBe(sum(ofUser));
      expect(c.LOCATION_ID).toBeTruthy();
    }
    for (const p of reports.PARTNER!) {
      expect(toUnits(p.QUANTITY!), p.SERVICE_NAME).toBe(sum(user.filter((r) => r.SERVICE_NAME === p.SERVICE_NAME)));
    }
    expect(sum(reports.PARTNER!)).toBe(sum(user));
    expect(reports.PARTNER!.map((r) => [r.SERVICE_NAME, r.QUANTITY])).toEqual([
      ['WEBEX_CALLING', '51.5'],
      ['WEBEX_MEETINGS', '17.0833'],
    ]);
  });

  it('refuses the signed link when tampered with, after 30 minutes, and after deletion', async () => {
    const report = await (
      await h.call('GET', `/v1/wholesale/billing/reports?type=USER&billingStartDate=2026-05-01&billingEndDate=2026-05-31`)
    ).json();
    const id = report.items[0].id;
    const fresh = await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json();
    const url = new URL(fresh.tempDownloadURL);
    const sig = url.searchParams.get('signature')!;
    const tampered = [
      `${url.pathname}?expires=${Number(url.searchParams.get('expires')) + 3600}&signature=${sig}`,
      `${url.pathname}?expires=${url.searchParams.get('expires')}&signature=${sig.replace(/^./, (ch: string) => (ch === 'a' ? 'b' : 'a'))}`,
      `${url.pathname.replace(
        id,
        id.replace(/^./, (ch: string) => (ch === 'a' ? 'b' : 'a')),
      )}${url.search}`,
      `${url.pathname}?expires=${url.searchParams.get('expires')}`,
    ];
    for (const path of tampered) {
      const res = await h.call('GET', path, undefined, { token: null });
      expect(res.status, path).toBe(403);
      expect((await res.json()).errors[0].errorCode).toBe(2026);
    }
    // Signed with the real key but for ten years: no link is ever issued for longer than 30 minutes.
    const tenYears = Math.floor(h.clock.now().getTime() / 1000) + 10 * 365 * 86_400;
    const forever = await h.call(
      'GET',
      `${url.pathname}?expires=${tenYears}&signature=${signDownload(h.downloadSecret, id, tenYears)}`,
      undefined,
      { token: null },
    );
    expect(forever.status).toBe(403);
    expect((await forever.json()).errors[0].errorCode).toBe(2026);
    h.clock.advance(29 * 60_000);
    expect((await download(fresh.tempDownloadURL)).status).toBe(200);
    h.clock.advance(2 * 60_000);
    const expired = await download(fresh.tempDownloadURL);
    expect(expired.status).toBe(403);
    expect((await expired.json()).errors[0].errorCode).toBe(2027);

    const again = await (await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).json();
    expect((await download(again.tempDownloadURL)).status).toBe(200);
    expect((await h.call('DELETE', `/v1/wholesale/billing/reports/${id}`)).status).toBe(204);
    expect((await download(again.tempDownloadURL)).status).toBe(404);
    expect((await h.call('GET', `/v1/wholesale/billing/reports/${id}`)).status).toBe(404);
  });

  it('409 for a second completed report of the same period, until the first is deleted', async () => {
    const dup = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-05-01',
      billingEndDate: '2026-05-31',
      type: 'PARTNER',
    });
    expect(dup.status).toBe(409);
    expect((await dup.json()).errors[0].errorCode).toBe(2025);
    // A different period is a different report; a second request while it runs returns the same one.
    const a = await (
      await h.call('POST', '/v1/wholesale/billing/reports', {
        billingStartDate: '2026-05-01',
        billingEndDate: '2026-05-15',
        type: 'PARTNER',
      })
    ).json();
    const b = await (
      await h.call('POST', '/v1/wholesale/billing/reports', {
        billingStartDate: '2026-05-01',
        billingEndDate: '2026-05-15',
        type: 'PARTNER',
      })
    ).json();
    expect(b.id).toBe(a.id);
    await h.worker.drain();
  });

  it("lists each completed report with its working download link, so a list needs no request per report (the console's)", async () => {
    const { items } = await (await h.call('GET', '/v1/wholesale/billing/reports?status=COMPLETED')).json();
    expect(items.length).toBeGreaterThanOrEqual(1);
    for (const item of items) {
      expect(item.tempDownloadURL).toMatch(
        /^http:\/\/desk\.test\/v1\/downloads\/billing-reports\/[0-9a-f-]+\?expires=\d+&signature=[0-9a-f]{64}$/,
      );
      const res = await download(item.tempDownloadURL);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
    }
  });

  it('lists with exact-match filters and validates report requests', async () => {
    const all = await (await h.call('GET', '/v1/wholesale/billing/reports')).json();
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const exact = await (await h.call('GET', '/v1/wholesale/billing/reports?billingStartDate=2026-05-01&billingEndDate=2026-05-15')).json();
    expect(exact.items).toHaveLength(1);
    expect((await (await h.call('GET', '/v1/wholesale/billing/reports?billingStartDate=2026-05-02')).json()).items).toEqual([]);
    expect((await (await h.call('GET', '/v1/wholesale/billing/reports?type=CUSTOMER&status=COMPLETED')).json()).items).toHaveLength(1);
    for (const [body, status] of [
      [{ billingStartDate: '2026-06-01', billingEndDate: '2026-06-15' }, 400],
      [{ billingStartDate: '2026-05-31', billingEndDate: '2026-05-01' }, 400],
      [{ billingStartDate: '2020-01-01', billingEndDate: '2020-01-31' }, 400],
      [{ billingStartDate: '2026-05-01', billingEndDate: '2026-05-31', type: 'ORG' }, 400],
      [{ billingStartDate: '2026-05-01', billingEndDate: '2026-05-31', subPartnerOrgId: 'nope' }, 404],
    ] as const) {
      expect((await h.call('POST', '/v1/wholesale/billing/reports', body)).status, JSON.stringify(body)).toBe(status);
    }
  });

  it('a POINT_IN_TIME report counts the allocations held at the end of its last day, per customer and package', async () => {
    const report = await generate({
      category: 'POINT_IN_TIME',
      type: 'CUSTOMER',
      billingStartDate: '2026-06-14',
      billingEndDate: '2026-06-14',
    });
    expect(report).toMatchObject({ status: 'COMPLETED', billingStartDate: '2026-06-14', billingEndDate: '2026-06-14' });
    const rows = parseCsv(await (await download(report.tempDownloadURL)).text());
    expect(rows.map((r) => [r.CUSTOMER_EXTERNAL_ID, r.SERVICE_NAME, r.QUANTITY])).toEqual([
      ['alder', 'WEBEX_CALLING', '2'],
      ['alder', 'WEBEX_MEETINGS', '1'],
      ['birch', 'WEBEX_CALLING', '1'],
      ['birch', 'WEBEX_MEETINGS', '1'],
    ]);
  });

  it('computes invoices from the versioned price book, in JSON and CSV', async () => {
    const put1 = await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-05-01',
      currency: 'USD',
      items: [
        { package: 'webex_calling', monthlyPrice: 1500, sku: 'SP-CALL' },
        { package: 'webex_meetings', monthlyPrice: 800 },
      ],
    });
    expect(put1.status).toBe(200);
    await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-05-16',
      currency: 'USD',
      items: [{ package: 'webex_calling', monthlyPrice: 3100, sku: 'SP-CALL' }],
    });
    expect(
      (
        await h.call('PUT', '/v1/billing/price-book', {
          effectiveFrom: '2026-07-01',
          currency: 'EUR',
          items: [{ package: 'webex_calling', monthlyPrice: 1 }],
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await h.call('PUT', '/v1/billing/price-book', {
          effectiveFrom: '2026-07-01',
          currency: 'USD',
          items: [{ package: 'webex_teams', monthlyPrice: 1 }],
        })
      ).status,
    ).toBe(400);
    const book = await (await h.call('GET', '/v1/billing/price-book')).json();
    expect(book.versions.map((v: Body) => v.effectiveFrom)).toEqual(['2026-05-01', '2026-05-16']);

    const res = await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(alder.id)}&month=2026-05`);
    expect(res.status).toBe(200);
    const inv = await res.json();
    // Calling, 1–15 May at 15.00: ann 15 d, bob 0, cid 4.75 d → 19.75 d × 1500 / 31 = 955.645… → 956
    // Calling, 16–31 May at 31.00: ann 16 d, bob 11.75 d → 27.75 d × 3100 / 31 = 2775
    // Meetings, 1–15 May at 8.00: bob 5.5 d → 141.93… → 142; from 16 May the price book has no meetings price.
    expect(inv.lines.map((l: Body) => [l.package, l.priceFrom, l.quantity, l.amountMinor])).toEqual([
      ['webex_calling', '2026-05-01', '19.75', 956],
      ['webex_calling', '2026-05-16', '27.75', 2775],
      ['webex_meetings', '2026-05-01', '5.5', 142],
    ]);
    expect(inv.unpriced).toEqual([{ package: 'webex_meetings', quantity: '4.5833' }]);
    expect(inv).toMatchObject({ currency: 'USD', totalMinor: 3873, total: '38.73', externalId: 'alder' });

    const csv = await (
      await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(alder.id)}&month=2026-05`, undefined, {
        headers: { accept: 'text/csv' },
      })
    ).text();
    const rows = parseCsv(csv);
    expect(rows.at(-1)).toMatchObject({ SERVICE_NAME: 'TOTAL', AMOUNT: '38.73', CURRENCY: 'USD' });
    expect(rows[0]).toMatchObject({ SKU: 'SP-CALL', QUANTITY: '19.75', MONTHLY_PRICE: '15.00', AMOUNT: '9.56' });

    // Birch's billing started on 25 May.
    const birchInv = await (await h.call('GET', `/v1/billing/invoices?customerId=${encodeURIComponent(birch.id)}&month=2026-05`)).json();
    expect(birchInv.lines.map((l: Body) => [l.package, l.quantity])).toEqual([['webex_calling', '4']]);
    expect(birchInv.unpriced).toEqual([{ package: 'webex_meetings', quantity: '7' }]);
    expect((await h.call('GET', '/v1/billing/invoices?customerId=x&month=2026-5')).status).toBe(400);
  });
});
