import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeIds } from '../../src/platform/node-ids.js';
import { enforceComplianceDeadlines } from '../../src/use-cases/compliance-reviews.js';
import { customerBody, defaultTemplateId, type Body } from '../support/api-fixtures.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const LIST = readFileSync(new URL('../fixtures/screening-list.csv', import.meta.url));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Issue #18 item 14: addresses count, nameless attached orgs are never screened on their externalId, every unresolved hit is deprovisioned. */
describe(`screening coverage on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;

  const upload = (body: Uint8Array) =>
    Promise.resolve(
      h.app.request('/v1/compliance/screening-list', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
        body,
      }),
    );
  const path = (id: string) => `/v1/wholesale/customers/${encodeURIComponent(id)}`;
  const get = async (id: string) => (await h.call('GET', path(id))).json();
  const create = async (extra: Body & { country?: string; addressLine1?: string; city?: string }) => {
    const { country = 'AE', addressLine1 = '1 Harbour Road', city = 'Somewhere', ...rest } = extra;
    const res = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, {
        externalId: `cov-${++seq}`,
        packages: ['webex_meetings'],
        provisioningParameters: undefined,
        address: { addressLine1, city, country },
        ...rest,
      }),
    );
    expect(res.status).toBe(202);
    await h.worker.drain();
    return get(decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!));
  };
  const named = (name: string, extra: Body = {}) =>
    create({ customerInfo: { name, primaryEmail: `admin${seq + 1}@cov.example` }, ...extra });
  /** An existing org attached by its id, with no name given. */
  const attached = (externalId: string, extra: Body = {}) =>
    create({ orgId: `ORG-ATTACHED-${seq + 1}`, customerInfo: undefined, externalId, ...extra });
  const reviewsOf = async (customerId: string) =>
    (await (await h.call('GET', `/v1/compliance/reviews?customerId=${encodeURIComponent(customerId)}`)).json()).items as Body[];
  const deadlines = () => enforceComplianceDeadlines(h.db, { now: h.clock.now(), uuid: nodeIds.uuid });
  const actions = async (entityId: string) =>
    (await h.db.selectFrom('audit_log').select('action').where('entity_id', '=', entityId).orderBy('id').execute()).map((a) => a.action);
  const nonCompliantSince = async (id: string) =>
    (await h.db.selectFrom('customers').select('non_compliant_since').where('id', '=', id).executeTakeFirstOrThrow()).non_compliant_since;
  const subscribe = async (customerId: string) => {
    const res = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId,
      email: `sub${++seq}@cov.example`,
      packages: ['webex_meetings'],
      provisioningParameters: { firstName: 'Test', lastName: 'User' },
    });
    expect(res.status).toBe(200);
    await h.worker.drain();
    return res.json();
  };
  const lastPackage = async (subscriberId: string) =>
    (
      await h.db
        .selectFrom('package_events')
        .select('package')
        .where('subscriber_id', '=', subscriberId)
        .orderBy('id', 'desc')
        .executeTakeFirst()
    )?.package;

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z', screeningList: false, env: { SCREENING_REQUIRED: 'false' } });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  // Runs first: no list is loaded yet, so this attached org is provisioned unscreened.
  it('a list reload does not screen a nameless attached org on its externalId; the name given later is screened', async () => {
    const c = await attached('Kestrel Avionics', { country: 'DE' });
    expect(c.status).toBe('provisioned');
    expect((await upload(LIST)).status).toBe(201);
    await h.worker.drain();
    expect(await reviewsOf(c.id)).toEqual([]);
    expect(await actions(c.id)).toContain('screening.name_missing');

    const put = await h.call('PUT', path(c.id), { packages: ['webex_meetings'], customerInfo: { name: 'Kestrel Avionics GmbH' } });
    expect(put.status).toBe(202);
    await h.worker.drain();
    expect((await get(c.id)).status).toBe('pending_rpl_review');
    const [review] = await reviewsOf(c.id);
    expect(review).toMatchObject({ kind: 'address_change', matches: [{ entryId: 'fict-1001' }] });
    expect((await h.call('POST', `/v1/compliance/reviews/${review!.id}/approve`, {})).status).toBe(200);
    // The name is given once; an org that has one keeps it.
    const again = await h.call('PUT', path(c.id), { packages: ['webex_meetings'], customerInfo: { name: 'Another Name' } });
    expect(again.status).toBe(400);
  });

  it('counts a list entry address: a shortened name at the listed address is held, the same name elsewhere is not', async () => {
    const atListed = await named('Orion Maritime', { addressLine1: '100 Fictional Ave.', city: 'Port Alder' });
    expect(atListed.status).toBe('pending_rpl_review');
    const [review] = await reviewsOf(atListed.id);
    expect(review).toMatchObject({
      kind: 'onboarding',
      matches: [{ entryId: 'fict-1000', nameScore: 0.789, score: 0.889, addressAgrees: ['street', 'city', 'country'] }],
    });
    const elsewhere = await named('Orion Maritime', { addressLine1: '7 Market Street', city: 'Elsewhere' });
    expect(elsewhere.status).toBe('provisioned');
  });

  it('holds a nameless attached org in a name_missing review, never screening its externalId; its name releases it to screening', async () => {
    // The externalId is a listed name: screening it would be a hit, and meaningless.
    const c = await attached('Orion Maritime Trading LLC');
    expect(c.status).toBe('pending_rpl_review');
    const [review] = await reviewsOf(c.id);
    expect(review).toMatchObject({ kind: 'name_missing', status: 'open', matches: [] });
    expect(new Date(review!.deadline).getTime() - h.clock.now().getTime()).toBe(72 * HOUR);
    expect(await actions(c.id)).toContain('screening.name_missing');
    expect(await actions(c.id)).not.toContain('screening.hit');

    const approve = await h.call('POST', `/v1/compliance/reviews/${review!.id}/approve`, {});
    expect(approve.status).toBe(409);
    expect((await approve.json()).errors[0].errorCode).toBe(3105);
    const withMore = await h.call('PUT', path(c.id), {
      packages: ['webex_meetings'],
      customerInfo: { name: 'Maple Leaf Accounting' },
      address: { addressLine1: '2 Other Road', city: 'Somewhere', country: 'AE' },
    });
    expect(withMore.status).toBe(409);

    const put = await h.call('PUT', path(c.id), { packages: ['webex_meetings'], customerInfo: { name: 'Maple Leaf Accounting' } });
    expect(put.status).toBe(202);
    expect((await get(c.id)).status).toBe('provisioning');
    await h.worker.drain();
    const after = await get(c.id);
    expect(after).toMatchObject({ status: 'provisioned', customerInfo: { name: 'Maple Leaf Accounting' } });
    expect(await reviewsOf(c.id)).toMatchObject([{ kind: 'name_missing', status: 'approved' }]);
    expect(await actions(c.id)).toContain('screening.clear');
  });

  it('screens the name an attached org is given: a listed name is held for review', async () => {
    const c = await attached('crm-golden', { country: 'CN' });
    const [nameReview] = await reviewsOf(c.id);
    expect(nameReview!.kind).toBe('name_missing');
    expect(
      (await h.call('PUT', path(c.id), { packages: ['webex_meetings'], customerInfo: { name: 'Golden Crane Electronics' } })).status,
    ).toBe(202);
    await h.worker.drain();
    expect((await get(c.id)).status).toBe('pending_rpl_review');
    expect((await reviewsOf(c.id)).find((r) => r.status === 'open')).toMatchObject({
      kind: 'onboarding',
      matches: [{ entryId: 'fict-1005' }],
    });
  });

  it('a nameless attached org left 72 hours expires into error, nothing provisioned', async () => {
    const c = await attached('crm-silent');
    h.clock.advance(72 * HOUR);
    expect(await deadlines()).toBeGreaterThanOrEqual(1);
    expect((await reviewsOf(c.id))[0]).toMatchObject({ kind: 'name_missing', status: 'expired' });
    expect(await get(c.id)).toMatchObject({ status: 'error', errors: [{ errorCode: 3101 }] });
  });

  it('every hit marks the customer non-compliant, and three unanswered contacts stop an onboarding hit too', async () => {
    const c = await named('Vostok Precision Instruments', { country: 'RU', addressLine1: '1 Nevsky', city: 'Somewhere' });
    expect(c.status).toBe('pending_rpl_review');
    expect(await nonCompliantSince(c.id)).toEqual(h.clock.now());
    const [review] = await reviewsOf(c.id);
    const contact = (outcome: string) => h.call('POST', `/v1/compliance/reviews/${review!.id}/contact-attempts`, { outcome });
    expect((await contact('no_answer')).status).toBe(200);
    expect((await contact('no_answer')).status).toBe(200);
    const third = await (await contact('no_answer')).json();
    expect(third).toMatchObject({ status: 'deprovisioned', unansweredContacts: 3 });
    expect(await get(c.id)).toMatchObject({ status: 'error', errors: [{ errorCode: 3102 }] });

    // Approval clears the mark.
    const cleared = await named('Sable Rock Mining', { country: 'ZW' });
    expect(await nonCompliantSince(cleared.id)).not.toBeNull();
    const [r2] = await reviewsOf(cleared.id);
    expect((await h.call('POST', `/v1/compliance/reviews/${r2!.id}/approve`, {})).status).toBe(200);
    expect(await nonCompliantSince(cleared.id)).toBeNull();
  });

  it('an address change that hits while a re-screening review is open stays under that review and its 30 days', async () => {
    const c = await named('Tamarisk Freight Forwarders');
    const sub = await subscribe(c.id);
    const reloaded = Buffer.concat([
      LIST,
      Buffer.from('fict-2000,Specially Designated Nationals (SDN) - Treasury Department,Tamarisk Freight Forwarders FZE,,,AE,FICTIONAL\n'),
    ]);
    expect((await upload(reloaded)).status).toBe(201);
    await h.worker.drain();
    const flaggedAt = h.clock.now();
    const [review] = await reviewsOf(c.id);
    expect(review).toMatchObject({ kind: 'list_reload', status: 'open' });

    h.clock.advance(DAY);
    const put = await h.call('PUT', path(c.id), {
      packages: ['webex_meetings'],
      address: { addressLine1: '5 Creek Road', city: 'Dubai', country: 'AE' },
    });
    expect(put.status).toBe(202);
    await h.worker.drain();
    expect((await get(c.id)).status).toBe('provisioned');
    expect((await reviewsOf(c.id)).filter((r) => r.status === 'open')).toHaveLength(1);
    expect(await nonCompliantSince(c.id)).toEqual(flaggedAt);

    h.clock.advance(29 * DAY);
    expect(await deadlines()).toBeGreaterThanOrEqual(1);
    expect(await get(c.id)).toMatchObject({ status: 'error' });
    expect(await lastPackage(sub.id)).toBeNull();
  });

  it('deprovisions any customer non-compliant for 30 days, with or without an open review', async () => {
    const c = await named('Maple Leaf Accounting', { country: 'NZ' });
    expect(c.status).toBe('provisioned');
    const sub = await subscribe(c.id);
    // Found non-compliant (outside a review: by an operator, or an earlier version of the desk) and never resolved.
    await h.db.updateTable('customers').set({ non_compliant_since: h.clock.now() }).where('id', '=', c.id).execute();
    h.clock.advance(30 * DAY - 1000);
    await deadlines();
    expect((await get(c.id)).status).toBe('provisioned');
    h.clock.advance(1000);
    expect(await deadlines()).toBeGreaterThanOrEqual(1);
    expect(await get(c.id)).toMatchObject({ status: 'error', errors: [{ errorCode: 3102 }] });
    expect(await lastPackage(sub.id)).toBeNull();
    expect(await actions(c.id)).toContain('compliance.deadline_deprovisioned');
  });

  it('a deadline leaves a customer deleted meanwhile as it is', async () => {
    const c = await named('Caspian Star Freight Co', { country: 'AZ' });
    const [review] = await reviewsOf(c.id);
    expect(review!.kind).toBe('onboarding');
    expect((await h.call('DELETE', path(c.id))).status).toBe(202);
    await h.worker.drain();
    const status = async () =>
      (await h.db.selectFrom('customers').select('status').where('id', '=', c.id).executeTakeFirstOrThrow()).status;
    expect(await status()).toBe('deleted');
    h.clock.advance(72 * HOUR);
    await deadlines();
    expect(await status()).toBe('deleted');
    expect((await reviewsOf(c.id))[0]!.status).toBe('expired');
  });
});
