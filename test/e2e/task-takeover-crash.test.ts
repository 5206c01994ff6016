import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import { customerBody } from '../support/api-fixtures.js';
import { killLeftoverServices, spawnService, waitForStatus, type SpawnedService } from '../support/spawn-service.js';
import { createTestDatabase, runsOnceAcrossDatabases, type TestDatabase, testDbKind } from '../support/test-db.js';

const TOKEN = 'wdk_takeover_crash_admin_token_0123456789';
const WEBEX_TOKEN = 'fake-wholesale-partner-admin-token-0001';
const CUSTOMERS = 15;

/**
 * The service as a user starts it, in upstream mode, with the default task lease (TASK_LEASE_MS): it is
 * SIGKILLed while Webex holds the answers to customer POSTs it already applied (14 of the 15 in flight; the
 * first one's timed out before, which left it ambiguous: Webex applied it, the desk never heard). The instance that
 * carries on (a second one already running on PostgreSQL; a restart on PGlite, whose data directory one
 * process holds) takes the tasks over once their leases run out and finishes each with exactly one Webex
 * customer. How long that took after the kill is printed: the figure the lease decides.
 */
describe.runIf(runsOnceAcrossDatabases())(`tasks of a killed instance are taken over on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  let fake: FakeWebexWholesale;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-takeover-'));
    testDb = await createTestDatabase({ migrated: true });
    await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
    fake = await startFakeWebexWholesale({ settleMs: 50 });
    env = {
      ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') }),
      ADMIN_API_TOKEN: TOKEN,
      WORKER_POLL_MS: '100',
      WEBEX_WHOLESALE_API_URL: fake.apiUrl,
      WEBEX_WHOLESALE_TOKEN: WEBEX_TOKEN,
      // All 15 POSTs in flight at once (the default allows 8).
      WEBEX_WHOLESALE_CONCURRENCY: '16',
    };
  });
  afterAll(async () => {
    await killLeftoverServices();
    await fake.close();
    await testDb.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes the 15 customers a killed instance held, each with one Webex customer', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const first = spawnService(env);
    await waitForStatus(first, '/readyz');
    const templates = await (await fetch(`${first.url}/v1/wholesale/onboardingTemplates`, { headers })).json();
    fake.inject({ kind: 'hold-after-apply', ms: 300_000, method: 'POST', path: '/wholesale/customers', times: CUSTOMERS });
    const paths: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      // The first customer wakes the worker, whose batch (one at a time per process) then waits on Webex
      // until the request times out (15 s); the other 14 are posted meanwhile and are claimed together by
      // the next batch. Posted straight after one another, a loaded machine could let a first batch claim
      // anywhere from 1 to 15 of them, and 5 or more timing out together open the circuit.
      if (i === 1) await vi.waitFor(() => expect(fake.customers.size).toBe(1), { timeout: 60_000, interval: 50 });
      const created = await fetch(`${first.url}/v1/wholesale/customers`, {
        method: 'POST',
        headers,
        body: JSON.stringify(
          customerBody(templates.items[0].provisioningId, {
            externalId: `crm-takeover-${i}`,
            customerInfo: { name: `Takeover ${i} Ltd`, primaryEmail: `it@takeover-${i}.example` },
          }),
        ),
      });
      expect(created.status).toBe(202);
      paths.push(new URL(created.headers.get('location')!).pathname);
    }
    // Webex has applied every POST; the answers are held back, so all 15 tasks are in flight on the first instance.
    await vi.waitFor(() => expect(fake.customers.size).toBe(CUSTOMERS), { timeout: 60_000, interval: 100 });

    let second: SpawnedService | undefined;
    if (testDb.url) {
      second = spawnService(env);
      await waitForStatus(second, '/readyz');
    }
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    if (!second) {
      second = spawnService(env);
      await waitForStatus(second, '/readyz');
    }
    const running = second;
    const statuses = async () =>
      Promise.all(paths.map(async (p) => ((await (await fetch(`${running.url}${p}`, { headers })).json()) as { status: string }).status));
    await vi.waitFor(async () => expect(new Set(await statuses())).toEqual(new Set(['provisioned'])), { timeout: 300_000, interval: 100 });
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`takeover on ${testDbKind()}: ${CUSTOMERS} customers provisioned ${seconds.toFixed(1)} s after the kill`);

    for (let i = 0; i < CUSTOMERS; i++)
      expect([...fake.customers.values()].filter((c) => c.externalId === `crm-takeover-${i}`)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/wholesale/customers')).toHaveLength(CUSTOMERS);
    fake.assertValid();
    running.child.kill('SIGTERM');
    await running.exited;
  }, 480_000);
});
