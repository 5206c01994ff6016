import { afterEach, describe, expect, it } from 'vitest';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../support/fake-webex-wholesale.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';

/** Import and drift (#15): `sync` against the fake Webex Wholesale, driven through the API in-process. */
const TOKEN = 'fake-wholesale-partner-admin-token-0001';
let fake: FakeWebexWholesale | undefined;
let h: TestHarness | undefined;

afterEach(async () => {
  await h?.close();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

interface DriftItem {
  id: string;
  entityType: string;
  kind: string;
  subject: string;
  deskId: string | null;
  desk: { status: string; packages: string[] } | null;
  webex: { status: string; packages: string[] } | null;
  status: string;
  resolution: string | null;
}

const json = async (res: Response | Promise<Response>) => (await res).json();
const sync = async () => {
  const res = await h!.call('POST', '/v1/upstream/sync');
  expect(res.status).toBe(200);
  return res.json();
};
const openDrift = async (): Promise<DriftItem[]> => (await json(h!.call('GET', '/v1/upstream/drift?max=1000'))).items;
const brief = (items: DriftItem[]) => items.map((i) => `${i.entityType} ${i.kind} ${i.subject}`).sort();

/** Runs the worker, moving the clock past each wait, until `done` holds (the fake settles on its own time). */
async function runUntil(done: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await h!.worker.drain();
    if (await done()) return;
    h!.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('never settled');
}

describe('sync with Webex Wholesale', () => {
  it('imports 500 customers × 20 subscribers from every page; a second run finds no drift; planted drift is reported exactly and resolved by adopt and push', async () => {
    fake = await startFakeWebexWholesale({ settleMs: 10 });
    const seeded = fake.seedBulk(500, 20);
    h = await createTestHarness({ env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: TOKEN } });

    const first = await sync();
    expect(first).toMatchObject({
      mode: 'import',
      webexCustomers: 500,
      webexSubscribers: 10_000,
      customersImported: 500,
      subscribersImported: 10_000,
      subscribersSkipped: 0,
      drift: { only_webex: 0, only_desk: 0, status: 0, packages: 0 },
      openDrift: 0,
    });
    // Every page was read: the fake serves at most 100 subscribers a page.
    const subscriberPages = fake.requests.filter((r) => r.method === 'GET' && r.path === '/wholesale/subscribers');
    expect(subscriberPages).toHaveLength(100);

    const spot = seeded[41]!;
    const customer = (await json(h.call('GET', `/v1/wholesale/customers?externalId=${spot.externalId}`))).items[0];
    expect(customer).toMatchObject({
      externalId: 'bulk-0042',
      orgId: spot.orgId,
      status: 'provisioned',
      packages: ['webex_calling', 'webex_meetings'],
      address: { addressLine1: '42 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' },
    });
    const subs = (await json(h.call('GET', `/v1/wholesale/subscribers?customerId=${encodeURIComponent(customer.id)}&max=100`))).items;
    expect(subs).toHaveLength(20);
    expect(subs.find((s: { email: string }) => s.email === 'user-0007@bulk-0042.example')).toMatchObject({
      status: 'provisioned',
      package: 'webex_calling',
    });

    const second = await sync();
    expect(second).toMatchObject({ mode: 'drift', customersImported: 0, subscribersImported: 0, openDrift: 0 });
    expect(second.drift).toEqual({ only_webex: 0, only_desk: 0, status: 0, packages: 0 });

    // Planted: a package changed in Webex, a customer deleted there, one added there.
    const changed = seeded[6]!;
    changed.packages = ['webex_calling', 'webex_meetings', 'webex_suite'];
    const deleted = seeded[99]!;
    fake.customers.delete(deleted.id);
    for (const [id, s] of fake.subscribers) if (s.customerId === deleted.id) fake.subscribers.delete(id);
    const added = fake.seedCustomer({ externalId: 'crm-new-1' });
    fake.seedSubscriber(added, { email: 'ann@crm-new-1.example' });

    const third = await sync();
    expect(third.drift).toEqual({ only_webex: 1, only_desk: 1, status: 0, packages: 1 });
    const items = await openDrift();
    expect(brief(items)).toEqual(['customer only_desk bulk-0100', 'customer only_webex crm-new-1', 'customer packages bulk-0007']);
    const byKind = Object.fromEntries(items.map((i) => [i.kind, i]));
    expect(byKind.packages).toMatchObject({
      desk: { status: 'provisioned', packages: ['webex_calling', 'webex_meetings'] },
      webex: { status: 'provisioned', packages: ['webex_calling', 'webex_meetings', 'webex_suite'] },
    });
    // Nothing was overwritten: the desk still holds what it had.
    const stillThere = (await json(h.call('GET', '/v1/wholesale/customers?externalId=bulk-0100'))).items;
    expect(stillThere).toHaveLength(1);
    expect((await json(h.call('GET', '/v1/wholesale/customers?externalId=crm-new-1'))).items).toHaveLength(0);

    // A fourth run sees the same three: still three open items, not six.
    await sync();
    expect(brief(await openDrift())).toHaveLength(3);

    // Adopt Webex's packages.
    const adopted = await h.call('POST', `/v1/upstream/drift/${byKind.packages!.id}/adopt`);
    expect(adopted.status).toBe(200);
    expect(await adopted.json()).toMatchObject({ status: 'resolved', resolution: 'adopt' });
    expect((await json(h.call('GET', '/v1/wholesale/customers?externalId=bulk-0007'))).items[0].packages).toEqual([
      'webex_calling',
      'webex_meetings',
      'webex_suite',
    ]);
    // A resolved item is not resolved twice.
    const again = await h.call('POST', `/v1/upstream/drift/${byKind.packages!.id}/push`);
    expect(again.status).toBe(409);
    expect((await again.json()).errors[0].errorCode).toBe(2122);

    // Adopt the customer only Webex has: imported with its subscriber.
    expect((await h.call('POST', `/v1/upstream/drift/${byKind.only_webex!.id}/adopt`)).status).toBe(200);
    const imported = (await json(h.call('GET', '/v1/wholesale/customers?externalId=crm-new-1'))).items[0];
    expect(imported).toMatchObject({ status: 'provisioned', orgId: added.orgId });

    // Push the customer only the desk has: provisioned in Webex again, its 20 subscribers after it.
    expect((await h.call('POST', `/v1/upstream/drift/${byKind.only_desk!.id}/push`)).status).toBe(200);
    await runUntil(() => {
      const back = [...fake!.customers.values()].find((c) => c.externalId === 'bulk-0100');
      return back?.status === 'provisioned' && [...fake!.subscribers.values()].filter((s) => s.customerId === back.id).length === 20;
    });
    await runUntil(
      async () => (await json(h!.call('GET', '/v1/wholesale/customers?externalId=bulk-0100'))).items[0].status === 'provisioned',
    );

    const fifth = await sync();
    expect(fifth.drift).toEqual({ only_webex: 0, only_desk: 0, status: 0, packages: 0 });
    expect(await openDrift()).toEqual([]);
    fake.assertValid();
  }, 120_000);
});
