import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertReview } from '../../src/db/repositories/compliance-reviews.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

describe(`console dashboard and static assets on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-01T06:00:00Z' });
  });
  afterAll(() => h.close());

  it('shows package names, licence-days to one decimal, the average per counted day, and links customers by id', async () => {
    await h.call('PUT', '/v1/billing/price-book', {
      effectiveFrom: '2026-01-01',
      currency: 'USD',
      items: [{ package: 'webex_meetings', monthlyPrice: 1500 }],
    });
    const c = await provisionCustomer(h, customerBody(await defaultTemplateId(h), { externalId: 'dash-1' }));
    await addSubscriber(h, c.id, 'ann@dash.example', 'webex_meetings');
    await addSubscriber(h, c.id, 'bob@dash.example', 'webex_meetings');
    h.clock.set('2026-06-04T12:00:00Z');
    const d = await (await h.call('GET', '/v1/console/dashboard')).json();
    expect(d.billingThisMonth).toMatchObject({ month: '2026-06', provisional: true, through: '2026-06-03', currency: 'USD' });
    const meetings = d.billingThisMonth.packageSummaries.find((p: Body) => p.package === 'webex_meetings');
    // Two people from 06:00 on the 1st to the end of the 3rd: 2 × 2.75 = 5.5 licence-days over 3 days.
    expect(meetings).toMatchObject({ name: 'Webex Meetings', licenceDays: 5.5, averageLicences: 1.8 });
    // 5.5 licence-days ÷ 30 days × 15.00 = 2.75, the same amount as the raw package line.
    expect(meetings.amountMinor).toBe(275);
    expect(d.billingThisMonth.packages.find((p: Body) => p.package === 'webex_meetings').amountMinor).toBe(275);
    for (const p of d.billingThisMonth.packageSummaries) expect(String(p.licenceDays)).toMatch(/^\d+(\.\d)?$/);
    expect(d.recentCustomers[0]).toMatchObject({ id: c.id, externalId: 'dash-1' });
  });

  it('marks a review whose deadline has passed as overdue', async () => {
    const c = (await h.db.selectFrom('customers').select(['id', 'partner_id']).executeTakeFirstOrThrow()) as {
      id: string;
      partner_id: string;
    };
    // A review opened on the 2nd with a deadline on the 3rd (as screening opens them, via the repository).
    await insertReview(h.db, {
      id: crypto.randomUUID(),
      customer_id: c.id,
      partner_id: c.partner_id,
      kind: 'onboarding',
      status: 'open',
      matches: JSON.stringify([{ entryId: 'e1', source: 'test', matchedName: 'Dash Trading', score: 0.9 }]),
      list_version_id: null,
      opened_at: new Date('2026-06-02T00:00:00Z'),
      deadline_at: new Date('2026-06-03T00:00:00Z'),
      contacts: '[]',
      decided_at: null,
      decided_by: null,
      reason: null,
    });
    const d = await (await h.call('GET', '/v1/console/dashboard')).json();
    expect(d.reviewQueue).toEqual([expect.objectContaining({ customerId: c.id, overdue: true, topMatch: 'Dash Trading' })]);
    h.clock.set('2026-06-02T12:00:00Z');
    expect((await (await h.call('GET', '/v1/console/dashboard')).json()).reviewQueue[0].overdue).toBe(false);
  });

  it('serves versioned assets as immutable, the page and unversioned assets revalidated by ETag', async () => {
    const index = await h.app.request('/');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    const urls = [...html.matchAll(/(?:src|href)="(\/console\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) expect(url).toMatch(/\?v=[\w-]{16}$/);
    expect((await h.app.request('/', { headers: { 'if-none-match': index.headers.get('etag')! } })).status).toBe(304);

    const appJs = urls.find((u) => u.startsWith('/console/app.js'))!;
    const versioned = await h.app.request(appJs);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(versioned.headers.get('content-security-policy')).toContain("script-src 'self'");

    const plain = await h.app.request('/console/app.js');
    expect(plain.headers.get('cache-control')).toBe('no-cache');
    const etag = plain.headers.get('etag')!;
    expect(etag).toBe(versioned.headers.get('etag'));
    const again = await h.app.request('/console/app.js', { headers: { 'if-none-match': `W/${etag}` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    // A stale version is not pinned for a year: the current file, revalidated.
    const stale = await h.app.request('/console/app.js?v=0000000000000000');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('cache-control')).toBe('no-cache');
    expect((await h.app.request('/console/vendor/preact.js', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });
});
