import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { EVENTS_SECRET, postEvent } from '../support/signed-events.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { runWorkerUntil } from '../support/run-worker-until.js';
import { testDbKind } from '../support/test-db.js';

/**
 * Upstream mode, the subscriber half: package changes and removals through Webex, the consent email,
 * prechecks that ask Webex too, sub-partner calls, and the fault suite. One harness and one fake for
 * the file (a fresh database costs more than all of these tests); each test uses customers of its own.
 */
const OAUTH = { clientId: 'desk-client', clientSecret: 'desk-secret', refreshToken: 'desk-refresh-token-0000000000' };
let fake: FakeWebexWholesale;
let h: TestHarness;
let templateId: string;

beforeAll(async () => {
  fake = await startFakeWebexWholesale({ settleMs: 20, oauth: OAUTH });
  // An OAuth integration, as in production: the fault suite lets its access token expire mid-run.
  h = await createTestHarness({
    env: {
      WEBEX_WHOLESALE_API_URL: fake.apiUrl,
      WEBEX_CLIENT_ID: OAUTH.clientId,
      WEBEX_CLIENT_SECRET: OAUTH.clientSecret,
      WEBEX_REFRESH_TOKEN: OAUTH.refreshToken,
      EVENTS_SECRETS: EVENTS_SECRET,
    },
  });
  templateId = await defaultTemplateId(h);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

/** Runs the worker until `done` holds (test/support/run-worker-until.ts). */
const runUntil = (done: () => Promise<boolean>) => runWorkerUntil(h, done);

const getJson = async (path: string) => (await h.call('GET', path)).json();
const say = async (text: string): Promise<string> =>
  (await (await h.call('POST', '/v1/console/messages', { text })).json()).replies.map((r: { markdown: string }) => r.markdown).join('\n');
const subscriberPath = (id: string) => `/v1/wholesale/subscribers/${encodeURIComponent(id)}`;

async function provisionedCustomer(externalId: string, query = ''): Promise<{ id: string; orgId: string }> {
  const res = await h.call(
    'POST',
    `/v1/wholesale/customers${query}`,
    customerBody(templateId, { externalId, customerInfo: { name: `Co ${externalId}`, primaryEmail: `it@${externalId}.example` } }),
  );
  expect(res.status).toBe(202);
  const path = `${new URL(res.headers.get('location')!).pathname}${query}`;
  await runUntil(async () => (await getJson(path)).status === 'provisioned');
  return getJson(path);
}

let extension = 3000;
async function addSubscriber(customerId: string, email: string, pkg = 'webex_calling', query = '') {
  const res = await h.call('POST', `/v1/wholesale/subscribers${query}`, {
    customerId,
    email,
    packages: [pkg],
    provisioningParameters: { firstName: 'Test', lastName: 'User', extension: String(extension++) },
  });
  expect(res.status).toBe(200);
  const sub = await res.json();
  await runUntil(async () => (await getJson(`${subscriberPath(sub.id)}${query}`)).status !== 'provisioning');
  return getJson(`${subscriberPath(sub.id)}${query}`);
}

const baseEvents = (subscriberId: string) =>
  h.db
    .selectFrom('package_events')
    .select(['package', 'effective_at'])
    .where('subscriber_id', '=', subscriberId)
    .where('slot', '=', 'base')
    .orderBy('id')
    .execute();
const webexSubscriber = (email: string) => [...fake.subscribers.values()].find((s) => s.email === email);

describe(`subscribers through Webex Wholesale on ${testDbKind()}`, () => {
  it('a package change and a removal reach Webex; the desk shows Webex’s answer and the ledger records each when Webex confirms', async () => {
    const c = await provisionedCustomer('crm-change-sub');
    await addSubscriber(c.id, 'admin@change.example');
    const bob = await addSubscriber(c.id, 'bob@change.example');
    expect(bob.status).toBe('provisioned');

    const put = await h.call('PUT', subscriberPath(bob.id), { packages: ['webex_meetings'] });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ status: 'updating', package: 'webex_calling' });
    expect(webexSubscriber('bob@change.example')!.package).toBe('webex_calling');
    h.clock.advance(5 * 60_000);
    const confirmedAt = h.clock.now();
    await runUntil(async () => (await getJson(subscriberPath(bob.id))).status === 'provisioned');
    expect(await getJson(subscriberPath(bob.id))).toMatchObject({ status: 'provisioned', package: 'webex_meetings' });
    expect(webexSubscriber('bob@change.example')!.package).toBe('webex_meetings');
    // The change bills from Webex's confirmation, not from the request five minutes earlier.
    expect((await baseEvents(bob.id)).at(-1)).toEqual({ package: 'webex_meetings', effective_at: confirmedAt });

    // The DELETE is applied but its answer lost: the client sends it again, Webex answers 404, and that is done.
    fake.inject({ kind: 'drop-after-apply', method: 'DELETE', path: /^\/wholesale\/subscribers\// });
    expect((await h.call('DELETE', subscriberPath(bob.id))).status).toBe(204);
    expect((await getJson(subscriberPath(bob.id))).status).toBe('deleting');
    h.clock.advance(60_000);
    const removedAt = h.clock.now();
    await runUntil(async () => (await h.call('GET', subscriberPath(bob.id))).status === 404);
    expect(webexSubscriber('bob@change.example')).toBeUndefined();
    expect(fake.requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('/wholesale/subscribers/'))).toHaveLength(2);
    expect((await baseEvents(bob.id)).at(-1)).toEqual({ package: null, effective_at: removedAt });
    fake.assertValid();
  });

  it('a change Webex refuses leaves the subscriber on its package, showing Webex’s error, with nothing in the ledger; a later accepted one clears it', async () => {
    const c = await provisionedCustomer('crm-refused-sub');
    await addSubscriber(c.id, 'admin@refused.example');
    const sub = await addSubscriber(c.id, 'cy@refused.example');
    // Webex no longer has webex_meetings on the customer (changed outside the desk): it refuses the PUT.
    const webexCustomer = [...fake.customers.values()].find((x) => x.externalId === 'crm-refused-sub')!;
    webexCustomer.packages = ['webex_calling'];
    const events = (await baseEvents(sub.id)).length;
    expect((await h.call('PUT', subscriberPath(sub.id), { packages: ['webex_meetings'] })).status).toBe(200);
    await runUntil(async () => (await getJson(subscriberPath(sub.id))).status !== 'updating');
    expect(await getJson(subscriberPath(sub.id))).toMatchObject({
      status: 'provisioned',
      package: 'webex_calling',
      errors: [{ errorCode: 10030, description: 'The package is not assigned to the customer.' }],
    });
    expect(await baseEvents(sub.id)).toHaveLength(events);
    // Once Webex accepts the change again, its confirmation clears the old error.
    webexCustomer.packages = ['webex_calling', 'webex_meetings'];
    expect((await h.call('PUT', subscriberPath(sub.id), { packages: ['webex_meetings'] })).status).toBe(200);
    await runUntil(async () => (await getJson(subscriberPath(sub.id))).status !== 'updating');
    expect(await getJson(subscriberPath(sub.id))).toMatchObject({ status: 'provisioned', package: 'webex_meetings', errors: [] });
    fake.assertValid();
  });

  it('pending_user_migration shows in the API and chat; the consent email is resent from the API and from chat', async () => {
    const c = await provisionedCustomer('crm-consent');
    const admin = await addSubscriber(c.id, 'admin@consent.example');
    fake.addFreeUser('free@consent.example');
    const free = await addSubscriber(c.id, 'free@consent.example');
    expect(free.status).toBe('pending_user_migration');
    expect(await say('status crm-consent')).toContain('Webex Calling: 1 pending_user_migration');
    expect(webexSubscriber('free@consent.example')!.consentEmailsSent).toBe(1);

    expect((await h.call('POST', `${subscriberPath(free.id)}/emails/consentMove`)).status).toBe(204);
    expect(webexSubscriber('free@consent.example')!.consentEmailsSent).toBe(2);
    expect(await say('resend consent free@consent.example')).toContain('consent email again');
    expect(webexSubscriber('free@consent.example')!.consentEmailsSent).toBe(3);

    const notPending = await h.call('POST', `${subscriberPath(admin.id)}/emails/consentMove`);
    expect(notPending.status).toBe(409);
    expect((await notPending.json()).errors[0].errorCode).toBe(2101);
    fake.inject({ kind: 'status', status: 503, method: 'POST', path: /consentMove$/ });
    const down = await h.call('POST', `${subscriberPath(free.id)}/emails/consentMove`);
    expect(down.status).toBe(503);
    expect((await down.json()).errors[0].errorCode).toBe(2102);

    // The user consents; asked to resend, the desk finds Webex's new state and records it instead.
    fake.acceptMigration(webexSubscriber('free@consent.example')!.id);
    const accepted = await h.call('POST', `${subscriberPath(free.id)}/emails/consentMove`);
    expect(accepted.status).toBe(409);
    expect((await accepted.json()).errors[0]).toMatchObject({ errorCode: 2101, description: expect.stringContaining('accepted the move') });
    expect(await getJson(subscriberPath(free.id))).toMatchObject({ status: 'provisioned' });
    expect(webexSubscriber('free@consent.example')!.consentEmailsSent).toBe(3);
    fake.assertValid();
  });

  it('prechecks run the desk’s rules, then Webex’s validate, and answer both; Webex unreachable is said plainly', async () => {
    fake.addExistingUser('taken@precheck.example');
    const body = customerBody(templateId, {
      externalId: 'crm-precheck',
      customerInfo: { name: 'Precheck Co', primaryEmail: 'taken@precheck.example' },
    });
    const both = await h.call('POST', '/v1/wholesale/customers/validate', {
      ...body,
      address: { ...body.address, addressLine1: 'x'.repeat(60) },
    });
    expect(both.status).toBe(400);
    const codes = (await both.json()).errors.map((e: { errorCode: number; description: string }) => [e.errorCode, e.description]);
    expect(codes).toContainEqual([1301, expect.any(String)]);
    expect(codes).toContainEqual([2103, 'Webex: The email is already associated with an existing user. (Webex errorCode 10022)']);
    expect(fake.requests.filter((r) => r.path === '/wholesale/customers/validate')).toHaveLength(1);

    fake.inject({ kind: 'status', status: 503, method: 'POST', path: '/wholesale/customers/validate' });
    const clean = { ...body, customerInfo: { name: 'Precheck Co', primaryEmail: 'free-to-use@precheck.example' } };
    const down = await h.call('POST', '/v1/wholesale/customers/validate', clean);
    expect(down.status).toBe(503);
    expect((await down.json()).errors).toEqual([
      {
        errorCode: 2102,
        description:
          "Webex Wholesale could not be reached, so Webex's own checks did not run; try again later (the desk's own checks passed).",
      },
    ]);
    expect((await h.call('POST', '/v1/wholesale/customers/validate', clean)).status).toBe(200);

    // Chat: an email Webex already has as a subscriber elsewhere; the desk alone would let it through.
    const c = await provisionedCustomer('crm-precheck-user');
    const other = fake.seedCustomer({ externalId: 'crm-not-in-desk' });
    fake.seedSubscriber(other, { email: 'elsewhere@precheck.example' });
    const reply = await say(
      'precheck user elsewhere@precheck.example to crm-precheck-user package webex_calling first Al last Ex extension 4001',
    );
    expect(reply).toContain('cannot be added');
    expect(reply).toContain('Webex: A subscriber with this email already exists. \\(Webex errorCode 10020\\)');
    const validate = fake.requests.filter((r) => r.path === '/wholesale/subscribers/validate').at(-1)!;
    expect(validate.body).toMatchObject({
      email: 'elsewhere@precheck.example',
      customerId: expect.any(String),
      packages: ['webex_calling'],
    });
    expect(
      await say('precheck user fresh@precheck.example to crm-precheck-user package webex_calling first Fr last Esh extension 4002'),
    ).toContain('can be added (the desk and Webex agree)');
    expect(c.orgId).toBeTruthy();
    fake.assertValid();
  });

  it('subscribers added, changed and removed by inbound events go through Webex too, in order', async () => {
    const c = await provisionedCustomer('crm-events');
    await addSubscriber(c.id, 'admin@events.example');
    const email = 'ev@events.example';
    let n = 0;
    const send = async (type: string, data: Record<string, unknown>) => {
      n += 1;
      const res = await postEvent(h, { id: `evt-up-${n}`, type, occurredAt: new Date(h.clock.now().getTime() + n).toISOString(), data });
      expect(res.status).toBe(202);
    };
    await send('subscriber.provision', {
      customerExternalId: 'crm-events',
      email,
      packages: ['webex_calling'],
      provisioningParameters: { firstName: 'Ev', lastName: 'Ent', extension: '4901' },
    });
    await send('subscriber.update', { email, packages: ['webex_meetings'] });
    await send('subscriber.delete', { email });
    const row = () => h.db.selectFrom('subscribers').select(['id', 'status']).where('email', '=', email).executeTakeFirst();
    for (let i = 0; i < 60 && (await row())?.status !== 'deleted'; i++) {
      await h.inbox.drain();
      await h.worker.drain();
      h.clock.advance(60_000);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await row())?.status).toBe('deleted');
    const id = (await row())!.id;
    // Each step waited (2104, retried) until Webex had settled the one before, and each reached Webex.
    const calls = fake.requests.filter(
      (r) => (r.body as { email?: string } | undefined)?.email === email || /^\/wholesale\/subscribers\/./.test(r.path),
    );
    expect(calls.some((r) => r.method === 'POST' && r.path === '/wholesale/subscribers' && r.status === 200)).toBe(true);
    expect(calls.some((r) => r.method === 'PUT' && (r.body as { packages?: string[] }).packages?.[0] === 'webex_meetings')).toBe(true);
    expect(calls.some((r) => r.method === 'DELETE' && r.status === 204)).toBe(true);
    expect(webexSubscriber(email)).toBeUndefined();
    expect((await baseEvents(id)).map((e) => e.package)).toEqual(['webex_calling', 'webex_meetings', null]);
    fake.assertValid();
  });

  it('calls for a sub-partner’s customer carry onBehalfOfSubPartnerOrgId; the root partner’s do not', async () => {
    const added = await runCliCommand(h.useCases, ['sub-partner', 'add'], { name: 'Reseller Up' }, { clock: h.clock, ids: nodeIds });
    const subOrgId = /orgId (\S+)/.exec(added.output)![1]!;
    const q = `?onBehalfOfSubPartnerOrgId=${encodeURIComponent(subOrgId)}`;
    const before = fake.requests.length;
    const subCustomer = await provisionedCustomer('crm-reseller', q);
    await addSubscriber(subCustomer.id, 'user@reseller.example', 'webex_calling', q);
    const subCalls = fake.requests.slice(before);
    const rootStart = fake.requests.length;
    const root = await provisionedCustomer('crm-root');
    await addSubscriber(root.id, 'user@root.example');
    const rootCalls = fake.requests.slice(rootStart);

    const posts = (calls: typeof subCalls) => calls.filter((r) => r.method === 'POST');
    expect(posts(subCalls).map((r) => r.path)).toEqual(['/wholesale/customers', '/wholesale/subscribers']);
    expect(subCalls.every((r) => r.query.onBehalfOfSubPartnerOrgId === subOrgId)).toBe(true);
    expect([...fake.customers.values()].find((x) => x.externalId === 'crm-reseller')!.subPartnerOrgId).toBe(subOrgId);
    expect(posts(rootCalls).map((r) => r.path)).toEqual(['/wholesale/customers', '/wholesale/subscribers']);
    expect(rootCalls.every((r) => r.query.onBehalfOfSubPartnerOrgId === undefined)).toBe(true);
    fake.assertValid();
  });
});

