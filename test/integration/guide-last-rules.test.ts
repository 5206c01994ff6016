import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { up as addCreatedPackages } from '../../src/db/migrations/2026-12-06-1010-customer-created-packages.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

type ErrorBody = { errors: { errorCode: number; description: string }[] };
const errorsOf = async (res: Response) => ((await res.json()) as ErrorBody).errors;
const q = encodeURIComponent;

/** The guide's remaining rules (line numbers are those of /work/shared/reference/seed-provisioning.md). */
describe(`the guide's last rules, on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let seq = 0;
  const customer = (extra: Body = {}) => {
    seq += 1;
    return provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: `rules-${seq}`,
        customerInfo: { name: `Rules Org ${seq}`, primaryEmail: `admin@rules-${seq}.example` },
        ...extra,
      }),
    );
  };

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    templateId = await defaultTemplateId(h);
  });
  afterAll(() => h.close());

  // seed-provisioning.md line 256: "firstName and lastName are mandatory" — checked with every other rule.
  it('a subscriber precheck and create with six problems report all six, missing names included', async () => {
    const c = await customer();
    const first = await addSubscriber(h, c.id, 'first@rules.example', 'webex_calling', {
      provisioningParameters: { firstName: 'Fi', lastName: 'Rst', extension: '4100' },
    });
    const body = {
      customerId: c.id,
      email: first.email, // taken
      packages: ['webex_suite'], // not one of the customer's packages
      provisioningParameters: { extension: '4100', locationId: 'not-a-location' }, // no names; extension taken
    };
    for (const path of ['/v1/wholesale/subscribers/validate', '/v1/wholesale/subscribers']) {
      const res = await h.call('POST', path, body);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      const descriptions = (await errorsOf(res)).map((e) => e.description);
      expect(descriptions, path).toHaveLength(6);
      expect(descriptions.join('\n'), path).toMatch(/firstName is required/);
      expect(descriptions.join('\n'), path).toMatch(/lastName is required/);
      expect(descriptions.join('\n'), path).toMatch(/already associated with an existing user/);
      expect(descriptions.join('\n'), path).toMatch(/extension 4100 is already held/);
      expect(descriptions.join('\n'), path).toMatch(/webex_suite/);
      expect(descriptions.join('\n'), path).toMatch(/not-a-location is not one of the customer's locations/);
    }
  });

  // seed-provisioning.md §5.3 (language) and the calling location's time zone: reported even without a name.
  it('a customer without a name still hears about its bad language and time zones', async () => {
    const body = customerBody(templateId, {
      externalId: 'nameless-rules',
      customerInfo: { primaryEmail: 'admin@nameless.example', language: 'xx' },
    });
    body.provisioningParameters.calling.location.timezone = 'Mars/Olympus';
    body.provisioningParameters.meetings.timezone = 'Nowhere/Town';
    for (const path of ['/v1/wholesale/customers', '/v1/wholesale/customers/validate']) {
      const res = await h.call(
        'POST',
        path,
        path.endsWith('validate') ? { ...body, customerInfo: { ...body.customerInfo, name: undefined } } : body,
      );
      expect(res.status, path).toBe(400);
      const errors = await errorsOf(res);
      const text = errors.map((e) => e.description).join('\n');
      expect(text, path).toMatch(/customerInfo\.language: unsupported language "xx"/);
      expect(text, path).toMatch(/calling\.location\.timezone: "Mars\/Olympus" is not an IANA time zone/);
      expect(text, path).toMatch(/meetings\.timezone: "Nowhere\/Town" is not an IANA time zone/);
      if (path.endsWith('customers')) expect(text).toMatch(/customerInfo\.name: is required/);
    }
  });

  // seed-provisioning.md lines 32 and 88 (guide L54035, L54875): "the same package level the org was created with".
  it('the first admin holds the package level the org was created with, not the packages it has now', async () => {
    const c = await customer({ packages: ['webex_calling', 'webex_meetings'] });
    const put = await h.call('PUT', `/v1/wholesale/customers/${q(c.id)}`, { packages: ['webex_calling', 'webex_meetings', 'webex_suite'] });
    expect(put.status, await put.clone().text()).toBe(202);
    await h.worker.drain();
    const res = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: c.id,
      email: 'admin@created-level.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Ad', lastName: 'Min', extension: '4200' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).isAdmin).toBe(true);

    // A package below the creation level is still refused (1801).
    const lower = await customer({
      packages: ['webex_calling', 'webex_meetings', 'webex_calling_standard'],
      provisioningParameters: {
        ...customerBody(templateId).provisioningParameters,
        packages: { limits: {} },
      },
    });
    const refused = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: lower.id,
      email: 'admin@below-level.example',
      packages: ['webex_calling_standard'],
      provisioningParameters: { firstName: 'Ad', lastName: 'Min', extension: '4201' },
    });
    expect((await errorsOf(refused)).map((e) => e.errorCode)).toContain(1801);
  });

  it('the creation level is backfilled from the customer.create audit record', async () => {
    const c = await customer({ packages: ['webex_calling', 'webex_meetings'] });
    await h.db
      .updateTable('customers')
      .set({ packages: JSON.stringify(['webex_suite']) })
      .where('id', '=', c.id)
      .execute();
    await sql`alter table customers drop column created_packages`.execute(h.db);
    await addCreatedPackages(h.db);
    const row = await h.db.selectFrom('customers').select('created_packages').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.created_packages).toEqual(['webex_calling', 'webex_meetings']);
  });

  // seed-provisioning.md line 257: provisioningParameters.locationId is for "calling packages only".
  it('refuses locationId on a subscriber without a calling package (1900), on create and on update', async () => {
    const c = await customer();
    const hq = (await (await h.call('GET', `/v1/wholesale/customers/${q(c.id)}/locations`)).json()).items[0].id as string;
    const res = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: c.id,
      email: 'meetings-only@rules.example',
      packages: ['webex_meetings'],
      provisioningParameters: { firstName: 'Me', lastName: 'Et', locationId: hq },
    });
    expect(res.status).toBe(400);
    expect(await errorsOf(res)).toEqual([
      {
        errorCode: 1900,
        description: expect.stringMatching(/^provisioningParameters\.locationId: locationId is for subscribers with a calling package/),
      },
    ]);
    const caller = await addSubscriber(h, c.id, 'caller@rules.example', 'webex_calling');
    const moved = await h.call('PUT', `/v1/wholesale/subscribers/${q(caller.id)}`, {
      packages: ['webex_meetings'],
      provisioningParameters: { locationId: hq },
    });
    expect((await errorsOf(moved)).map((e) => e.errorCode)).toContain(1900);
  });

  // Cisco's document: create requires billingStartDate and billingEndDate; POINT_IN_TIME is only "the category of the
  // billing report". The desk's own rule: no report includes today.
  it('a POINT_IN_TIME report keeps the requested dates and counts what was held at the end of them', async () => {
    const c = await customer({ effectiveAt: '2026-06-01T00:00:00Z' });
    await addSubscriber(h, c.id, 'early@pit.example', 'webex_calling', { effectiveAt: '2026-06-10T00:00:00Z' });
    await addSubscriber(h, c.id, 'today@pit.example', 'webex_calling'); // effective now, 15 June
    const res = await h.call('POST', '/v1/wholesale/billing/reports', {
      category: 'POINT_IN_TIME',
      type: 'CUSTOMER',
      billingStartDate: '2026-06-12',
      billingEndDate: '2026-06-12',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const created = await res.json();
    expect([created.billingStartDate, created.billingEndDate]).toEqual(['2026-06-12', '2026-06-12']);
    await h.worker.drain();
    const got = await (await h.call('GET', `/v1/wholesale/billing/reports/${created.id}`)).json();
    const u = new URL(got.tempDownloadURL);
    const rows = parseCsv(await (await h.call('GET', `${u.pathname}${u.search}`, undefined, { token: null })).text());
    const mine = rows.filter((r) => r.CUSTOMER_EXTERNAL_ID === c.externalId);
    expect(mine.map((r) => [r.SERVICE_NAME, r.QUANTITY, r.CONSUMPTION_END_DATE])).toEqual([['WEBEX_CALLING', '1', '2026-06-12']]);

    const today = await h.call('POST', '/v1/wholesale/billing/reports', {
      category: 'POINT_IN_TIME',
      billingStartDate: '2026-06-15',
      billingEndDate: '2026-06-15',
    });
    expect(today.status).toBe(400);
    expect((await h.call('POST', '/v1/wholesale/billing/reports', { category: 'POINT_IN_TIME' })).status).toBe(400);
  });

  // seed-provisioning.md line 156 (guide L54309): "For SubPartners, the parent's shared subscription ID appears automatically".
  it("lists each sub-partner with the parent's shared subscription, the one its reports carry", async () => {
    await runCliCommand(h.useCases, ['sub-partner', 'add'], { name: 'Shared Sub' }, { clock: h.clock, ids: nodeIds });
    const root = await h.db.selectFrom('partners').select('subscription_id').where('id', '=', h.partnerId).executeTakeFirstOrThrow();
    const items = (await (await h.call('GET', '/v1/wholesale/subPartners')).json()).items as Body[];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.subscriptionId).toBe(root.subscription_id);
  });

  // seed-provisioning.md line 288 (guide L54762, L55005): attaching needs "Allow admin-invite emails when attaching
  // to existing orgs" = true on the template.
  it('refuses to attach an existing org through a template that does not allow admin-invite emails (1901)', async () => {
    const template = async (name: string, allowAdminInviteEmails: boolean) => {
      const res = await h.call('POST', '/v1/wholesale/onboardingTemplates', {
        name,
        country: 'US',
        language: 'en_US',
        brandName: 'Rules',
        allowAdminInviteEmails,
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()).provisioningId as string;
    };
    const closed = await template('No invites', false);
    const open = await template('Invites', true);
    const attach = (provisioningId: string, n: number) =>
      h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(provisioningId, { orgId: `ORG-EXISTING-${n}`, externalId: `attach-${n}`, customerInfo: undefined }),
      );
    const refused = await attach(closed, 1);
    expect(refused.status).toBe(400);
    expect(await errorsOf(refused)).toEqual([
      { errorCode: 1901, description: expect.stringMatching(/does not allow admin-invite emails when attaching to existing orgs/) },
    ]);
    expect((await attach(open, 2)).status).toBe(202);
    // A new org (no orgId) is not an attach: the toggle does not apply.
    const fresh = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(closed, { externalId: 'fresh-1', customerInfo: { name: 'Fresh', primaryEmail: 'admin@fresh.example' } }),
    );
    expect(fresh.status).toBe(202);
  });

  // seed-provisioning.md lines 176 and 592 (guide L55672): the OIDC "IDP Name" is letters, digits, -, _, ~, . and
  // at most 128 characters.
  it('checks the OpenID Connect IdP name on the template (1902)', async () => {
    const create = (name: string, idpEntityId: string) =>
      h.call('POST', '/v1/wholesale/onboardingTemplates', {
        name,
        country: 'US',
        language: 'en_US',
        brandName: 'Rules',
        authMode: 'partner_oidc',
        idpEntityId,
      });
    const spaced = await create('OIDC spaced', 'my idp!');
    expect(spaced.status).toBe(400);
    expect(await errorsOf(spaced)).toEqual([
      {
        errorCode: 1902,
        description:
          'idpEntityId: the OpenID Connect IdP name (idpEntityId) contains a space, "!" (allowed: letters, digits, -, _, ~ and .)',
      },
    ]);
    const long = await create('OIDC long', 'a'.repeat(129));
    expect((await errorsOf(long))[0]?.description).toMatch(/is 129 characters long \(at most 128\)/);
    expect((await create('OIDC fine', `Partner-IdP_1.prod~${'x'.repeat(100)}`)).status).toBe(201);
  });
});
