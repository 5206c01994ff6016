import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/bot/replies.js';
import { createDb } from '../../src/db/create-db.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { killLeftoverServices, type SpawnedService, spawnService, waitForStatus, waitUntil } from '../support/spawn-service.js';
import { createTestDatabase, type TestDatabase, testDbKind } from '../support/test-db.js';

const TOKEN = 'wdk_upstream_chat_admin_token_0123456789';
const WEBEX_TOKEN = 'fake-wholesale-partner-admin-token-0001';

/**
 * Issue #15's end-to-end check: the service started as a user does, in upstream mode against the fake
 * Webex Wholesale on loopback, driven from chat (the console's chat endpoint, the same commands as in
 * a Webex space): a customer and three subscribers provisioned → the fake holds them, created by
 * requests valid against Cisco's document → statuses and orgId in chat and the API; a package change
 * and a removal reach the fake; billing starts when Webex confirmed the customer.
 */
// One spawned service is CI time: the run is the same on both databases, so it runs once, on
// PostgreSQL when the suite has one, else on PGlite.
describe.runIf(testDbKind() === (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'))(
  `provisioning from chat through Webex Wholesale on ${testDbKind()}`,
  () => {
    let dir: string;
    let testDb: TestDatabase;
    let fake: FakeWebexWholesale;
    let service: SpawnedService;
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'wd-upstream-chat-'));
      testDb = await createTestDatabase({ migrated: true });
      await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
      fake = await startFakeWebexWholesale({ settleMs: 50 });
      service = spawnService({
        ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') }),
        ADMIN_API_TOKEN: TOKEN,
        WORKER_POLL_MS: '100',
        WEBEX_WHOLESALE_API_URL: fake.apiUrl,
        WEBEX_WHOLESALE_TOKEN: WEBEX_TOKEN,
      });
      await waitForStatus(service, '/readyz');
    });
    afterAll(async () => {
      await killLeftoverServices();
      await fake.close();
      await testDb.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    const say = async (text: string): Promise<string> => {
      const res = await fetch(`${service.url}/v1/console/messages`, { method: 'POST', headers, body: JSON.stringify({ text }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { replies: { markdown: string }[] }).replies.map((r) => r.markdown).join('\n');
    };
    /** A command that asks to confirm, confirmed. */
    const confirm = async (text: string): Promise<string> => `${await say(text)}\n${await say('yes')}`;
    const api = async (path: string) => {
      const res = await fetch(`${service.url}${path}`, { headers });
      return { status: res.status, body: res.status === 200 ? await res.json() : undefined };
    };
    const webexSubscriber = (email: string) => [...fake.subscribers.values()].find((s) => s.email === email);

    it('a customer and three subscribers from chat reach Webex; a package change and a removal follow; billing starts at Webex’s confirmation', async () => {
      expect(
        await say(
          'provision customer "Echo Dental" email it@echo-dental.example country US packages webex_calling,webex_meetings address "1 Main St" city Austin state TX zip 78701 timezone America/Chicago external-id crm-echo',
        ),
      ).toContain('Accepted **Echo Dental**');
      const emails = ['ann@echo-dental.example', 'bob@echo-dental.example', 'cy@echo-dental.example'];
      for (const [i, email] of emails.entries())
        expect(await confirm(`add user ${email} to crm-echo package webex_calling first U last N${i} extension ${2001 + i}`)).toContain(
          `Added **${escapeMarkdown(email)}**`,
        );

      const customer = async () => (await api('/v1/wholesale/customers?externalId=crm-echo')).body.items[0];
      const subscribers = async () =>
        (await api(`/v1/wholesale/subscribers?customerId=${encodeURIComponent((await customer()).id)}`)).body.items;
      await waitUntil(service, 'the customer and its subscribers are provisioned in Webex', async () => {
        const subs = await subscribers();
        return (
          (await customer()).status === 'provisioned' &&
          subs.length === 3 &&
          subs.every((s: { status: string }) => s.status === 'provisioned')
        );
      });
      const webexCustomer = [...fake.customers.values()].find((c) => c.externalId === 'crm-echo')!;
      expect([...fake.customers.values()]).toHaveLength(1);
      expect([...fake.subscribers.values()].map((s) => s.email).sort()).toEqual(emails);
      expect([...fake.subscribers.values()].every((s) => s.customerId === webexCustomer.id)).toBe(true);
      expect(await customer()).toMatchObject({ status: 'provisioned', orgId: webexCustomer.orgId });
      const status = await say('status crm-echo');
      expect(status).toContain('Status: **provisioned** · orgId');
      expect(status).toContain(webexCustomer.orgId!);
      expect(status).toContain('Webex Calling: 3 provisioned');
      expect(status).toContain('Upstream mode');

      expect(await confirm('change package bob@echo-dental.example to webex_meetings')).toContain('Sent to Webex');
      await waitUntil(
        service,
        'the package change reached Webex',
        () => webexSubscriber('bob@echo-dental.example')?.package === 'webex_meetings',
      );
      const bob = (await subscribers()).find((s: { email: string }) => s.email === 'bob@echo-dental.example');
      await waitUntil(
        service,
        'the desk shows it',
        async () => (await api(`/v1/wholesale/subscribers/${encodeURIComponent(bob.id)}`)).body.status === 'provisioned',
      );
      expect((await api(`/v1/wholesale/subscribers/${encodeURIComponent(bob.id)}`)).body.package).toBe('webex_meetings');

      const removal = await confirm('remove user cy@echo-dental.example');
      expect(removal).toContain('billing stops when Webex confirms the removal');
      expect(removal).toContain('sent to Webex');
      await waitUntil(service, 'the removal reached Webex and the desk', async () => {
        const subs = await subscribers();
        return webexSubscriber('cy@echo-dental.example') === undefined && subs.length === 2;
      });
      const requests = fake.requests.map((r) => `${r.method} ${r.path.replace(/\/[^/]{20,}$/, '/{id}')}`);
      expect(requests).toContain('PUT /wholesale/subscribers/{id}');
      expect(requests).toContain('DELETE /wholesale/subscribers/{id}');
      expect(requests.filter((r) => r === 'POST /wholesale/customers')).toHaveLength(1);
      expect(requests.filter((r) => r === 'POST /wholesale/subscribers')).toHaveLength(3);
      fake.assertValid();

      service.child.kill('SIGTERM');
      await service.exited;
      // Billing follows what Webex confirms: the customer's usage opens when Webex reported it provisioned.
      const handle = await createDb({ DATA_DIR: join(dir, 'data'), DATABASE_URL: testDb.url });
      try {
        const row = await handle.db
          .selectFrom('customers')
          .select(['billing_from', 'created_at', 'webex_customer_id'])
          .where('external_id', '=', 'crm-echo')
          .executeTakeFirstOrThrow();
        expect(row.webex_customer_id).toBe(webexCustomer.id);
        expect(row.billing_from!.getTime()).toBeGreaterThan(row.created_at.getTime());
        const audit = await handle.db
          .selectFrom('audit_log')
          .select('at')
          .where('action', '=', 'customer.provisioned')
          .where('actor', '=', 'system:webex')
          .executeTakeFirstOrThrow();
        expect(row.billing_from).toEqual(audit.at);
      } finally {
        await handle.db.destroy();
      }
    }, 180_000);
  },
);
