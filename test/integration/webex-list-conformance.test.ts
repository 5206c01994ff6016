import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { checkExchange } from '../../dev/fake-webex/webex-openapi-validator.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';
import { addSubscriber, customerBody, defaultTemplateId, provisionCustomer, type Body } from '../support/api-fixtures.js';

/**
 * Generated from Cisco's document: every list operation (a GET without a path parameter) and every query
 * parameter it documents must have a case below showing that the parameter changes the answer the way the
 * document says, on seeded data the parameter has to exclude or reorder. A parameter added to the document
 * and not given a case here fails the suite; a parameter the desk ignores fails its case.
 */
interface CiscoParameter {
  name: string;
  in: string;
}
const cisco = JSON.parse(readFileSync(new URL('../fixtures/webex-wholesale.openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { parameters?: CiscoParameter[] }>>;
};
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const DESK_SERVES = ['/wholesale/customers', '/wholesale/subscribers', '/wholesale/subPartners', '/wholesale/billing/reports'];
const listOperations = Object.entries(cisco.paths)
  .filter(([path, item]) => path.startsWith('/wholesale/') && !path.includes('{') && item.get)
  .map(([path, item]) => ({ path, parameters: (item.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }));

/**
 * Every other operation of the document (a GET of one resource, PUT, POST, DELETE) with its query
 * parameters. The desk serves each at the same path under /v1, except Cisco's consent-email resend,
 * which it serves beside the other subscriber routes (its case calls it there).
 */
const otherOperations = Object.entries(cisco.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .filter(([method]) => !(method === 'get' && path.startsWith('/wholesale/') && !path.includes('{')))
    .map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path}`,
      parameters: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
);

interface Seed {
  customers: { a: Body; b: Body; errored: Body };
  subscribers: { a1: Body; a2: Body; b1: Body };
  sub: { orgId: string; customerId: string; otherOrgId: string };
  reports: { older: string; newer: string; failed: string; sub: string };
  templateId: string;
}

type Case = (h: TestHarness, seed: Seed) => Promise<void>;

const ids = async (h: TestHarness, url: string): Promise<string[]> => {
  const res = await h.call('GET', url);
  expect(res.status, `${url}: ${await res.clone().text()}`).toBe(200);
  return ((await res.json()).items as { id?: string; orgId?: string }[]).map((i) => i.id ?? (i.orgId as string));
};
const q = encodeURIComponent;

const CASES: Record<string, Case> = {
  // --- List Wholesale Customers
  'GET /wholesale/customers externalId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/customers?externalId=${q(s.customers.a.externalId)}`)).toEqual([s.customers.a.id]);
  },
  'GET /wholesale/customers orgId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/customers?orgId=${q(s.customers.b.orgId)}`)).toEqual([s.customers.b.id]);
  },
  'GET /wholesale/customers status': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/customers?status=error')).toEqual([s.customers.errored.id]);
    // Cisco documents an array: both the repeated form and the comma form.
    const all = [s.customers.a.id, s.customers.b.id, s.customers.errored.id];
    expect(await ids(h, '/v1/wholesale/customers?status=provisioned&status=error')).toEqual(all);
    expect(await ids(h, '/v1/wholesale/customers?status=provisioned,error')).toEqual(all);
  },
  'GET /wholesale/customers offset': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/customers?offset=1')).toEqual([s.customers.b.id, s.customers.errored.id]);
  },
  'GET /wholesale/customers max': async (h, s) => {
    const res = await h.call('GET', '/v1/wholesale/customers?max=1');
    expect(((await res.json()).items as Body[]).map((c) => c.id)).toEqual([s.customers.a.id]);
    // The next page's URL is the desk's to choose (Cisco: follow the Link header): a keyset cursor.
    const next = /<http:\/\/desk\.test([^>]*)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    expect(next).toMatch(/max=1&cursor=/);
    expect(await ids(h, next!)).toEqual([s.customers.b.id]);
  },
  'GET /wholesale/customers onBehalfOfSubPartnerOrgId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/customers?onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`)).toEqual([s.sub.customerId]);
  },

  // --- List Wholesale Subscribers
  'GET /wholesale/subscribers max': async (h, s) => {
    const res = await h.call('GET', '/v1/wholesale/subscribers?max=2');
    expect(((await res.json()).items as Body[]).map((c) => c.id)).toEqual([s.subscribers.a1.id, s.subscribers.a2.id]);
    expect(res.headers.get('link')).toMatch(/rel="next"/);
    // Cisco: "up to 100 per page".
    expect((await h.call('GET', '/v1/wholesale/subscribers?max=100')).status).toBe(200);
    expect((await h.call('GET', '/v1/wholesale/subscribers?max=101')).status).toBe(400);
  },
  'GET /wholesale/subscribers offset': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/subscribers?offset=2')).toEqual([s.subscribers.b1.id]);
  },
  'GET /wholesale/subscribers customerId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/subscribers?customerId=${q(s.customers.b.id)}`)).toEqual([s.subscribers.b1.id]);
  },
  'GET /wholesale/subscribers personId': async (h, s) => {
    expect(s.subscribers.b1.personId).toBeTruthy();
    expect(await ids(h, `/v1/wholesale/subscribers?personId=${q(s.subscribers.b1.personId)}`)).toEqual([s.subscribers.b1.id]);
  },
  'GET /wholesale/subscribers externalCustomerId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/subscribers?externalCustomerId=${q(s.customers.b.externalId)}`)).toEqual([s.subscribers.b1.id]);
  },
  'GET /wholesale/subscribers email': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/subscribers?email=${q(s.subscribers.a1.email)}`)).toEqual([s.subscribers.a1.id]);
  },
  'GET /wholesale/subscribers status': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/subscribers?status=error')).toEqual([s.subscribers.a2.id]);
    const all = [s.subscribers.a1.id, s.subscribers.a2.id, s.subscribers.b1.id];
    expect(await ids(h, '/v1/wholesale/subscribers?status=provisioned&status=error')).toEqual(all);
    expect(await ids(h, '/v1/wholesale/subscribers?status=provisioned,error')).toEqual(all);
  },
  'GET /wholesale/subscribers after': async (h, s) => {
    // Epoch milliseconds (Cisco's preferred form) and ISO 8601: created strictly after.
    const a1 = Date.parse(s.subscribers.a1.created);
    expect(await ids(h, `/v1/wholesale/subscribers?after=${a1}`)).toEqual([s.subscribers.a2.id, s.subscribers.b1.id]);
    expect(await ids(h, `/v1/wholesale/subscribers?after=${q(s.subscribers.a2.created)}`)).toEqual([s.subscribers.b1.id]);
  },
  'GET /wholesale/subscribers lastStatusChange': async (h, s) => {
    // a2's status changed last (it failed after b1 was created).
    const b1 = Date.parse(s.subscribers.b1.lastStatusChange);
    expect(await ids(h, `/v1/wholesale/subscribers?lastStatusChange=${b1}`)).toEqual([s.subscribers.a2.id]);
  },
  'GET /wholesale/subscribers sortBy': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/subscribers?sortBy=lastStatusChange')).toEqual([
      s.subscribers.a1.id,
      s.subscribers.b1.id,
      s.subscribers.a2.id,
    ]);
    expect(await ids(h, '/v1/wholesale/subscribers?sortBy=created')).toEqual([
      s.subscribers.a1.id,
      s.subscribers.a2.id,
      s.subscribers.b1.id,
    ]);
  },
  'GET /wholesale/subscribers sortOrder': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/subscribers?sortBy=created&sortOrder=DESC')).toEqual([
      s.subscribers.b1.id,
      s.subscribers.a2.id,
      s.subscribers.a1.id,
    ]);
    expect(await ids(h, '/v1/wholesale/subscribers?sortOrder=ASC')).toEqual([
      s.subscribers.a1.id,
      s.subscribers.a2.id,
      s.subscribers.b1.id,
    ]);
  },
  'GET /wholesale/subscribers onBehalfOfSubPartnerOrgId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/subscribers?onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`)).toEqual([]);
    expect(await ids(h, `/v1/wholesale/subscribers?customerId=${q(s.sub.customerId)}`)).toEqual([]);
  },

  // --- List Wholesale Sub-partners
  'GET /wholesale/subPartners provisioningState': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/subPartners?provisioningState=suspended')).toEqual([s.sub.otherOrgId]);
    expect(await ids(h, '/v1/wholesale/subPartners?provisioningState=active')).toEqual([s.sub.orgId]);
  },
  'GET /wholesale/subPartners offset': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/subPartners?offset=1')).toEqual([s.sub.otherOrgId]);
  },
  'GET /wholesale/subPartners max': async (h, s) => {
    const res = await h.call('GET', '/v1/wholesale/subPartners?max=1');
    expect(((await res.json()).items as Body[]).map((p) => p.orgId)).toEqual([s.sub.orgId]);
    expect(res.headers.get('link')).toMatch(/rel="next"/);
  },

  // --- List Wholesale Billing Reports
  'GET /wholesale/billing/reports billingStartDate': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/billing/reports?billingStartDate=2026-05-01')).toEqual([s.reports.newer]);
  },
  'GET /wholesale/billing/reports billingEndDate': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/billing/reports?billingEndDate=2026-04-30')).toEqual([s.reports.older]);
  },
  'GET /wholesale/billing/reports type': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/billing/reports?type=USER')).toEqual([s.reports.failed]);
  },
  'GET /wholesale/billing/reports sortBy': async (h, s) => {
    // By start: older (04-01), failed (04-15), newer (05-01); by end: failed (04-20), older, newer; by status: COMPLETED…, FAILED.
    expect(await ids(h, '/v1/wholesale/billing/reports')).toEqual([s.reports.older, s.reports.failed, s.reports.newer]);
    expect(await ids(h, '/v1/wholesale/billing/reports?sortBy=billingEndDate')).toEqual([
      s.reports.failed,
      s.reports.older,
      s.reports.newer,
    ]);
    expect((await ids(h, '/v1/wholesale/billing/reports?sortBy=status')).at(-1)).toBe(s.reports.failed);
    const byId = await ids(h, '/v1/wholesale/billing/reports?sortBy=id');
    expect(byId).toEqual([...byId].sort());
  },
  'GET /wholesale/billing/reports status': async (h, s) => {
    expect(await ids(h, '/v1/wholesale/billing/reports?status=FAILED')).toEqual([s.reports.failed]);
  },
  'GET /wholesale/billing/reports max': async (h, s) => {
    const res = await h.call('GET', '/v1/wholesale/billing/reports?max=1');
    expect(((await res.json()).items as Body[]).map((r) => r.id)).toEqual([s.reports.older]);
    expect(res.headers.get('link')).toMatch(/rel="next"/);
    // Cisco: "up to 100 per page".
    expect((await h.call('GET', '/v1/wholesale/billing/reports?max=100')).status).toBe(200);
    const over = await h.call('GET', '/v1/wholesale/billing/reports?max=101');
    expect(over.status).toBe(400);
    expect((await over.json()).errors[0]).toMatchObject({
      errorCode: 1000,
      description: expect.stringMatching(/max must be between 1 and 100/),
    });
  },
  'GET /wholesale/billing/reports subPartnerOrgId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/billing/reports?subPartnerOrgId=${q(s.sub.orgId)}`)).toEqual([s.reports.sub]);
  },
};

