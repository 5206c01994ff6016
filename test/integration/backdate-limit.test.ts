import { afterAll, describe, expect, it } from 'vitest';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** BACKDATE_MAX_DAYS (default 62) bounds effectiveAt; upstream, a back-dated change says how Webex bills it. */
describe(`back-dating limits on ${testDbKind()}`, () => {
  const open: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const o of open.reverse()) await o.close();
  });
  const harness = async (env: Record<string, string> = {}) => {
    const h = await createTestHarness({ start: '2026-06-15T12:00:00Z', env });
    open.push(h);
    return h;
  };
  const customerOf = async (h: TestHarness, externalId: string) =>
    provisionCustomer(
      h,
      customerBody(await defaultTemplateId(h), {
        externalId,
        effectiveAt: '2026-04-01T00:00:00Z',
        customerInfo: { name: externalId, primaryEmail: `it@${externalId}.example` },
      }),
    );

  it('refuses a change dated more than 62 days back by default, naming the limit and the earliest instant', async () => {
    const h = await harness();
    const tooOld = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(await defaultTemplateId(h), { externalId: 'old', effectiveAt: '2026-04-01T00:00:00Z' }),
    );
    expect(tooOld.status).toBe(400);
    const body = (await tooOld.json()) as Body;
    expect(body.errors).toEqual([{ errorCode: 2052, description: expect.stringContaining('more than 62 days back') }]);
    expect(body.message).toContain('2026-04-14T12:00:00.000Z');
    expect(body.message).toContain('BACKDATE_MAX_DAYS');
    const c = await provisionCustomer(
      h,
      customerBody(await defaultTemplateId(h), { externalId: 'recent', effectiveAt: '2026-04-14T12:00:00Z' }),
    );
    const sub = await addSubscriber(h, c.id, 'a@recent.example', 'webex_meetings', { effectiveAt: '2026-04-20T00:00:00Z' });
    const del = await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}?effectiveAt=2026-04-14T11:59:59Z`);
    expect(del.status).toBe(400);
    expect(((await del.json()) as Body).errors.map((e: Body) => e.errorCode)).toEqual([2052]);
    const ok = await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}?effectiveAt=2026-05-01T00:00:00Z`);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('warning')).toBeNull();
  });

  it('takes the limit from BACKDATE_MAX_DAYS', async () => {
    const h = await harness({ BACKDATE_MAX_DAYS: '90' });
    const c = await customerOf(h, 'ninety');
    const early = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: c.id,
      email: 'b@ninety.example',
      packages: ['webex_meetings'],
      provisioningParameters: { firstName: 'B', lastName: 'C' },
      effectiveAt: '2026-03-01T00:00:00Z',
    });
    expect(early.status).toBe(400);
    expect(((await early.json()) as Body).errors).toEqual([
      { errorCode: 2052, description: expect.stringContaining('more than 90 days back') },
    ]);
  });

  it('upstream: accepts a back-dated change and explains that Webex bills from the real time', async () => {
    const fake: FakeWebexWholesale = await startFakeWebexWholesale({ settleMs: 0 });
    open.push(fake);
    const h = await harness({ WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: 'fake-wholesale-partner-admin-token-0001' });
    const c = await h.call('POST', '/v1/wholesale/customers', customerBody(await defaultTemplateId(h), { externalId: 'up-1' }));
    expect(c.status).toBe(202);
    const path = new URL(c.headers.get('location')!).pathname;
    for (let i = 0; i < 50 && (await (await h.call('GET', path)).json()).status !== 'provisioned'; i++) {
      await h.worker.drain();
      h.clock.advance(60_000);
    }
    const customer = await (await h.call('GET', path)).json();
    expect(customer.status).toBe('provisioned');
    h.clock.advance(5 * 86_400_000);
    const sub = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: customer.id,
      email: 'ann@up.example',
      packages: ['webex_meetings'],
      provisioningParameters: { firstName: 'Ann', lastName: 'Up' },
      effectiveAt: new Date(h.clock.now().getTime() - 3 * 86_400_000).toISOString(),
    });
    expect(sub.status, await sub.clone().text()).toBe(200);
    expect(sub.headers.get('warning')).toMatch(/^299 wholesale-desk ".*Webex Wholesale bills it from when it received it.*reconciled.*"$/);
    const now = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: customer.id,
      email: 'bob@up.example',
      packages: ['webex_meetings'],
      provisioningParameters: { firstName: 'Bob', lastName: 'Up' },
    });
    expect(now.status).toBe(200);
    expect(now.headers.get('warning')).toBeNull();
  });
});
