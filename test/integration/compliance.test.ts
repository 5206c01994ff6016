import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforceComplianceDeadlines } from '../../src/use-cases/compliance-reviews.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { customerBody, defaultTemplateId, type Body } from '../support/api-fixtures.js';

const LIST = readFileSync(new URL('../fixtures/screening-list.csv', import.meta.url));
const HOUR = 3_600_000;

describe(`restricted-party screening on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;

  const upload = (body: Uint8Array | string, type = 'text/csv') =>
    Promise.resolve(
      h.app.request('/v1/compliance/screening-list', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': type },
        body,
      }),
    );
  const create = async (name: string, country = 'AE', extra: Body = {}) => {
    const address =
      country === 'US'
        ? { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country }
        : { addressLine1: '1 Harbour Road', city: 'Somewhere', country };
    const res = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, {
        externalId: `rpl-${++seq}`,
        packages: ['webex_meetings'],
        provisioningParameters: undefined,
        address,
        customerInfo: { name, primaryEmail: `admin${seq}@rpl.example` },
        ...extra,
      }),
    );
    expect(res.status).toBe(202);
    await h.worker.drain();
    return (await h.call('GET', new URL(res.headers.get('location')!).pathname)).json();
  };
  const reviewsOf = async (customerId: string) =>
    (await (await h.call('GET', `/v1/compliance/reviews?customerId=${encodeURIComponent(customerId)}`)).json()).items as Body[];
  const deadlines = () => enforceComplianceDeadlines(h.db, { now: h.clock.now(), uuid: nodeIds.uuid });
  const actions = async (entityId: string) =>
    (await h.db.selectFrom('audit_log').select('action').where('entity_id', '=', entityId).orderBy('id').execute()).map((a) => a.action);

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z', screeningList: false });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  it('rejects a malformed list with line numbers and keeps nothing of it', async () => {
    const missing = await upload('_id,source,name,country\nx1,SDN,Someone,US\n');
    expect(missing.status).toBe(400);
    expect((await missing.json()).message).toMatch(/line 1: missing column\(s\) alt_names, addresses/);
    const empty = await upload(
      '_id,source,name,alt_names,addresses,country\nx1,SDN,Fine Co,,,US\nx2,SDN,,,,US\nx3,SDN,Bad Country,,,USA\nx1,SDN,Dup,,,\n',
    );
    const json = await empty.json();
    expect(empty.status).toBe(400);
    expect(json.errors.map((e: Body) => e.description)).toEqual([
      'line 3: name is empty',
      'line 4: country "USA" is not an ISO 3166-1 alpha-2 code (leave it empty when unknown)',
      'line 5: _id x1 appears twice',
    ]);
    const latin1 = Buffer.concat([
      Buffer.from('_id,source,name,alt_names,addresses,country\nx1,SDN,Fine,,,\nx2,SDN,M'),
      Buffer.from([0xfc]),
      Buffer.from('ller,,,DE\n'),
    ]);
    const enc = await upload(latin1);
    expect(enc.status).toBe(400);
    expect((await enc.json()).message).toBe(
      'line 3, byte 9: not UTF-8 (0xFC); save the file as UTF-8 (in Excel: CSV UTF-8) and send it again',
    );
    expect((await upload('x', 'application/json')).status).toBe(415);
    expect(await h.db.selectFrom('screening_list_versions').selectAll().execute()).toEqual([]);
  });

  it('lets a customer with no match through', async () => {
    expect((await upload(LIST)).status).toBe(201);
    await h.worker.drain();
    const c = await create('Maple Leaf Accounting', 'US');
    expect(c.status).toBe('provisioned');
    expect(await actions(c.id)).toContain('screening.clear');
  });

  it('holds a match for review; approval continues provisioning', async () => {
    const c = await create('Orion Maritime Trading, L.L.C.');
    expect(c.status).toBe('pending_rpl_review');
    const [review] = await reviewsOf(c.id);
    expect(review).toMatchObject({
      kind: 'onboarding',
      status: 'open',
      matches: [{ entryId: 'fict-1000', matchedName: 'Orion Maritime Trading LLC' }],
    });
    expect(new Date(review!.deadline).getTime() - h.clock.now().getTime()).toBe(72 * HOUR);
    // No subscribers while under review.
    expect(
      (
        await h.call('POST', '/v1/wholesale/subscribers', {
          customerId: c.id,
          email: `x${seq}@rpl.example`,
          packages: ['webex_meetings'],
          provisioningParameters: { firstName: 'Test', lastName: 'User' },
        })
      ).status,
    ).toBe(409);
    const approved = await h.call('POST', `/v1/compliance/reviews/${review!.id}/approve`, { note: 'different company, checked registry' });
    expect(approved.status).toBe(200);
    expect((await h.call('POST', `/v1/compliance/reviews/${review!.id}/approve`, {})).status).toBe(409);
    await h.worker.drain();
    expect((await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(c.id)}`)).json()).status).toBe('provisioned');
    expect(await actions(review!.id)).toEqual(['compliance.review_opened', 'compliance.approved']);
  });

  it('a rejection stops the customer: error, nothing provisioned, nothing billed', async () => {
    const c = await create('Kestrel Avionics', 'DE');
    const [review] = await reviewsOf(c.id);
    expect((await h.call('POST', `/v1/compliance/reviews/${review!.id}/reject`, {})).status).toBe(400);
    const res = await h.call('POST', `/v1/compliance/reviews/${review!.id}/reject`, { reason: 'confirmed match with the Entity List' });
    expect(res.status).toBe(200);
    const after = await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(c.id)}`)).json();
    expect(after).toMatchObject({
      status: 'error',
      errors: [{ errorCode: 3101, description: 'Restricted party screening rejected: confirmed match with the Entity List' }],
    });
    expect(after.orgId).toBeUndefined();
  });

  it('a review left 72 hours expires into error, voiding usage of subscribers added before the hold', async () => {
    // A subscriber added while the customer was still provisioning, before screening held it.
    const res = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, {
        externalId: `rpl-${++seq}`,
        packages: ['webex_meetings'],
        provisioningParameters: undefined,
        address: { addressLine1: '2 Quay', city: 'Limassol', country: 'CY' },
        customerInfo: { name: 'Blue Lantern Shipping', primaryEmail: `admin${seq}@rpl.example` },
      }),
    );
    const customerId = decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!);
    const early = await (
      await h.call('POST', '/v1/wholesale/subscribers', {
        customerId,
        email: `early${seq}@rpl.example`,
        packages: ['webex_meetings'],
        provisioningParameters: { firstName: 'Test', lastName: 'User' },
      })
    ).json();
    await h.worker.drain();
    const [review] = await reviewsOf(customerId);
    expect(review!.status).toBe('open');
    h.clock.advance(72 * HOUR - 1000);
    expect(await deadlines()).toBe(0);
    h.clock.advance(1000);
    expect(await deadlines()).toBe(1);
    expect((await reviewsOf(customerId))[0]).toMatchObject({ status: 'expired', decidedBy: 'system:deadline' });
    expect((await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(customerId)}`)).json()).status).toBe('error');
    const events = await h.db
      .selectFrom('package_events')
      .select(['package', 'effective_at'])
      .where('subscriber_id', '=', early.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.package)).toEqual(['webex_meetings', null]);
    expect(events[1]!.effective_at.getTime()).toBe(events[0]!.effective_at.getTime());
  });

  it('re-screens a billing-address change', async () => {
    const c = await create('Saffron Gate General Trading', 'AE');
    expect(c.status).toBe('provisioned');
    const put = await h.call('PUT', `/v1/wholesale/customers/${encodeURIComponent(c.id)}`, {
      packages: ['webex_meetings'],
      address: { addressLine1: '9 Bazaar Lane', city: 'Tehran', country: 'IR' },
    });
    expect(put.status).toBe(202);
    await h.worker.drain();
    expect((await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(c.id)}`)).json()).status).toBe('pending_rpl_review');
    const [review] = await reviewsOf(c.id);
    expect(review).toMatchObject({ kind: 'address_change', matches: [{ entryId: 'fict-1019' }] });
    await h.call('POST', `/v1/compliance/reviews/${review!.id}/approve`, {});
    expect((await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(c.id)}`)).json()).status).toBe('provisioned');
  });

  it('a list reload flags active customers; 30 days later they are deprovisioned and billing stops that instant', async () => {
    const c = await create('Tamarisk Freight Forwarders', 'AE');
    expect(c.status).toBe('provisioned');
    const sub = await (
      await h.call('POST', '/v1/wholesale/subscribers', {
        customerId: c.id,
        email: `tam${seq}@rpl.example`,
        packages: ['webex_meetings'],
        provisioningParameters: { firstName: 'Test', lastName: 'User' },
      })
    ).json();
    const reloaded = Buffer.concat([
      LIST,
      Buffer.from('fict-2000,Specially Designated Nationals (SDN) - Treasury Department,Tamarisk Freight Forwarders FZE,,,AE,FICTIONAL\n'),
    ]);
    const up = await upload(reloaded);
    expect(up.status).toBe(201);
    await h.worker.drain();
    const [review] = await reviewsOf(c.id);
    expect(review).toMatchObject({ kind: 'list_reload', status: 'open' });
    expect(new Date(review!.deadline).getTime() - h.clock.now().getTime()).toBe(30 * 24 * HOUR);
    const flagged = await h.db
      .selectFrom('customers')
      .select(['status', 'non_compliant_since'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(flagged.status).toBe('provisioned');
    expect(flagged.non_compliant_since).toBeInstanceOf(Date);
    // Re-running the re-screening changes nothing.
    await h.db
      .insertInto('tasks')
      .values({
        kind: 'compliance.rescreen',
        entity_id: String(
          up.status === 201
            ? (await h.db.selectFrom('screening_list_versions').select('id').where('active', '=', true).executeTakeFirstOrThrow()).id
            : 0,
        ),
        payload: '{}',
        run_after: h.clock.now(),
        created_at: h.clock.now(),
        locked_until: null,
        last_error: null,
        finished_at: null,
      })
      .execute();
    await h.worker.drain();
    expect(await reviewsOf(c.id)).toHaveLength(1);

    h.clock.advance(30 * 24 * HOUR);
    const deprovisionedAt = h.clock.now();
    expect(await deadlines()).toBeGreaterThanOrEqual(1);
    expect((await reviewsOf(c.id))[0]!.status).toBe('deprovisioned');
    const gone = await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(c.id)}`)).json();
    expect(gone).toMatchObject({ status: 'error' });
    expect(gone.errors.at(-1).errorCode).toBe(3102);
    const events = await h.db
      .selectFrom('package_events')
      .select(['package', 'effective_at', 'cause'])
      .where('subscriber_id', '=', sub.id)
      .orderBy('id')
      .execute();
    expect(events.at(-1)).toMatchObject({ package: null, cause: 'compliance' });
    expect(events.at(-1)!.effective_at.getTime()).toBe(Math.floor(deprovisionedAt.getTime() / 1000) * 1000);
  });

  it('three unanswered contact attempts deprovision a flagged customer', async () => {
    const c = await create('Zenith Fast Boats Kft', 'HU');
    const reloaded = Buffer.concat([
      LIST,
      Buffer.from('fict-3000,Unverified List (UVL) - Bureau of Industry and Security,Zenith Fast Boats,,,HU,FICTIONAL\n'),
    ]);
    expect((await upload(reloaded)).status).toBe(201);
    await h.worker.drain();
    const [review] = await reviewsOf(c.id);
    const contact = (outcome: string) =>
      h.call('POST', `/v1/compliance/reviews/${review!.id}/contact-attempts`, { outcome, note: 'called the partner NOC' });
    expect((await (await contact('no_answer')).json()).unansweredContacts).toBe(1);
    expect((await (await contact('reached')).json()).unansweredContacts).toBe(1);
    expect((await (await contact('no_answer')).json()).status).toBe('open');
    const third = await (await contact('no_answer')).json();
    expect(third).toMatchObject({ status: 'deprovisioned', unansweredContacts: 3 });
    expect(third.contacts).toHaveLength(4);
    expect((await (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(c.id)}`)).json()).status).toBe('error');
    expect((await contact('no_answer')).status).toBe(409);
  });

  it('needs the decision scope to decide, and keeps every step in the audit log', async () => {
    const { runCliCommand } = await import('../../src/cli/run-cli-command.js');
    const out = await runCliCommand(
      h.useCases,
      ['token', 'create'],
      { name: 'auditor', scopes: 'wholesale-desk:compliance_read' },
      { clock: h.clock, ids: nodeIds },
    );
    const token = /wdk_[\w-]+/.exec(out.output)![0];
    const open = await h.call('GET', '/v1/compliance/reviews?status=open', undefined, { token });
    expect(open.status).toBe(200);
    const c = await create('Golden Crane Electronics', 'CN');
    const [review] = await reviewsOf(c.id);
    const denied = await h.call('POST', `/v1/compliance/reviews/${review!.id}/approve`, {}, { token });
    expect(denied.status).toBe(403);
    const audit = await h.db.selectFrom('audit_log').select('action').where('action', 'like', 'compliance.%').execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set([
        'compliance.review_opened',
        'compliance.approved',
        'compliance.rejected',
        'compliance.onboarding_stopped',
        'compliance.review_expired',
        'compliance.deprovisioned',
        'compliance.deadline_deprovisioned',
        'compliance.contact_attempt',
      ]),
    );
  });
});