/** The statuses of these customers (or of their subscribers). */
const statuses = async (table: 'customers' | 'subscribers', customerIds: string[]) =>
  (
    await h.db
      .selectFrom(table)
      .select('status')
      .where(table === 'customers' ? 'id' : 'customer_id', 'in', customerIds)
      .execute()
  ).map((r) => r.status as string);

/*
 * The fault suite (#15): accepted requests carried through a Webex that answers 429 in a storm, 500 and
 * 503 in bursts, lets the access token expire mid-run and drops connections after applying requests.
 * At the end: exactly one Webex customer per externalId, one subscriber per email, every accepted
 * request completed. Faults come in phases of at most four failures each, below the client's circuit
 * threshold (five in a row), so the run never waits out the circuit's 30 s (it has tests of its own).
 */
describe(`upstream faults on ${testDbKind()}`, () => {
  it('a 429 storm, 5xx bursts, token expiry and dropped connections: one Webex customer per externalId, one subscriber per email, everything completed', async () => {
    const refreshTokenBefore = fake.currentRefreshToken();
    const countsBefore = new Map(fake.statusCounts);
    const droppedBefore = fake.requests.filter((r) => r.status === -1).length;

    // Phase 1, customers: a storm of 429s (Retry-After honoured), a POST applied but its answer lost,
    // and a 503 burst on the polls.
    fake.inject({ kind: 'status', status: 429, retryAfterSeconds: 0, times: 12 });
    fake.inject({ kind: 'drop-after-apply', method: 'POST', path: '/wholesale/customers' });
    fake.inject({ kind: 'status', status: 503, method: 'GET', times: 2 });
    const externalIds = ['crm-f1', 'crm-f2', 'crm-f3', 'crm-f4'];
    const customerIds: string[] = [];
    for (const externalId of externalIds) {
      const res = await h.call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, { externalId, customerInfo: { name: `Fault ${externalId}`, primaryEmail: `it@${externalId}.example` } }),
      );
      expect(res.status).toBe(202);
      customerIds.push(decodeURIComponent(new URL(res.headers.get('location')!).pathname.split('/').pop()!));
    }
    // Subscribers are accepted while their customers are still on their way: their tasks wait.
    const emails: string[] = [];
    for (const [i, customerId] of customerIds.entries())
      for (const n of [1, 2, 3]) {
        const email = `u${n}@${externalIds[i]}.example`;
        emails.push(email);
        const res = await h.call('POST', '/v1/wholesale/subscribers', {
          customerId,
          email,
          packages: ['webex_calling'],
          provisioningParameters: { firstName: 'F', lastName: `U${n}`, extension: String(5000 + n) },
        });
        expect(res.status).toBe(200);
      }
    await runUntil(async () => (await statuses('customers', customerIds)).every((s) => s === 'provisioned'));

    // Phase 2, subscribers: the access token expires (401, refreshed, the run continues), a 500 burst
    // on their POSTs (not applied), one POST applied with its answer lost, and more 429s.
    fake.expireAccessToken();
    fake.inject({ kind: 'status', status: 500, method: 'POST', path: '/wholesale/subscribers', times: 2 });
    fake.inject({ kind: 'drop-after-apply', method: 'POST', path: '/wholesale/subscribers' });
    fake.inject({ kind: 'status', status: 429, retryAfterSeconds: 0, times: 8 });
    await runUntil(async () => (await statuses('subscribers', customerIds)).every((s) => s === 'provisioned'));

    // Phase 3, a package change and a removal: a 503 burst on the PUT, the DELETE's answer lost.
    const [first, second] = await h.db
      .selectFrom('subscribers')
      .select('id')
      .where('email', 'in', ['u2@crm-f1.example', 'u3@crm-f1.example'])
      .orderBy('email')
      .execute();
    fake.inject({ kind: 'status', status: 503, method: 'PUT', times: 2 });
    fake.inject({ kind: 'drop-after-apply', method: 'DELETE' });
    expect(
      (await h.call('PUT', `/v1/wholesale/subscribers/${encodeURIComponent(first!.id)}`, { packages: ['webex_meetings'] })).status,
    ).toBe(200);
    expect((await h.call('DELETE', `/v1/wholesale/subscribers/${encodeURIComponent(second!.id)}`)).status).toBe(204);
    await runUntil(async () => (await statuses('subscribers', customerIds)).every((s) => s === 'provisioned' || s === 'deleted'));

    // Every fault happened.
    for (const status of [429, 401, 500, 503]) expect(fake.statusCounts.get(status) ?? 0).toBeGreaterThan(countsBefore.get(status) ?? 0);
    expect(fake.requests.filter((r) => r.status === -1)).toHaveLength(droppedBefore + 3);
    expect(fake.currentRefreshToken()).not.toBe(refreshTokenBefore);

    // Exactly one Webex customer per externalId and one subscriber per email; everything accepted completed.
    expect(
      [...fake.customers.values()]
        .map((c) => c.externalId)
        .filter((x) => externalIds.includes(x))
        .sort(),
    ).toEqual(externalIds);
    const webexEmails = [...fake.subscribers.values()]
      .map((s) => s.email)
      .filter((e) => /@crm-f\d\.example$/.test(e))
      .sort();
    expect(webexEmails).toEqual(emails.filter((e) => e !== 'u3@crm-f1.example').sort());
    expect([...fake.subscribers.values()].find((s) => s.email === 'u2@crm-f1.example')!.package).toBe('webex_meetings');
    expect(await statuses('customers', customerIds)).toEqual(['provisioned', 'provisioned', 'provisioned', 'provisioned']);
    expect((await statuses('subscribers', customerIds)).filter((s) => s === 'deleted')).toHaveLength(1);
    expect(await h.db.selectFrom('tasks').select(['kind', 'status']).where('status', '<>', 'done').execute()).toEqual([]);
    fake.assertValid();
  });
});
