import { afterEach, describe, expect, it } from 'vitest';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { runWorkerUntil } from '../support/run-worker-until.js';

/** Upstream mode: the provisioning tasks carry each accepted request through Webex Wholesale (the fake). */
const TOKEN = 'fake-wholesale-partner-admin-token-0001';
let fake: FakeWebexWholesale | undefined;
let h: TestHarness | undefined;

afterEach(async () => {
  await h?.close();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

async function setUp() {
  fake = await startFakeWebexWholesale({ settleMs: 30 });
  h = await createTestHarness({ env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: TOKEN } });
  return { fake, h, templateId: await defaultTemplateId(h) };
}

/** Runs the worker until `done` holds (test/support/run-worker-until.ts). */
const runUntil = (done: () => Promise<boolean>) => runWorkerUntil(h!, done, { pauseMs: 40 });

const getJson = async (path: string) => (await h!.call('GET', path)).json();

async function createCustomer(templateId: string, externalId: string, overrides: Record<string, unknown> = {}) {
  const res = await h!.call('POST', '/v1/wholesale/customers', customerBody(templateId, { externalId, ...overrides }));
  expect(res.status).toBe(202);
  return new URL(res.headers.get('location')!).pathname;
}

describe('provisioning through Webex Wholesale', () => {
  it('a customer and three subscribers reach Webex; Webex’s status, orgId and resourceDetails show; every request valid against Cisco’s document', async () => {
    const { fake, templateId } = await setUp();
    const path = await createCustomer(templateId, 'crm-up-1');
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    const webex = [...fake.customers.values()];
    expect(webex.map((c) => c.externalId)).toEqual(['crm-up-1']);
    expect(await getJson(path)).toMatchObject({ status: 'provisioned', orgId: webex[0]!.orgId });
    const customerId = (await getJson(path)).id as string;

    fake.addFreeUser('free@alder-dental.example');
    const emails = ['ann@alder-dental.example', 'bob@alder-dental.example', 'free@alder-dental.example'];
    for (const email of emails) {
      const res = await h!.call('POST', '/v1/wholesale/subscribers', {
        customerId,
        email,
        packages: ['webex_calling'],
        provisioningParameters: { firstName: 'Test', lastName: 'User', extension: String(1000 + emails.indexOf(email)) },
      });
      expect(res.status).toBe(200);
    }
    await runUntil(async () => {
      const list = await getJson(`/v1/wholesale/subscribers?customerId=${encodeURIComponent(customerId)}`);
      return list.items.every((s: { status: string }) => s.status !== 'provisioning');
    });
    const list = await getJson(`/v1/wholesale/subscribers?customerId=${encodeURIComponent(customerId)}`);
    expect(Object.fromEntries(list.items.map((s: { email: string; status: string }) => [s.email, s.status]))).toEqual({
      'ann@alder-dental.example': 'provisioned',
      'bob@alder-dental.example': 'provisioned',
      'free@alder-dental.example': 'pending_user_migration',
    });
    expect([...fake.subscribers.values()].map((s) => s.email).sort()).toEqual(emails);
    expect([...fake.subscribers.values()].every((s) => s.customerId === webex[0]!.id)).toBe(true);
    fake.assertValid();
  });

  it('a POST whose answer was lost is never repeated blindly: the retry finds the externalId in Webex and adopts it', async () => {
    const { fake, templateId } = await setUp();
    fake.inject({ kind: 'drop-after-apply', method: 'POST', path: '/wholesale/customers' });
    const path = await createCustomer(templateId, 'crm-lost');
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    expect([...fake.customers.values()].map((c) => c.externalId)).toEqual(['crm-lost']);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/wholesale/customers')).toHaveLength(1);
    fake.assertValid();
  });

  it('a subscriber POST whose answer was lost is found by email on the retry, not posted twice', async () => {
    const { fake, templateId } = await setUp();
    const path = await createCustomer(templateId, 'crm-sub-lost');
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    fake.inject({ kind: 'drop-after-apply', method: 'POST', path: '/wholesale/subscribers' });
    const res = await h!.call('POST', '/v1/wholesale/subscribers', {
      customerId: (await getJson(path)).id,
      email: 'lost@alder-dental.example',
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'L', lastName: 'Ost', extension: '2001' },
    });
    const sub = await res.json();
    await runUntil(async () => (await getJson(`/v1/wholesale/subscribers/${encodeURIComponent(sub.id)}`)).status === 'provisioned');
    expect(fake.subscribers.size).toBe(1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/wholesale/subscribers')).toHaveLength(1);
    fake.assertValid();
  });

  it('Webex’s error (10022) ends the customer in error with Webex’s errors', async () => {
    const { fake, templateId } = await setUp();
    fake.addExistingUser('taken@alder-dental.example');
    const path = await createCustomer(templateId, 'crm-taken', {
      customerInfo: { name: 'Taken Co', primaryEmail: 'taken@alder-dental.example' },
    });
    await runUntil(async () => (await getJson(path)).status === 'error');
    expect((await getJson(path)).errors).toEqual([
      { errorCode: 10022, description: 'The email is already associated with an existing user.' },
    ]);
    fake.assertValid();
  });

  it('Webex’s pending_rpl_review is shown, and followed until Webex decides', async () => {
    const { fake, templateId } = await setUp();
    fake.holdForRplReview('crm-rpl');
    const path = await createCustomer(templateId, 'crm-rpl');
    await runUntil(async () => (await getJson(path)).status === 'pending_rpl_review');
    const held = await h!.db.selectFrom('customers').select('billing_from').where('external_id', '=', 'crm-rpl').executeTakeFirstOrThrow();
    expect(held.billing_from).toBeNull();
    fake.clearRplReview('crm-rpl', 'provisioned');
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    // Billing follows what Webex confirms: from the moment Webex reported it provisioned, not from the order.
    const row = await h!.db
      .selectFrom('customers')
      .select(['billing_from', 'created_at', 'status_changed_at'])
      .where('external_id', '=', 'crm-rpl')
      .executeTakeFirstOrThrow();
    expect(row.billing_from).toEqual(row.status_changed_at);
    expect(row.billing_from!.getTime()).toBeGreaterThan(row.created_at.getTime());
    fake.assertValid();
  });

  it('a package change (PUT, the complete list) and a delete (DELETE, then until gone) reach Webex', async () => {
    const { fake, templateId } = await setUp();
    const path = await createCustomer(templateId, 'crm-change');
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    expect((await h!.call('PUT', path, { packages: ['webex_calling'] })).status).toBe(202);
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    expect([...fake.customers.values()][0]!.packages).toEqual(['webex_calling']);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect((await h!.call('DELETE', path)).status).toBe(202);
    await runUntil(async () => (await h!.call('GET', path)).status === 404);
    expect(fake.customers.size).toBe(0);
    fake.assertValid();
  });

  it("includePackageLicenseInfo=true shows Webex's license ids for each provisioned package, as last read from Webex", async () => {
    const { fake, templateId } = await setUp();
    const path = await createCustomer(templateId, 'crm-up-licenses');
    await runUntil(async () => (await getJson(path)).status === 'provisioned');
    const webex = [...fake.customers.values()][0]!;
    const withIds = (await getJson(`${path}?includePackageLicenseInfo=true`)).resourceDetails.packages as {
      name: string;
      licenseIds?: string[];
    }[];
    expect(withIds.length).toBeGreaterThan(0);
    for (const p of withIds) {
      // The fake's own ids (its org id and the package, marked as Webex's), not the desk's.
      expect(Buffer.from(p.licenseIds![0]!, 'base64').toString()).toBe(`ciscospark://us/LICENSE/${webex.orgId}:${p.name}:webex`);
    }
    for (const p of (await getJson(path)).resourceDetails.packages) expect(p.licenseIds).toBeUndefined();
    fake.assertValid();
  });
});
