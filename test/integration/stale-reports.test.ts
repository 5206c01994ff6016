import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** A completed report whose period changes afterwards says so, since when, and can be generated again. */
describe(`stale billing reports on ${testDbKind()}`, () => {
  let h: TestHarness;
  let sub: Body;
  let reportId: string;

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    const c = await provisionCustomer(
      h,
      customerBody(await defaultTemplateId(h), { externalId: 'stale', effectiveAt: '2026-05-01T00:00:00Z' }),
    );
    sub = await addSubscriber(h, c.id, 'a@stale.example', 'webex_meetings', { effectiveAt: '2026-05-01T00:00:00Z' });
    const res = await h.call('POST', '/v1/wholesale/billing/reports', {
      billingStartDate: '2026-05-01',
      billingEndDate: '2026-05-31',
      type: 'USER',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    reportId = (await res.json()).id;
    await h.worker.drain();
  });
  afterAll(() => h.close());

  const report = async () => (await h.call('GET', `/v1/wholesale/billing/reports/${reportId}`)).json();

  it('is not stale while nothing in its period changed', async () => {
    h.clock.set('2026-06-16T09:00:00Z');
    // A change dated after the period does not touch it.
    await addSubscriber(h, sub.customerId, 'b@stale.example', 'webex_meetings');
    expect(await report()).toMatchObject({ status: 'COMPLETED', stale: false, staleSince: null });
  });

  it('says stale, and since when, once a change dated into the period is recorded', async () => {
    h.clock.set('2026-06-17T10:00:00Z');
    const del = await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}?effectiveAt=2026-05-20T00:00:00Z`);
    expect(del.status).toBe(204);
    await h.worker.drain();
    expect(await report()).toMatchObject({ status: 'COMPLETED', stale: true, staleSince: '2026-06-17T10:00:00.000Z' });
    const list = await (await h.call('GET', '/v1/wholesale/billing/reports')).json();
    expect(list.items.find((r: Body) => r.id === reportId)).toMatchObject({ stale: true, staleSince: '2026-06-17T10:00:00.000Z' });
  });

  it('is generated again under the same id and is then current', async () => {
    h.clock.set('2026-06-17T11:00:00Z');
    const res = await h.call('POST', `/v1/wholesale/billing/reports/${reportId}/regenerate`);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).id).toBe(reportId);
    expect(await report()).toMatchObject({ status: 'IN_PROGRESS' });
    await h.worker.drain();
    expect(await report()).toMatchObject({ status: 'COMPLETED', stale: false });
    expect((await h.call('POST', '/v1/wholesale/billing/reports/nope/regenerate')).status).toBe(404);
  });
});
