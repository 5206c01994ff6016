import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const firstError = async (res: Response) => ((await res.json()) as { errors: { description: string }[] }).errors[0]?.description;

describe(`billing dates sent as date-times, on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-12-01T09:00:00Z' });
  });
  afterAll(() => h.close());

  it('takes a date-time at exactly midnight UTC for the date, as client libraries send it', async () => {
    for (const [start, end] of [
      ['2026-11-29T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
      ['2026-11-27T00:00:00Z', '2026-11-28T00:00:00Z'],
    ] as const) {
      const res = await h.call('POST', '/v1/wholesale/billing/reports', { billingStartDate: start, billingEndDate: end });
      expect(res.status, await res.clone().text()).toBe(200);
      const created = await res.json();
      expect([created.billingStartDate, created.billingEndDate]).toEqual([start.slice(0, 10), end.slice(0, 10)]);
    }
    const listed = await (await h.call('GET', '/v1/wholesale/billing/reports?billingStartDate=2026-11-29T00:00:00.000Z')).json();
    expect(listed.items.map((r: { billingStartDate: string }) => r.billingStartDate)).toEqual(['2026-11-29']);
  });

  it('refuses any other time of day with a message that says it is not midnight UTC', async () => {
    const res = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-11-29T10:00:00Z',
      billingEndDate: '2026-11-30T00:00:00+02:00',
    });
    expect(res.status).toBe(400);
    const { errors } = (await res.json()) as { errors: { description: string }[] };
    expect(errors.map((e) => e.description)).toEqual([
      expect.stringMatching(/^billingStartDate: .*2026-11-29T10:00:00Z is not midnight UTC.*send 2026-11-29/),
      expect.stringMatching(/^billingEndDate: .*is not midnight UTC/),
    ]);
    const query = await h.call('GET', '/v1/wholesale/billing/reports?billingEndDate=2026-11-30T12:00:00Z');
    expect(query.status).toBe(400);
    expect(await firstError(query)).toMatch(/not midnight UTC/);
  });

  it('still refuses what is not a date at all, saying which forms it takes', async () => {
    const res = await h.call('GET', '/v1/wholesale/billing/reports?billingStartDate=29.11.2026');
    expect(res.status).toBe(400);
    expect(await firstError(res)).toBe('billingStartDate: must be a date, YYYY-MM-DD (or that date at midnight UTC, YYYY-MM-DDT00:00:00Z)');
  });

  it('takes the midnight form for a reconciliation period too', async () => {
    const csv =
      'PARTNER_NAME,PARTNER_ORG_ID,SUBSCRIPTION_ID,SERVICE_NAME,SKU,DESCRIPTION,CONSUMPTION_START_DATE,CONSUMPTION_END_DATE,QUANTITY\r\n';
    const at = '?billingStartDate=2026-11-01T00:00:00Z&billingEndDate=2026-11-30T00:00:00.000Z';
    const res = await h.app.request(`/v1/billing/reconciliations${at}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/csv' },
      body: csv,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).billingStartDate).toBe('2026-11-01');
    const late = await h.app.request('/v1/billing/reconciliations?billingStartDate=2026-11-01T00:30:00Z&billingEndDate=2026-11-30', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/csv' },
      body: csv,
    });
    expect(late.status).toBe(400);
    expect(await firstError(late)).toMatch(/not midnight UTC/);
  });
});
