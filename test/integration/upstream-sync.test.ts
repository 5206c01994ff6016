import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { BotContext, StaffRole } from '../../src/bot/bot-command.js';
import { formatDailyDigest } from '../../src/bot/digest-messages.js';
import { handleCardSubmission, handleMessage } from '../../src/bot/handle-message.js';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { loadConfig } from '../../src/config.js';
import { loadRootPartner } from '../../src/use-cases/operator-admin.js';
import { addDays, toCivilDate } from '../../src/domain/calendar.js';
import { createUpstreamSyncJob } from '../../src/jobs/upstream-sync-job.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { loadDailyDigest } from '../../src/use-cases/digest-data.js';
import { createUpstream } from '../../src/webex/create-upstream.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { runWorkerUntil } from '../support/run-worker-until.js';
import { syncSummary } from '../support/upstream-sync-run.js';

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
// A sync runs in the background: the run is followed until it ends, and its summary answered.
const sync = () => syncSummary(h!);
const openDrift = async (): Promise<DriftItem[]> => (await json(h!.call('GET', '/v1/upstream/drift?max=1000'))).items;
const brief = (items: DriftItem[]) => items.map((i) => `${i.entityType} ${i.kind} ${i.subject}`).sort();

/** Runs the worker until `done` holds (test/support/run-worker-until.ts). */
const runUntil = (done: () => Promise<boolean> | boolean) => runWorkerUntil(h!, done, { pauseMs: 20 });

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
    // Webex's wholesale record carries no name: each imported customer takes its org's (GET /organizations/{orgId}, displayName).
    const bulk1 = seeded[0]!;
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/organizations/${bulk1.orgId}`)).toBe(true);
    const named = await h.db.selectFrom('customers').select('name').where('external_id', '=', bulk1.externalId).executeTakeFirstOrThrow();
    expect(named.name).toBe(`Customer ${bulk1.externalId}`);
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

  it('from chat, the CLI and the scheduled job: subscriber drift listed as a card, resolved by its buttons and the API; standalone refuses plainly', async () => {
    fake = await startFakeWebexWholesale({ settleMs: 10 });
    fake.seedBulk(2, 2, 'crm');
    // Webex is still reviewing this one: imported as such, and followed until Webex decides.
    fake.holdForRplReview('crm-review');
    fake.seedCustomer({ externalId: 'crm-review', status: 'pending_rpl_review' });
    h = await createTestHarness({ env: { WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: TOKEN } });
    const log = pino({ level: 'silent' });
    const upstream = createUpstream({
      config: loadConfig({ WEBEX_WHOLESALE_API_URL: fake.apiUrl, WEBEX_WHOLESALE_TOKEN: TOKEN }),
      useCases: h.useCases,
      box: h.box,
      clock: h.clock,
      logger: log,
    })!;
    const partner = (await loadRootPartner(h.db))!;
    const ctxFor = (role: StaffRole, standalone = false): BotContext => ({
      useCases: h!.useCases,
      actor: { partner, label: `staff:${role}@partner.example`, role },
      spaceId: 'space-sync',
      deps: { now: h!.clock.now(), uuid: nodeIds.uuid, viaWebex: !standalone },
      upstream: standalone ? undefined : upstream,
    });
    const say = (text: string, role: StaffRole = 'admin', standalone = false) => handleMessage(ctxFor(role, standalone), text, log);

    expect((await say('sync', 'admin', true)).markdown).toContain('the desk runs standalone');
    const cliStandalone = await runCliCommand(h.useCases, ['sync'], {}, { clock: h.clock, ids: nodeIds });
    expect(cliStandalone).toMatchObject({ exitCode: 1 });
    expect(cliStandalone.output).toContain('standalone');
    expect((await say('sync', 'operator')).markdown).toContain('needs the admin role');
    expect((await say('sync')).markdown).toContain('started in the background');
    await h.worker.drain();
    expect((await say('sync status')).markdown).toContain('imported 3 customers and 4 subscribers');
    const reviewed = `/v1/wholesale/customers?externalId=crm-review`;
    expect((await json(h.call('GET', reviewed))).items[0].status).toBe('pending_rpl_review');
    fake.clearRplReview('crm-review', 'provisioned');
    await runUntil(async () => (await json(h!.call('GET', reviewed))).items[0].status === 'provisioned');

    // Planted in Webex: a package changed, a status changed, a subscriber removed, one added.
    const bySubject = (email: string) => [...fake!.subscribers.values()].find((s) => s.email === email)!;
    bySubject('user-0001@crm-0001.example').package = 'webex_meetings';
    bySubject('user-0002@crm-0001.example').status = 'pending_user_migration';
    fake.subscribers.delete(bySubject('user-0001@crm-0002.example').id);
    fake.seedSubscriber([...fake.customers.values()].find((c) => c.externalId === 'crm-0002')!, { email: 'new@crm-0002.example' });

    const cli = await runCliCommand(h.useCases, ['sync'], {}, { clock: h.clock, ids: nodeIds, upstream });
    expect(cli.exitCode).toBe(0);
    expect(cli.output).toContain('drift: 1 only in Webex, 1 only in the desk, 1 status, 1 packages');
    const items = await openDrift();
    expect(brief(items)).toEqual([
      'subscriber only_desk user-0001@crm-0002.example',
      'subscriber only_webex new@crm-0002.example',
      'subscriber packages user-0001@crm-0001.example',
      'subscriber status user-0002@crm-0001.example',
    ]);
    const byKind = Object.fromEntries(items.map((i) => [i.kind, i]));
    // Seen again by the next run, each difference stays the one open item it was.
    expect((await sync()).openDrift).toBe(4);
    expect((await openDrift()).map((i) => i.id).sort()).toEqual(items.map((i) => i.id).sort());

    const digest = formatDailyDigest(await loadDailyDigest(h.db, partner, addDays(toCivilDate(h.clock.now()), -1), h.clock.now()));
    expect(digest.markdown).toContain('**Drift with Webex**: 4 open (1 only in Webex, 1 only in the desk, 1 status, 1 packages)');

    // Chat: a card with a button per action; a status can only be adopted.
    const listed = await say('drift', 'operator');
    expect(listed.markdown).toContain('**Drift** (4 open)');
    const buttons = (listed.card!.body as { type: string; actions?: { title: string; data: Record<string, string> }[] }[])
      .filter((b) => b.type === 'ActionSet')
      .flatMap((b) => b.actions!.map((a) => a.data));
    expect(buttons).toHaveLength(7);
    expect(buttons).toContainEqual({ _command: 'drift resolve', action: 'adopt', id: byKind.status!.id });
    expect(buttons).not.toContainEqual({ _command: 'drift resolve', action: 'push', id: byKind.status!.id });
    expect((await say(`drift resolve push ${byKind.status!.id.slice(0, 8)}`)).markdown).toContain("a status is Webex's to report");
    const refused = await h.call('POST', `/v1/upstream/drift/${byKind.status!.id}/push`);
    expect((await refused.json()).errors[0].errorCode).toBe(2123);

    // Pressing "Push the desk's" on the package difference sends the desk's package to Webex.
    const press = (data: Record<string, string>, role: StaffRole = 'admin') => handleCardSubmission(ctxFor(role), data, log);
    expect((await press({ _command: 'drift resolve', action: 'push', id: byKind.packages!.id }, 'operator')).markdown).toContain(
      'needs the admin role',
    );
    expect((await press({ _command: 'drift resolve', action: 'push', id: byKind.packages!.id })).markdown).toContain('Pushing');
    expect(bySubject('user-0001@crm-0001.example').package).toBe('webex_calling');
    expect((await press({ _command: 'drift resolve', action: 'adopt', id: byKind.status!.id })).markdown).toContain('Adopted');
    const migrating = (await json(h.call('GET', '/v1/wholesale/subscribers?email=user-0002@crm-0001.example'))).items[0];
    expect(migrating.status).toBe('pending_user_migration');

    // The API: adopt the removal (the desk lets the subscriber go), push the desk's absence (Webex removes the new one).
    expect((await h.call('POST', `/v1/upstream/drift/${byKind.only_desk!.id}/adopt`)).status).toBe(200);
    const gone = await h.call('GET', `/v1/wholesale/subscribers/${byKind.only_desk!.deskId}`);
    expect(gone.status).toBe(404);
    expect((await h.call('POST', `/v1/upstream/drift/${byKind.only_webex!.id}/push`)).status).toBe(200);
    expect([...fake.subscribers.values()].some((s) => s.email === 'new@crm-0002.example')).toBe(false);
    expect((await h.call('POST', '/v1/upstream/drift/no-such-item/adopt')).status).toBe(404);

    // The scheduled job: one run per firing, whichever instance claims it; nothing left to report.
    const job = (instanceId: string) =>
      createUpstreamSyncJob({
        useCases: h!.useCases,
        logger: log,
        clock: h!.clock,
        ids: nodeIds,
        upstream,
        schedule: '0 3 * * *',
        instanceId,
      });
    expect(await job('instance-a').runAt(h.clock.now())).toBe(true);
    expect(await job('instance-b').runAt(h.clock.now())).toBe(false);
    expect(await openDrift()).toEqual([]);
    expect((await say('drift', 'viewer')).markdown).toContain('needs the operator role');
    expect((await say('drift', 'operator')).markdown).toContain('No drift');
    fake.assertValid();
  }, 60_000);
});