/** Sends `method url` with the sub-partner's org id, a stranger's, and none: the parameter must decide the answer. */
const onBehalfAnswers = async (h: TestHarness, s: Seed, method: string, url: string, body?: unknown) => {
  const sep = url.includes('?') ? '&' : '?';
  const stranger = await h.call(method, `${url}${sep}onBehalfOfSubPartnerOrgId=${q('not-a-sub-partner')}`, body);
  expect(stranger.status, 'a stranger org id is refused, never ignored').not.toBeLessThan(400);
  expect(await stranger.text()).toMatch(/sub-partner/);
  const without = await h.call(method, url, body);
  const withIt = await h.call(method, `${url}${sep}onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`, body);
  return { without, withIt };
};
/** A fresh customer of the sub-partner, provisioned. */
const subCustomer = (h: TestHarness, s: Seed, externalId: string) =>
  provisionCustomer(
    h,
    customerBody(s.templateId, { externalId, customerInfo: { name: `Sub ${externalId}`, primaryEmail: `admin@${externalId}.example` } }),
    `?onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`,
  );
const subSubscriber = (h: TestHarness, s: Seed, customerId: string, email: string) =>
  addSubscriber(h, customerId, email, 'webex_calling', {}, `?onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`);

const OTHER_CASES: Record<string, Case> = {
  // --- Customers
  'POST /wholesale/customers onBehalfOfSubPartnerOrgId': async (h, s) => {
    const body = customerBody(s.templateId, {
      externalId: 'conf-sub-post',
      customerInfo: { name: 'Sub Post', primaryEmail: 'a@conf-sub-post.example' },
    });
    const stranger = await h.call('POST', `/v1/wholesale/customers?onBehalfOfSubPartnerOrgId=${q('not-a-sub-partner')}`, body);
    expect(await stranger.text()).toMatch(/sub-partner/);
    const withIt = await h.call('POST', `/v1/wholesale/customers?onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`, body);
    expect(withIt.status, await withIt.clone().text()).toBe(202);
    await h.worker.drain();
    // The customer is the sub-partner's: listed for it, not for the parent.
    expect(await ids(h, '/v1/wholesale/customers?externalId=conf-sub-post')).toEqual([]);
    expect(await ids(h, `/v1/wholesale/customers?externalId=conf-sub-post&onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`)).toHaveLength(1);
  },
  'POST /wholesale/customers/validate onBehalfOfSubPartnerOrgId': async (h, s) => {
    // The sub-partner already has externalId conf-sub; the parent does not.
    const body = customerBody(s.templateId, {
      externalId: 'conf-sub',
      customerInfo: { name: 'Sub Org Again', primaryEmail: 'again@conf-sub-again.example' },
    });
    const { without, withIt } = await onBehalfAnswers(h, s, 'POST', '/v1/wholesale/customers/validate', body);
    expect(without.status, await without.clone().text()).toBe(200);
    expect(withIt.status).toBe(409);
  },
  'GET /wholesale/customers/{customerId} onBehalfOfSubPartnerOrgId': async (h, s) => {
    const { without, withIt } = await onBehalfAnswers(h, s, 'GET', `/v1/wholesale/customers/${q(s.sub.customerId)}`);
    expect(without.status).toBe(404);
    expect(withIt.status).toBe(200);
    expect((await withIt.json()).id).toBe(s.sub.customerId);
  },
  'GET /wholesale/customers/{customerId} includePackageLicenseInfo': async (h, s) => {
    const url = `/v1/wholesale/customers/${q(s.customers.a.id)}`;
    const packagesOf = async (query: string) => {
      const res = await h.call('GET', `${url}${query}`);
      expect(res.status, await res.clone().text()).toBe(200);
      const body = await res.json();
      // Cisco's schema for the answer (never its examples, whose strings are quoted twice).
      const departures = checkExchange({
        method: 'GET',
        path: `/wholesale/customers/${s.customers.a.id}`,
        query: Object.fromEntries(new URLSearchParams(query)),
        status: 200,
        responseBody: body,
      });
      expect(departures).toEqual([]);
      return body.resourceDetails.packages as { name: string; status: string; licenseIds?: string[] }[];
    };
    const withIds = await packagesOf('?includePackageLicenseInfo=true');
    expect(withIds.length).toBeGreaterThan(0);
    for (const p of withIds) {
      expect(p.status).toBe('provisioned');
      expect(p.licenseIds, p.name).toHaveLength(1);
      expect(Buffer.from(p.licenseIds![0]!, 'base64').toString()).toMatch(/^ciscospark:\/\/us\/LICENSE\//);
    }
    // Stable: the same ids on every read.
    expect(await packagesOf('?includePackageLicenseInfo=true')).toEqual(withIds);
    for (const query of ['', '?includePackageLicenseInfo=false'])
      for (const p of await packagesOf(query)) expect(p.licenseIds).toBeUndefined();
    // Only provisioned packages have licenses: a customer still provisioning shows none.
    await h.db.updateTable('customers').set({ status: 'updating' }).where('id', '=', s.customers.b.id).execute();
    try {
      const res = await h.call('GET', `/v1/wholesale/customers/${q(s.customers.b.id)}?includePackageLicenseInfo=true`);
      for (const p of (await res.json()).resourceDetails.packages) expect(p.licenseIds).toBeUndefined();
    } finally {
      await h.db.updateTable('customers').set({ status: 'provisioned' }).where('id', '=', s.customers.b.id).execute();
    }
    const bad = await h.call('GET', `${url}?includePackageLicenseInfo=yes`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0]).toMatchObject({
      errorCode: 1000,
      description: expect.stringMatching(/includePackageLicenseInfo.*true or false/),
    });
  },
  'PUT /wholesale/customers/{customerId} onBehalfOfSubPartnerOrgId': async (h, s) => {
    const { without, withIt } = await onBehalfAnswers(h, s, 'PUT', `/v1/wholesale/customers/${q(s.sub.customerId)}`, {
      packages: ['webex_calling', 'webex_meetings'],
    });
    expect(without.status).toBe(404);
    expect(withIt.status, await withIt.clone().text()).toBe(202);
    await h.worker.drain();
  },
  'DELETE /wholesale/customers/{customerId} onBehalfOfSubPartnerOrgId': async (h, s) => {
    const doomed = await subCustomer(h, s, 'conf-sub-del');
    const { without, withIt } = await onBehalfAnswers(h, s, 'DELETE', `/v1/wholesale/customers/${q(doomed.id)}`);
    expect(without.status).toBe(404);
    expect(withIt.status, await withIt.clone().text()).toBe(202);
    await h.worker.drain();
  },

  // --- Subscribers
  'POST /wholesale/subscribers onBehalfOfSubPartnerOrgId': async (h, s) => {
    const body = {
      customerId: s.sub.customerId,
      email: 'post@conf-sub.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Sub', lastName: 'Post', extension: '7101' },
    };
    const { without, withIt } = await onBehalfAnswers(h, s, 'POST', '/v1/wholesale/subscribers', body);
    expect(without.status).toBe(404);
    expect(withIt.status, await withIt.clone().text()).toBe(200);
    await h.worker.drain();
  },
  'POST /wholesale/subscribers/validate onBehalfOfSubPartnerOrgId': async (h, s) => {
    const body = {
      customerId: s.sub.customerId,
      email: 'check@conf-sub.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Sub', lastName: 'Check', extension: '7102' },
    };
    const { without, withIt } = await onBehalfAnswers(h, s, 'POST', '/v1/wholesale/subscribers/validate', body);
    expect(without.status).toBe(404);
    expect(withIt.status, await withIt.clone().text()).toBe(200);
  },
  'GET /wholesale/subscribers/{subscriberId} onBehalfOfSubPartnerOrgId': async (h, s) => {
    const sub = await subSubscriber(h, s, s.sub.customerId, 'get@conf-sub.example');
    const { without, withIt } = await onBehalfAnswers(h, s, 'GET', `/v1/wholesale/subscribers/${q(sub.id)}`);
    expect(without.status).toBe(404);
    expect(withIt.status).toBe(200);
    expect((await withIt.json()).id).toBe(sub.id);
  },
  'PUT /wholesale/subscribers/{subscriberId} onBehalfOfSubPartnerOrgId': async (h, s) => {
    // The customer holds Webex Meetings too (idempotent when the customer PUT case already added it).
    const grow = await h.call('PUT', `/v1/wholesale/customers/${q(s.sub.customerId)}?onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`, {
      packages: ['webex_calling', 'webex_meetings'],
    });
    expect(grow.status, await grow.clone().text()).toBe(202);
    await h.worker.drain();
    const sub = await subSubscriber(h, s, s.sub.customerId, 'put@conf-sub.example');
    const { without, withIt } = await onBehalfAnswers(h, s, 'PUT', `/v1/wholesale/subscribers/${q(sub.id)}`, {
      packages: ['webex_meetings'],
    });
    expect(without.status).toBe(404);
    expect(withIt.status, await withIt.clone().text()).toBe(200);
    await h.worker.drain();
  },
  'DELETE /wholesale/subscribers/{subscriberId} onBehalfOfSubPartnerOrgId': async (h, s) => {
    const sub = await subSubscriber(h, s, s.sub.customerId, 'del@conf-sub.example');
    const { without, withIt } = await onBehalfAnswers(h, s, 'DELETE', `/v1/wholesale/subscribers/${q(sub.id)}`);
    expect(without.status).toBe(404);
    expect(withIt.status, await withIt.clone().text()).toBe(204);
    await h.worker.drain();
  },
  'POST /subscribers/{subscriberId}/emails/consentMove onBehalfOfSubPartnerOrgId': async (h, s) => {
    // Standalone there is no consent email (409, 2100); the sub-partner's org id is still read: a stranger's is refused.
    const sub = await subSubscriber(h, s, s.sub.customerId, 'consent@conf-sub.example');
    const { withIt } = await onBehalfAnswers(h, s, 'POST', `/v1/wholesale/subscribers/${q(sub.id)}/emails/consentMove`);
    expect(withIt.status).toBe(409);
    expect((await withIt.json()).errors[0].errorCode).toBe(2100);
  },
};

