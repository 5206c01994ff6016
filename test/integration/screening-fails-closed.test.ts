import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDailyDigest } from '../../src/bot/digest-messages.js';
import { loadDailyDigest } from '../../src/use-cases/digest-data.js';
import { addDays, toCivilDate } from '../../src/domain/calendar.js';
import { customerBody, defaultTemplateId, type Body } from '../support/api-fixtures.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { toActingPartner } from '../../src/use-cases/partner-views.js';

const LIST = readFileSync(new URL('../fixtures/screening-list.csv', import.meta.url));

/** Shared by both suites: a harness with no screening list, customers created through the API. */
function screeningSuite(env: Record<string, string>) {
  const s = {} as {
    h: TestHarness;
    templateId: string;
    upload(): Promise<Response>;
    get(id: string): Promise<Body>;
    create(extra: Body & { country?: string }): Promise<Body>;
    reviewsOf(customerId: string): Promise<Body[]>;
    actions(id: string): Promise<string[]>;
  };
  let seq = 0;
  beforeAll(async () => {
    s.h = await createTestHarness({ start: '2026-06-15T12:00:00Z', screeningList: false, env });
    s.templateId = await defaultTemplateId(s.h);
  });
  afterAll(() => s.h.close());
  s.upload = () =>
    Promise.resolve(
      s.h.app.request('/v1/compliance/screening-list', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
        body: LIST,
      }),
    );
  s.get = async (id) => (await s.h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(id)}`)).json();
  s.create = async (extra) => {
    const { country = 'AE', ...rest } = extra;
    const res = await s.h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(s.templateId, {
        externalId: `fc-${++seq}`,
        packages: ['webex_meetings'],
        provisioningParameters: undefined,
        address: { addressLine1: '1 Harbour Road', city: 'Somewhere', country },
        ...rest,
      }),
    );
    expect(res.status, await res.clone().text()).toBe(202);
    await s.h.worker.drain();
    return s.get(decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!));
  };
  s.reviewsOf = async (customerId) =>
    (await (await s.h.call('GET', `/v1/compliance/reviews?customerId=${encodeURIComponent(customerId)}`)).json()).items as Body[];
  s.actions = async (id) =>
    (await s.h.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute()).map((a) => a.action);
  return s;
}

describe(`screening fails closed on ${testDbKind()}`, () => {
  const s = screeningSuite({});

  it('holds new customers, named or attached without a name, in a no_list review that says what to do; a list load screens and releases them', async () => {
    const plain = await s.create({ customerInfo: { name: 'Maple Leaf Accounting', primaryEmail: 'a1@fc.example' }, country: 'DE' });
    const listed = await s.create({ customerInfo: { name: 'Orion Maritime Trading LLC', primaryEmail: 'a2@fc.example' } });
    const nameless = await s.create({ orgId: 'ORG-ATTACHED-FC', customerInfo: undefined, externalId: 'fc-attached' });
    for (const c of [plain, listed, nameless]) {
      expect(c.status).toBe('pending_rpl_review');
      const [review] = await s.reviewsOf(c.id);
      expect(review).toMatchObject({ kind: 'no_list', status: 'open', matches: [] });
      expect(review!.reason).toMatch(
        /^no screening list loaded: the root partner loads the restricted-party list \(POST \/v1\/compliance\/screening-list\)/,
      );
    }
    // Nothing to approve: only a list (or a rejection) ends the hold.
    const [review] = await s.reviewsOf(plain.id);
    const approve = await s.h.call('POST', `/v1/compliance/reviews/${review!.id}/approve`, {});
    expect(approve.status).toBe(409);
    expect((await approve.json()).errors[0].errorCode).toBe(3111);
    const queue = (await (await s.h.call('GET', '/v1/console/dashboard')).json()) as Body;
    expect(queue.reviewQueue.map((r: Body) => r.kind)).toEqual(['no_list', 'no_list', 'no_list']);
    expect(queue.screening).toMatchObject({ list: 'none', required: true, unscreenedCustomers: 0 });
    expect(queue.screening.warning).toMatch(/^no screening list loaded: new customers wait in pending_rpl_review/);
    expect(await (await s.h.call('GET', '/readyz')).json()).toMatchObject({ status: 'ready', screening: { list: 'none', required: true } });

    expect((await s.upload()).status).toBe(201);
    await s.h.worker.drain();
    expect(await s.get(plain.id)).toMatchObject({ status: 'provisioned', warnings: [] });
    expect(await s.actions(plain.id)).toEqual(expect.arrayContaining(['screening.unavailable', 'screening.clear', 'customer.provisioned']));
    // Screened at release: the listed one is held for its hit, the nameless one for its name.
    expect((await s.get(listed.id)).status).toBe('pending_rpl_review');
    expect((await s.reviewsOf(listed.id)).map((r) => [r.kind, r.status])).toEqual(
      expect.arrayContaining([
        ['no_list', 'approved'],
        ['onboarding', 'open'],
      ]),
    );
    expect((await s.reviewsOf(nameless.id)).map((r) => [r.kind, r.status])).toEqual(
      expect.arrayContaining([
        ['no_list', 'approved'],
        ['name_missing', 'open'],
      ]),
    );
    const after = (await (await s.h.call('GET', '/v1/console/dashboard')).json()) as Body;
    expect(after.screening).toMatchObject({ list: 'loaded', warning: null });
  });
});

describe(`screening not required (SCREENING_REQUIRED=false) on ${testDbKind()}`, () => {
  const s = screeningSuite({ SCREENING_REQUIRED: 'false' });

  it('provisions without a list, warned on the customer, in /readyz, the dashboard and the digest; a list load screens them', async () => {
    const plain = await s.create({ customerInfo: { name: 'Maple Leaf Accounting', primaryEmail: 'b1@fc.example' }, country: 'DE' });
    const listed = await s.create({ customerInfo: { name: 'Orion Maritime Trading LLC', primaryEmail: 'b2@fc.example' } });
    for (const c of [plain, listed]) {
      expect(c.status).toBe('provisioned');
      expect(c.warnings).toEqual([
        { errorCode: 3110, description: expect.stringMatching(/^provisioned without restricted-party screening/) },
      ]);
    }
    const ready = (await (await s.h.call('GET', '/readyz')).json()) as Body;
    expect(ready.screening).toMatchObject({ list: 'none', required: false });
    expect(ready.screening.warning).toMatch(
      /new customers are provisioned without restricted-party screening \(SCREENING_REQUIRED=false\)/,
    );
    const dashboard = (await (await s.h.call('GET', '/v1/console/dashboard')).json()) as Body;
    expect(dashboard.screening).toMatchObject({ list: 'none', required: false, unscreenedCustomers: 2 });
    expect(dashboard.screening.warning).toMatch(/2 customer\(s\) provisioned without screening/);
    const partner = toActingPartner(
      await s.h.db.selectFrom('partners').selectAll().where('id', '=', s.h.partnerId).executeTakeFirstOrThrow(),
    );
    const day = addDays(toCivilDate(s.h.clock.now()), 0);
    const digest = formatDailyDigest(await loadDailyDigest(s.h.db, partner, day, new Date(s.h.clock.now().getTime() + 86_400_000)));
    expect(JSON.stringify(digest)).toMatch(/\*\*Screening\*\*: no restricted-party list loaded.*2 customers provisioned without screening/);

    expect((await s.upload()).status).toBe(201);
    await s.h.worker.drain();
    expect(await s.get(plain.id)).toMatchObject({ status: 'provisioned', warnings: [] });
    // Never screened before: the load screens it, and its hit is flagged for review.
    expect((await s.get(listed.id)).warnings).toEqual([]);
    expect((await s.reviewsOf(listed.id)).map((r) => [r.kind, r.status])).toEqual([['list_reload', 'open']]);
    expect(await s.actions(listed.id)).toContain('screening.hit');
    expect(((await (await s.h.call('GET', '/v1/console/dashboard')).json()) as Body).screening).toMatchObject({
      list: 'loaded',
      unscreenedCustomers: 0,
      warning: null,
    });
  });
});
