import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBody } from '../support/api-fixtures.js';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { killLeftoverServices, spawnService, waitForStatus } from '../support/spawn-service.js';
import { createTestDatabase, type TestDatabase, runsOnceAcrossDatabases, testDbKind } from '../support/test-db.js';

const TOKEN = 'wdk_upstream_crash_admin_token_0123456789';
const WEBEX_TOKEN = 'fake-wholesale-partner-admin-token-0001';

/**
 * The service started as a user does, in upstream mode against the fake Webex Wholesale: SIGKILL it
 * after Webex applied the customer POST but before the answer arrived; after a restart the customer is
 * provisioned with exactly one Webex customer for its externalId (the retry looks it up, never reposts).
 */
// The crash path is the lease queue's and the client's, the same on both databases: it runs once, on
// PostgreSQL when the suite has one (the several-instance deployment), else on PGlite. The lease is
// shortened (TASK_LEASE_MS) so the restarted instance takes the killed one's task over in seconds.
describe.runIf(runsOnceAcrossDatabases())(`upstream provisioning survives SIGKILL between a POST and its answer on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  let fake: FakeWebexWholesale;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-upstream-crash-'));
    testDb = await createTestDatabase({ migrated: true });
    await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
    fake = await startFakeWebexWholesale({ settleMs: 50 });
    env = {
      ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') }),
      ADMIN_API_TOKEN: TOKEN,
      WORKER_POLL_MS: '100',
      TASK_LEASE_MS: '3000',
      WEBEX_WHOLESALE_API_URL: fake.apiUrl,
      WEBEX_WHOLESALE_TOKEN: WEBEX_TOKEN,
    };
  });
  afterAll(async () => {
    await killLeftoverServices();
    await fake.close();
    await testDb.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves exactly one Webex customer per externalId, and the desk’s customer provisioned', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const first = spawnService(env);
    await waitForStatus(first, '/readyz');
    expect(await (await fetch(`${first.url}/readyz`)).json()).toMatchObject({ mode: 'upstream' });
    const templates = await (await fetch(`${first.url}/v1/wholesale/onboardingTemplates`, { headers })).json();
    fake.inject({ kind: 'hold-after-apply', ms: 120_000, method: 'POST', path: '/wholesale/customers' });
    const created = await fetch(`${first.url}/v1/wholesale/customers`, {
      method: 'POST',
      headers,
      body: JSON.stringify(customerBody(templates.items[0].provisioningId, { externalId: 'crm-crash-1' })),
    });
    expect(created.status).toBe(202);
    const path = new URL(created.headers.get('location')!).pathname;
    // Webex has applied the POST; its answer is held back. Kill the service now.
    for (let i = 0; i < 600 && fake.customers.size === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(fake.customers.size).toBe(1);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = spawnService(env);
    await waitForStatus(second, '/readyz');
    let status = '';
    // The killed instance's lease on the task runs out (3 s here) before the restarted one takes it over.
    for (let i = 0; i < 1_800 && status !== 'provisioned'; i++) {
      status = (await (await fetch(`${second.url}${path}`, { headers })).json()).status;
      if (status !== 'provisioned') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('provisioned');
    expect([...fake.customers.values()].filter((c) => c.externalId === 'crm-crash-1')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/wholesale/customers')).toHaveLength(1);
    const desk = await (await fetch(`${second.url}${path}`, { headers })).json();
    expect(desk.orgId).toBe([...fake.customers.values()][0]!.orgId);
    fake.assertValid();
    second.child.kill('SIGTERM');
    await second.exited;
  }, 480_000);
});