describe(`Cisco's list parameters, case by case, on ${testDbKind()}`, () => {
  let h: TestHarness;
  let seed: Seed;

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    const cli = (args: string[], opts: Record<string, string> = {}) =>
      runCliCommand(h.useCases, args, opts, { clock: h.clock, ids: nodeIds });
    const templateId = await defaultTemplateId(h);
    const customer = (externalId: string) =>
      provisionCustomer(
        h,
        customerBody(templateId, { externalId, customerInfo: { name: `Org ${externalId}`, primaryEmail: `admin@${externalId}.example` } }),
      );
    const tick = () => h.clock.advance(60_000);
    const a = await customer('conf-a');
    tick();
    const b = await customer('conf-b');
    tick();
    const errored = await customer('conf-err');
    await h.db.updateTable('customers').set({ status: 'error' }).where('id', '=', errored.id).execute();
    tick();
    const a1 = await addSubscriber(h, a.id, 'a1@conf-a.example', 'webex_calling');
    tick();
    const a2 = await addSubscriber(h, a.id, 'a2@conf-a.example', 'webex_calling');
    tick();
    const b1 = await addSubscriber(h, b.id, 'b1@conf-b.example', 'webex_calling');
    tick();
    // a2 fails last: its status changed after every other subscriber's.
    const failedAt = h.clock.now();
    await h.db.updateTable('subscribers').set({ status: 'error', last_status_change: failedAt }).where('id', '=', a2.id).execute();

    const subOrgId = /orgId (\S+)/.exec((await cli(['sub-partner', 'add'], { name: 'Reseller A' })).output)![1]!;
    tick();
    const otherOrgId = /orgId (\S+)/.exec((await cli(['sub-partner', 'add'], { name: 'Reseller B' })).output)![1]!;
    await cli(['sub-partner', 'suspend', otherOrgId]);
    const subCustomer = await provisionCustomer(
      h,
      customerBody(templateId, { externalId: 'conf-sub', customerInfo: { name: 'Sub Org', primaryEmail: 'admin@conf-sub.example' } }),
      `?onBehalfOfSubPartnerOrgId=${q(subOrgId)}`,
    );

    const report = async (body: Body) => {
      const res = await h.call('POST', '/v1/wholesale/billing/reports', body);
      expect(res.status, await res.clone().text()).toBe(200);
      await h.worker.drain();
      return (await res.json()).id as string;
    };
    const older = await report({ billingStartDate: '2026-04-01', billingEndDate: '2026-04-30' });
    const newer = await report({ billingStartDate: '2026-05-01', billingEndDate: '2026-05-31' });
    const failed = await report({ billingStartDate: '2026-04-15', billingEndDate: '2026-04-20', type: 'USER' });
    await h.db.updateTable('billing_reports').set({ status: 'FAILED' }).where('id', '=', failed).execute();
    const sub = await report({ billingStartDate: '2026-04-01', billingEndDate: '2026-04-30', subPartnerOrgId: subOrgId });

    const fresh = async (id: string) => (await h.call('GET', `/v1/wholesale/subscribers/${q(id)}`)).json();
    seed = {
      customers: { a, b, errored },
      subscribers: { a1: await fresh(a1.id), a2: await fresh(a2.id), b1: await fresh(b1.id) },
      sub: { orgId: subOrgId, customerId: subCustomer.id, otherOrgId },
      reports: { older, newer, failed, sub },
      templateId,
    };
  });
  afterAll(() => h.close());

  it('finds every list operation the desk serves in the document', () => {
    expect(listOperations.map((o) => o.path).sort()).toEqual([...DESK_SERVES].sort());
  });

  it('has a case for every documented parameter of every list operation (a new one fails here until it is implemented)', () => {
    const missing = listOperations.flatMap((o) => o.parameters.map((p) => `GET ${o.path} ${p}`)).filter((key) => !(key in CASES));
    expect(missing).toEqual([]);
  });

  for (const op of listOperations)
    for (const name of op.parameters) {
      const key = `GET ${op.path} ${name}`;
      it(`${key} changes the answer as Cisco documents`, async () => {
        const run = CASES[key];
        if (!run) throw new Error(`no conformance case for ${key}`);
        await run(h, seed);
      });
    }

  it('has a case for every documented query parameter of every other operation the desk serves', () => {
    expect(otherOperations.length).toBeGreaterThan(0);
    const missing = otherOperations.flatMap((o) => o.parameters.map((p) => `${o.key} ${p}`)).filter((key) => !(key in OTHER_CASES));
    expect(missing).toEqual([]);
  });

  for (const op of otherOperations)
    for (const name of op.parameters) {
      const key = `${op.key} ${name}`;
      it(`${key} is honoured as Cisco documents`, async () => {
        const run = OTHER_CASES[key];
        if (!run) throw new Error(`no conformance case for ${key}`);
        await run(h, seed);
      });
    }
});
