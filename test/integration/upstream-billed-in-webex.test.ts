import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { runWorkerUntil } from '../support/run-worker-until.js';
import { testDbKind } from '../support/test-db.js';
import { syncAndWait } from '../support/upstream-sync-run.js';

/**
 * Everything billed exists in Webex (#25): in upstream mode a subscriber's Attendant Console, a branch
 * location and a workspace with Common Area Calling are in the fake Webex (every exchange checked
 * against Cisco's documents) before the ledger bills them, and removing them removes them there. A
 * POST whose answer was lost makes no second one; sync reports workspaces and locations that differ.
 */
const TOKEN = 'fake-wholesale-partner-admin-token-0001';
let fake: FakeWebexWholesale;
let h: TestHarness;
let templateId: string;

beforeAll(async () => {
  fake = await startFakeWebexWholesale({ settleMs: 20 });
  h = await createTestHarness({ env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: TOKEN } });
  templateId = await defaultTemplateId(h);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

/** Runs the worker until `done` holds (test/support/run-worker-until.ts). */
const runUntil = (done: () => Promise<boolean>) => runWorkerUntil(h, done);

const getJson = async (path: string) => (await h.call('GET', path)).json();
const PACKAGES = ['webex_calling', 'webex_meetings', 'attendant_console', 'cisco_calling_plan', 'common_area_calling'];
const US = { addressLine1: '1 Elm St', city: 'Dallas', stateOrProvince: 'TX', zipOrPostalCode: '75201', country: 'US' };

async function provisionedCustomer(externalId: string) {
  const res = await h.call(
    'POST',
    '/v1/wholesale/customers',
    customerBody(templateId, {
      externalId,
      packages: PACKAGES,
      customerInfo: { name: `Co ${externalId}`, primaryEmail: `it@${externalId}.example` },
    }),
  );
  expect(res.status).toBe(202);
  const path = new URL(res.headers.get('location')!).pathname;
  await runUntil(async () => (await getJson(path)).status === 'provisioned');
  const customer = await getJson(path);
  // The headquarters location Webex made with the customer is found by name and linked.
  await runUntil(async () => (await getJson(`${path}/locations`)).items.every((l: { status: string }) => l.status === 'provisioned'));
  return { ...customer, path };
}

const ledger = (where: { subscriberId?: string; workspaceId?: string }, slot = 'base') =>
  h.db
    .selectFrom('package_events')
    .select(['package', 'effective_at'])
    .$if(where.subscriberId !== undefined, (q) => q.where('subscriber_id', '=', where.subscriberId!).where('slot', '=', slot))
    .$if(where.workspaceId !== undefined, (q) => q.where('workspace_id', '=', where.workspaceId!))
    .orderBy('id')
    .execute();

describe(`what the desk bills exists in Webex, on ${testDbKind()}`, () => {
  it('a subscriber’s Attendant Console is sent in packages and bills from Webex’s confirmation; removing it is a subscriber update; Cisco Calling Plan is refused', async () => {
    const c = await provisionedCustomer('crm-addon-up');
    const res = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: c.id,
      email: 'ann@addon-up.example',
      packages: ['webex_calling', 'attendant_console'],
      provisioningParameters: { firstName: 'Ann', lastName: 'Lee', extension: '4001' },
    });
    expect(res.status).toBe(200);
    const ann = await res.json();
    expect(ann.status).toBe('provisioning');
    // Not in Webex yet: nothing of the add-on is in the ledger.
    expect(await ledger({ subscriberId: ann.id }, 'attendant_console')).toEqual([]);
    h.clock.advance(5 * 60_000);
    const confirmedAt = h.clock.now();
    await runUntil(async () => (await getJson(`/v1/wholesale/subscribers/${ann.id}`)).status === 'provisioned');
    const inWebex = [...fake.subscribers.values()].find((s) => s.email === 'ann@addon-up.example')!;
    expect(inWebex).toMatchObject({ package: 'webex_calling', addOns: ['attendant_console'] });
    expect(
      fake.requests.find(
        (r) => r.method === 'POST' && r.path === '/wholesale/subscribers' && (r.body as { email: string }).email === 'ann@addon-up.example',
      )?.body,
    ).toMatchObject({
      packages: ['webex_calling', 'attendant_console'],
    });
    expect(await ledger({ subscriberId: ann.id }, 'attendant_console')).toEqual([
      { package: 'attendant_console', effective_at: confirmedAt },
    ]);

    // Removing the add-on later is a subscriber update: Webex gets the complete set, the ledger closes it on confirmation.
    expect((await h.call('PUT', `/v1/wholesale/subscribers/${ann.id}`, { packages: ['webex_calling'] })).status).toBe(200);
    expect(inWebex.addOns).toEqual(['attendant_console']);
    h.clock.advance(60_000);
    const removedAt = h.clock.now();
    await runUntil(async () => (await getJson(`/v1/wholesale/subscribers/${ann.id}`)).status === 'provisioned');
    expect(inWebex.addOns).toBeUndefined();
    expect((await ledger({ subscriberId: ann.id }, 'attendant_console')).at(-1)).toEqual({ package: null, effective_at: removedAt });

    // Cisco's subscriber API has no way to receive Cisco Calling Plan: refused, never billed.
    const plan = await h.call('POST', '/v1/wholesale/subscribers', {
      customerId: c.id,
      email: 'bob@addon-up.example',
      packages: ['webex_calling', 'cisco_calling_plan'],
      provisioningParameters: { firstName: 'Bob', lastName: 'Ray', extension: '4002' },
    });
    expect(plan.status).toBe(400);
    expect((await plan.json()).errors).toEqual([expect.objectContaining({ errorCode: 2150 })]);
    const putPlan = await h.call('PUT', `/v1/wholesale/subscribers/${ann.id}`, { packages: ['webex_calling', 'cisco_calling_plan'] });
    expect(putPlan.status).toBe(400);
    expect((await putPlan.json()).errors).toEqual([expect.objectContaining({ errorCode: 2150 })]);
    fake.assertValid();
  });

  it('a branch location and a workspace with Common Area Calling exist in Webex before the workspace bills; removing it removes it there', async () => {
    const c = await provisionedCustomer('crm-ws-up');
    const orgId = c.orgId as string;
    expect([...fake.locations.values()].filter((l) => l.orgId === orgId).map((l) => l.name)).toEqual(['Milpitas HQ']);
    const branch = { name: 'Branch Dallas', address: US, timezone: 'America/Chicago', language: 'en_us' };
    expect((await h.call('PUT', c.path, { provisioningParameters: { calling: { location: branch } } })).status).toBe(202);
    const pending = (await getJson(`${c.path}/locations`)).items.find((l: { name: string }) => l.name === 'Branch Dallas');
    expect(pending.status).toBe('provisioning');
    await runUntil(async () => (await getJson(`${c.path}/locations`)).items.every((l: { status: string }) => l.status === 'provisioned'));
    const inWebexBranch = [...fake.locations.values()].find((l) => l.orgId === orgId && l.name === 'Branch Dallas')!;
    expect(inWebexBranch).toMatchObject({ timeZone: 'America/Chicago', address: { city: 'Dallas', country: 'US' } });
    const located = (await getJson(`${c.path}/locations`)).items.find((l: { name: string }) => l.name === 'Branch Dallas');
    expect(located).toMatchObject({ status: 'provisioned', webexLocationId: inWebexBranch.id });

    const post = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: c.id,
      name: 'Lobby',
      provisioningParameters: { extension: '5001', locationId: located.id },
    });
    expect(post.status).toBe(201);
    const ws = await post.json();
    expect(ws.status).toBe('provisioning');
    expect(await ledger({ workspaceId: ws.id })).toEqual([]);
    // Not removable while on its way.
    expect(
      ((await (await h.call('DELETE', `/v1/wholesale/workspaces/${ws.id}`)).json()) as { errors: { errorCode: number }[] }).errors[0]!
        .errorCode,
    ).toBe(2151);
    h.clock.advance(60_000);
    const confirmedAt = h.clock.now();
    await runUntil(async () => (await getJson(`/v1/wholesale/workspaces/${ws.id}`)).status === 'provisioned');
    const inWebex = [...fake.workspaces.values()].find((w) => w.orgId === orgId && w.displayName === 'Lobby')!;
    expect(inWebex).toMatchObject({
      locationId: inWebexBranch.id,
      calling: { type: 'webexCalling', webexCalling: { extension: '5001', locationId: inWebexBranch.id } },
    });
    expect(await getJson(`/v1/wholesale/workspaces/${ws.id}`)).toMatchObject({ status: 'provisioned', webexWorkspaceId: inWebex.id });
    expect(await ledger({ workspaceId: ws.id })).toEqual([{ package: 'common_area_calling', effective_at: confirmedAt }]);

    expect((await h.call('DELETE', `/v1/wholesale/workspaces/${ws.id}`)).status).toBe(204);
    expect((await getJson(`/v1/wholesale/workspaces/${ws.id}`)).status).toBe('deleting');
    expect(fake.workspaces.has(inWebex.id)).toBe(true);
    h.clock.advance(60_000);
    const removedAt = h.clock.now();
    await runUntil(async () => (await h.call('GET', `/v1/wholesale/workspaces/${ws.id}`)).status === 404);
    expect(fake.workspaces.has(inWebex.id)).toBe(false);
    expect((await ledger({ workspaceId: ws.id })).at(-1)).toEqual({ package: null, effective_at: removedAt });
    fake.assertValid();
  });

  it('a workspace or location POST whose answer was lost is found by name: exactly one in Webex', async () => {
    const c = await provisionedCustomer('crm-ws-lost');
    const orgId = c.orgId as string;
    fake.inject({ kind: 'drop-after-apply', method: 'POST', path: '/locations' });
    const branch = { name: 'Branch Austin', address: { ...US, city: 'Austin' }, timezone: 'America/Chicago', language: 'en_us' };
    expect((await h.call('PUT', c.path, { provisioningParameters: { calling: { location: branch } } })).status).toBe(202);
    await runUntil(async () => (await getJson(`${c.path}/locations`)).items.every((l: { status: string }) => l.status === 'provisioned'));
    expect([...fake.locations.values()].filter((l) => l.orgId === orgId && l.name === 'Branch Austin')).toHaveLength(1);

    fake.inject({ kind: 'drop-after-apply', method: 'POST', path: '/workspaces' });
    const post = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: c.id,
      name: 'Door',
      provisioningParameters: { extension: '5101' },
    });
    expect(post.status).toBe(201);
    const ws = await post.json();
    await runUntil(async () => (await getJson(`/v1/wholesale/workspaces/${ws.id}`)).status === 'provisioned');
    expect([...fake.workspaces.values()].filter((w) => w.orgId === orgId && w.displayName === 'Door')).toHaveLength(1);
    expect(
      fake.requests.filter(
        (r) => r.method === 'POST' && r.path === '/workspaces' && (r.body as { displayName: string }).displayName === 'Door',
      ),
    ).toHaveLength(1);
    expect(await ledger({ workspaceId: ws.id })).toHaveLength(1);
    fake.assertValid();
  });

  it('a sync is background work: 202 with the run’s Location, one run at a time per partner (a second request joins it), its progress and end readable', async () => {
    const [a, b] = await Promise.all([h.call('POST', '/v1/upstream/sync'), h.call('POST', '/v1/upstream/sync')]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const [runA, runB] = [await a.json(), await b.json()];
    expect(runB.id).toBe(runA.id);
    expect(runA).toMatchObject({ state: 'queued', progress: { pagesRead: 0 }, summary: null, errors: [] });
    const location = new URL(a.headers.get('location')!).pathname;
    expect(location).toBe(`/v1/upstream/syncs/${runA.id}`);
    // Nothing has run yet: the request answered before any page was read.
    expect((await getJson(location)).state).toBe('queued');
    await runUntil(async () => (await getJson(location)).state === 'succeeded');
    const done = await getJson(location);
    expect(done.progress.pagesRead).toBeGreaterThanOrEqual(2);
    expect(done.progress.customersSeen).toBe(fake.customers.size);
    expect(done.summary).toMatchObject({ webexCustomers: fake.customers.size });
    expect(done.finished).not.toBeNull();
    // Ended: the next request is a new run.
    const next = await h.call('POST', '/v1/upstream/sync');
    expect((await next.json()).id).not.toBe(runA.id);
    await runUntil(async () => (await getJson(new URL(next.headers.get('location')!).pathname)).state === 'succeeded');
    const unknown = await h.call('GET', '/v1/upstream/syncs/no-such-run');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors[0].errorCode).toBe(2152);
    // Chat starts one and reports its progress.
    const say = async (text: string): Promise<string> =>
      (await (await h.call('POST', '/v1/console/messages', { text })).json()).replies
        .map((r: { markdown: string }) => r.markdown)
        .join('\n');
    expect(await say('sync')).toContain('started in the background');
    expect(await say('sync')).toContain('is queued');
    await h.worker.drain();
    expect(await say('sync status')).toMatch(/finished: \d+ pages read/);
  });

  it('a run another instance is running is left to it; one whose runner went silent (its instance died) is taken over', async () => {
    const res = await h.call('POST', '/v1/upstream/sync');
    const run = await res.json();
    const location = new URL(res.headers.get('location')!).pathname;
    // Another instance claimed it and is writing progress.
    await h.db
      .updateTable('upstream_syncs')
      .set({ state: 'running', started_at: h.clock.now(), heartbeat_at: h.clock.now() })
      .where('id', '=', run.id)
      .execute();
    const pagesBefore = fake.requests.filter((r) => r.path === '/wholesale/customers').length;
    await h.worker.drain();
    expect((await getJson(location)).state).toBe('running');
    expect(fake.requests.filter((r) => r.path === '/wholesale/customers').length).toBe(pagesBefore);
    // Eleven minutes without a word from it: this instance takes the run over and finishes it.
    h.clock.advance(11 * 60_000);
    await runUntil(async () => (await getJson(location)).state === 'succeeded');
    expect(fake.requests.filter((r) => r.path === '/wholesale/customers').length).toBeGreaterThan(pagesBefore);
  });

  it('sync reports workspaces and locations only in Webex or only in the desk', async () => {
    const c = await provisionedCustomer('crm-ws-drift');
    const orgId = c.orgId as string;
    const post = await h.call('POST', '/v1/wholesale/workspaces', {
      customerId: c.id,
      name: 'Hall',
      provisioningParameters: { extension: '5201' },
    });
    const ws = await post.json();
    await runUntil(async () => (await getJson(`/v1/wholesale/workspaces/${ws.id}`)).status === 'provisioned');
    // The first sync imports (nothing to import here); a later one compares.
    await syncAndWait(h);
    expect((await syncAndWait(h)).summary.openDrift).toBe(0);

    // Outside the desk: the workspace goes from Webex, and a location and a workspace appear there.
    const hall = [...fake.workspaces.values()].find((w) => w.orgId === orgId && w.displayName === 'Hall')!;
    fake.workspaces.delete(hall.id);
    const hq = [...fake.locations.values()].find((l) => l.orgId === orgId)!;
    fake.locations.set('LOC-ELSEWHERE', { ...hq, id: 'LOC-ELSEWHERE', name: 'Warehouse' });
    fake.workspaces.set('WS-ELSEWHERE', { ...hall, id: 'WS-ELSEWHERE', displayName: 'Kitchen' });

    await syncAndWait(h);
    const items = (await getJson('/v1/upstream/drift?max=1000')).items as {
      id: string;
      entityType: string;
      kind: string;
      subject: string;
    }[];
    expect(
      items
        .filter((i) => i.subject.startsWith('crm-ws-drift/'))
        .map((i) => `${i.entityType} ${i.kind} ${i.subject}`)
        .sort(),
    ).toEqual([
      'location only_webex crm-ws-drift/warehouse',
      'workspace only_desk crm-ws-drift/hall',
      'workspace only_webex crm-ws-drift/kitchen',
    ]);
    // Not resolved by adopt or push yet: said plainly, the item stays open.
    const kitchen = items.find((i) => i.subject === 'crm-ws-drift/kitchen')!;
    const adopt = await h.call('POST', `/v1/upstream/drift/${kitchen.id}/adopt`);
    expect(adopt.status).toBe(409);
    expect((await adopt.json()).errors[0].errorCode).toBe(2123);
    fake.assertValid();
  });
});
