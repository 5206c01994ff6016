import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { insertApiToken } from '../../src/db/repositories/api-tokens.js';
import { ALL_SCOPES } from '../../src/domain/scopes.js';
import { hashToken } from '../../src/platform/token-hash.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { ADMIN_TOKEN, createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { parseCsv } from '../support/csv.js';

describe(`sub-partners on ${testDbKind()}`, () => {
  let h: TestHarness;
  let templateId: string;
  let subOrgId: string;
  let subToken: string;
  const cli = (args: string[], opts: Record<string, string> = {}) =>
    runCliCommand(h.useCases, args, opts, { clock: h.clock, ids: nodeIds });

  beforeAll(async () => {
    h = await createTestHarness();
    templateId = await defaultTemplateId(h);
    const added = await cli(['sub-partner', 'add'], { name: 'Reseller One' });
    subOrgId = /orgId (\S+)/.exec(added.output)![1]!;
    subToken = /wdk_[\w-]+/.exec((await cli(['token', 'create'], { name: 'reseller', partner: subOrgId })).output)![0];
  });
  afterAll(() => h.close());

  it('lists sub-partners for the parent', async () => {
    const body = await (await h.call('GET', '/v1/wholesale/subPartners')).json();
    expect(body.items).toEqual([expect.objectContaining({ orgId: subOrgId, provisioningState: 'active', name: 'Reseller One' })]);
    expect((await (await h.call('GET', '/v1/wholesale/subPartners?provisioningState=suspended')).json()).items).toEqual([]);
  });

  it('keeps each partner to its own customers; the parent acts with onBehalfOfSubPartnerOrgId', async () => {
    const own = await provisionCustomer(
      h,
      customerBody(templateId, { externalId: 'shared-ext', customerInfo: { name: 'Parent Co', primaryEmail: 'p@parent.example' } }),
    );
    // The sub-partner uses its parent's template and may reuse the same externalId: keys are per partner.
    const res = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, { externalId: 'shared-ext', customerInfo: { name: 'Sub Co', primaryEmail: 's@sub.example' } }),
      { token: subToken },
    );
    expect(res.status).toBe(202);
    await h.worker.drain();
    const subCustomerPath = new URL(res.headers.get('location')!).pathname;
    const subCustomer = await (await h.call('GET', subCustomerPath, undefined, { token: subToken })).json();
    expect(subCustomer.status).toBe('provisioned');

    expect((await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(own.id)}`, undefined, { token: subToken })).status).toBe(404);
    expect((await h.call('GET', subCustomerPath)).status).toBe(404);
    const q = `?onBehalfOfSubPartnerOrgId=${encodeURIComponent(subOrgId)}`;
    expect((await h.call('GET', `${subCustomerPath}${q}`)).status).toBe(200);
    const subList = await (await h.call('GET', `/v1/wholesale/customers${q}`)).json();
    expect(subList.items.map((c: { id: string }) => c.id)).toEqual([subCustomer.id]);
    const parentList = await (await h.call('GET', '/v1/wholesale/customers')).json();
    expect(parentList.items.map((c: { id: string }) => c.id)).toEqual([own.id]);

    // The parent adds a subscriber for the sub-partner's customer, held for the ten days that follow.
    const day = (offset: number) => new Date(h.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const sub = await addSubscriber(h, subCustomer.id, 'user@sub.example', 'webex_meetings', {}, q);
    h.clock.advance(10 * 86_400_000);
    expect((await h.call('GET', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`, undefined, { token: subToken })).status).toBe(
      200,
    );
    expect((await h.call('GET', `/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`)).status).toBe(404);

    // Billing follows the same line: the parent's report for the sub-partner has its usage, its own has none of it.
    const usageRows = async (subPartnerOrgId?: string) => {
      const created = await h.call('POST', '/v1/wholesale/billing/reports', {
        billingStartDate: day(-5),
        billingEndDate: day(-2),
        type: 'USER',
        ...(subPartnerOrgId ? { subPartnerOrgId } : {}),
      });
      expect(created.status, await created.clone().text()).toBe(200);
      await h.worker.drain();
      const report = await (await h.call('GET', `/v1/wholesale/billing/reports/${(await created.json()).id}`)).json();
      expect(report.status).toBe('COMPLETED');
      const url = new URL(report.tempDownloadURL);
      return parseCsv(await (await h.call('GET', `${url.pathname}${url.search}`, undefined, { token: null })).text());
    };
    expect(
      (await usageRows(subOrgId)).map((r) => [r.PARTNER_NAME, r.CUSTOMER_EXTERNAL_ID, r.SUBSCRIBER_ID, r.SERVICE_NAME, r.QUANTITY]),
    ).toEqual([['Reseller One', 'shared-ext', sub.id, 'WEBEX_MEETINGS', '4']]);
    expect(await usageRows()).toEqual([]);

    // A sub-partner cannot act on behalf of anyone; an unknown sub-partner is 404.
    const bad = await h.call('GET', `/v1/wholesale/customers?onBehalfOfSubPartnerOrgId=${encodeURIComponent(subOrgId)}`, undefined, {
      token: subToken,
    });
    expect(bad.status).toBe(404);
    expect((await bad.json()).errors[0].errorCode).toBe(2004);
  });

  it('keeps the shared screening list to the root partner: no sub-partner token holds its scope or loads it', async () => {
    const list = '_id,source,name,alt_names,addresses,country,programs\nfict-9000,Test List,Parent Co,,,US,FICTIONAL\n';
    const upload = (token: string) =>
      h.call('POST', '/v1/compliance/screening-list', list, { token, headers: { 'content-type': 'text/csv' } });
    // The default sub-partner token lacks the scope, and asking for it is refused.
    expect((await upload(subToken)).status).toBe(403);
    const asked = await cli(['token', 'create'], { name: 'greedy', partner: subOrgId, scopes: 'wholesale-desk:screening_list' });
    expect(asked.exitCode).toBe(1);
    expect(asked.output).toMatch(/cannot hold wholesale-desk:screening_list/);
    // A sub-partner token that holds every scope anyway (made before this rule) is refused by the use-case.
    const sub = (await h.db.selectFrom('partners').select('id').where('org_id', '=', subOrgId).executeTakeFirstOrThrow()).id;
    const legacy = 'wdk_legacy_sub_partner_token_0123456789';
    await insertApiToken(h.db, {
      id: nodeIds.uuid(),
      partnerId: sub,
      name: 'legacy',
      tokenHash: hashToken(legacy),
      tokenPrefix: legacy.slice(0, 10),
      scopes: [...ALL_SCOPES],
    });
    const refused = await upload(legacy);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/belongs to the root partner/);
    // The root partner's admin token loads it.
    expect((await upload(ADMIN_TOKEN)).status).toBe(201);
  });

  it('answers a partner alike whether or not another partner uses an email; the owning partner sees the detail', async () => {
    const parentCustomer = await provisionCustomer(
      h,
      customerBody(templateId, {
        externalId: 'oracle-parent',
        customerInfo: { name: 'Oracle Parent Co', primaryEmail: 'boss@oracle-parent.example' },
      }),
    );
    await addSubscriber(h, parentCustomer.id, 'taken@oracle-parent.example', 'webex_meetings');
    const subCustomer = (
      await (await h.call('GET', '/v1/wholesale/customers?externalId=shared-ext', undefined, { token: subToken })).json()
    ).items[0];
    /** What a caller can tell apart: the status and the body, with the email itself and the request's own ids left out. */
    const seen = async (res: Response, email: string) => {
      const text = (await res.text())
        .replaceAll(email, '<email>')
        .replaceAll(/"trackingId":"[^"]*"/g, '')
        .replaceAll(/"id":"[^"]*"/g, '');
      return { status: res.status, body: text.replaceAll(/"(createdAt|lastStatusChange|updatedAt|personId|location)":"[^"]*"/g, '') };
    };
    const validate = (email: string, token: string, customerId: string) =>
      h.call('POST', '/v1/wholesale/subscribers/validate', { customerId, email, packages: ['webex_meetings'] }, { token });

    // The precheck: the same answer for the parent's subscriber, the parent's customer admin and an unused address.
    const unused = await seen(await validate('nobody@oracle-parent.example', subToken, subCustomer.id), 'nobody@oracle-parent.example');
    for (const email of ['taken@oracle-parent.example', 'boss@oracle-parent.example'])
      expect(await seen(await validate(email, subToken, subCustomer.id), email)).toEqual(unused);

    // Creating: the sub-partner's subscriber is accepted alike.
    const create = async (email: string) =>
      seen(
        await h.call(
          'POST',
          '/v1/wholesale/subscribers',
          {
            customerId: subCustomer.id,
            email,
            packages: ['webex_meetings'],
            provisioningParameters: { firstName: 'Sam', lastName: 'Sub' },
          },
          { token: subToken },
        ),
        email,
      );
    const fresh = await create('fresh@oracle-parent.example');
    expect(fresh.status).toBe(200);
    expect(await create('taken@oracle-parent.example')).toEqual(fresh);

    // A customer whose primaryEmail another partner uses is accepted like one whose address nobody uses
    // (asked by a second sub-partner, so the first keeps its one customer for the tests below).
    await addSubscriber(h, parentCustomer.id, 'solo@oracle-parent.example', 'webex_meetings');
    const otherOrgId = /orgId (\S+)/.exec((await cli(['sub-partner', 'add'], { name: 'Reseller Two' })).output)![1]!;
    const otherToken = /wdk_[\w-]+/.exec((await cli(['token', 'create'], { name: 'reseller-two', partner: otherOrgId })).output)![0];
    const customer = async (externalId: string, primaryEmail: string) => {
      const res = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, { externalId, customerInfo: { name: 'Sub Oracle Co', primaryEmail } }),
        { token: otherToken },
      );
      return { status: res.status, errors: res.status === 202 ? [] : (await res.json()).errors };
    };
    expect(await customer('oracle-sub-1', 'it@unused-oracle.example')).toEqual({ status: 202, errors: [] });
    expect(await customer('oracle-sub-2', 'boss@oracle-parent.example')).toEqual({ status: 202, errors: [] });
    expect(await customer('oracle-sub-3', 'solo@oracle-parent.example')).toEqual({ status: 202, errors: [] });

    // The partner that uses the email is still told, with the detail.
    const own = await validate('taken@oracle-parent.example', ADMIN_TOKEN, parentCustomer.id);
    expect(own.status).toBe(409);
    expect((await own.json()).errors).toEqual([
      { errorCode: 10022, description: 'email: The email is already associated with an existing user (taken@oracle-parent.example).' },
    ]);
    const ownCustomer = await h.call(
      'POST',
      '/v1/wholesale/customers',
      customerBody(templateId, {
        externalId: 'oracle-parent-2',
        customerInfo: { name: 'Parent Two', primaryEmail: 'taken@oracle-parent.example' },
      }),
    );
    expect(ownCustomer.status).toBe(409);
    expect(await ownCustomer.text()).toContain('already associated with an existing user (taken@oracle-parent.example)');
    await h.worker.drain();
  });

  it('lets a suspended sub-partner read and delete, nothing else', async () => {
    expect((await cli(['sub-partner', 'suspend', subOrgId])).exitCode).toBe(0);
    const list = await (await h.call('GET', '/v1/wholesale/customers', undefined, { token: subToken })).json();
    expect(list.items).toHaveLength(1);
    const create = await h.call('POST', '/v1/wholesale/customers', customerBody(templateId, { externalId: 'while-suspended' }), {
      token: subToken,
    });
    expect(create.status).toBe(403);
    expect((await create.json()).errors[0].errorCode).toBe(3002);
    const del = await h.call('DELETE', `/v1/wholesale/customers/${encodeURIComponent(list.items[0].id)}`, undefined, { token: subToken });
    expect(del.status).toBe(202);
    await h.worker.drain();
    expect(
      (await h.call('GET', `/v1/wholesale/customers/${encodeURIComponent(list.items[0].id)}`, undefined, { token: subToken })).status,
    ).toBe(404);
  });

  it.each([
    [
      'a billing report',
      'POST',
      '/v1/wholesale/billing/reports',
      { billingStartDate: '2026-01-01', billingEndDate: '2026-01-31', type: 'USER' },
    ],
    [
      'a webhook subscription',
      'POST',
      '/v1/webhooks',
      { url: 'https://hooks.reseller.example/desk', eventTypes: ['customer.provisioned'] },
    ],
    ['an onboarding template', 'POST', '/v1/wholesale/onboardingTemplates', { name: 'While suspended' }],
    ['a price book', 'PUT', '/v1/billing/price-book', { effectiveFrom: '2026-01-01', currency: 'USD', items: [] }],
  ])('refuses a suspended sub-partner %s (403, 3002) whatever its scopes', async (_what, method, path, body) => {
    const res = await h.call(method, path, body, { token: subToken });
    expect(res.status).toBe(403);
    expect((await res.json()).errors[0].errorCode).toBe(3002);
  });
});
