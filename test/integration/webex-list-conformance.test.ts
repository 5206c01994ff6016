import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { nodeIds } from '../../src/platform/node-ids.js';
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
const DESK_SERVES = ['/wholesale/customers', '/wholesale/subscribers', '/wholesale/subPartners', '/wholesale/billing/reports'];
const listOperations = Object.entries(cisco.paths)
  .filter(([path, item]) => path.startsWith('/wholesale/') && !path.includes('{') && item.get)
  .map(([path, item]) => ({ path, parameters: (item.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }));

interface Seed {
  customers: { a: Body; b: Body; errored: Body };
  subscribers: { a1: Body; a2: Body; b1: Body };
  sub: { orgId: string; customerId: string; otherOrgId: string };
  reports: { older: string; newer: string; failed: string; sub: string };
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
    expect(res.headers.get('link')).toMatch(/offset=1.*rel="next"/);
  },
  'GET /wholesale/customers onBehalfOfSubPartnerOrgId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/customers?onBehalfOfSubPartnerOrgId=${q(s.sub.orgId)}`)).toEqual([s.sub.customerId]);
  },

  // --- List Wholesale Subscribers
  'GET /wholesale/subscribers max': async (h, s) => {
    const res = await h.call('GET', '/v1/wholesale/subscribers?max=2');
    expect(((await res.json()).items as Body[]).map((c) => c.id)).toEqual([s.subscribers.a1.id, s.subscribers.a2.id]);
    expect(res.headers.get('link')).toMatch(/rel="next"/);
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
  },
  'GET /wholesale/billing/reports subPartnerOrgId': async (h, s) => {
    expect(await ids(h, `/v1/wholesale/billing/reports?subPartnerOrgId=${q(s.sub.orgId)}`)).toEqual([s.reports.sub]);
  },
};

describe(`Cisco's list parameters, case by case, on ${testDbKind()}`, () => {
  let h: TestHarness;
  let seed: Seed;

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z' });
    const cli = (args: string[], opts: Record<string, string> = {}) => runCliCommand(h.db, args, opts, { clock: h.clock, ids: nodeIds });
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
});
