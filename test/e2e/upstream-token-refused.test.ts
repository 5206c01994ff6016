import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Body } from '../support/api-fixtures.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeWebexWholesale, startFakeWebexWholesale } from '../../dev/fake-webex/fake-webex-wholesale.js';
import {
  killLeftoverServices,
  type SpawnedService,
  spawnService,
  waitForOutput,
  waitForStatus,
  waitUntil,
} from '../support/spawn-service.js';
import { createTestDatabase, type TestDatabase, testDbKind } from '../support/test-db.js';

const TOKEN = 'wdk_token_refused_admin_token_0123456789';
const METRICS_TOKEN = 'metrics-token-for-the-refused-token-e2e';
const RIGHT = 'fake-wholesale-the-right-partner-admin-token';
const WRONG = 'fake-wholesale-a-revoked-partner-admin-token';

/**
 * #25's end to end: the service started as a user does, in upstream mode against the fake Webex
 * Wholesale, with a token Webex refuses. A new customer shows `error` naming the token within 10 s;
 * upstream/status says `unauthorized` with the last error; chat, the digest, /readyz and /metrics say
 * so. Restarted with the right token, one POST /v1/tasks/retry brings it to `provisioned`, with exactly
 * one customer in Webex.
 */
// One spawned service (twice) is CI time: the run is the same on both databases, so it runs once.
describe.runIf(testDbKind() === (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'))(
  `a refused Webex token, end to end, on ${testDbKind()}`,
  () => {
    let dir: string;
    let testDb: TestDatabase;
    let fake: FakeWebexWholesale;
    let service: SpawnedService;
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const start = (webexToken: string) =>
      spawnService({
        ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') }),
        ADMIN_API_TOKEN: TOKEN,
        METRICS_TOKEN,
        WORKER_POLL_MS: '100',
        WEBEX_WHOLESALE_API_URL: fake.apiUrl,
        WEBEX_WHOLESALE_TOKEN: webexToken,
      });

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'wd-token-refused-'));
      testDb = await createTestDatabase({ migrated: true });
      await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
      fake = await startFakeWebexWholesale({ settleMs: 50, accessToken: RIGHT });
    });
    afterAll(async () => {
      await killLeftoverServices();
      await fake.close();
      await testDb.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${service.url}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as Body };
    };
    const say = async (text: string): Promise<string> =>
      (await api('POST', '/v1/console/messages', { text })).body.replies.map((r: { markdown: string }) => r.markdown).join('\n');
    const customer = async () => (await api('GET', '/v1/wholesale/customers?externalId=crm-refused')).body.items[0];

    it('with the token refused a new customer shows error naming the token within 10 s and every place says so; fixed and retried, it is provisioned once', async () => {
      service = start(WRONG);
      await waitForStatus(service, '/readyz');
      // The token is checked at start with one authenticated call, and the outcome logged in words.
      await waitForOutput(service, 'Webex Wholesale token check failed');
      expect(service.output()).toContain('set WEBEX_WHOLESALE_TOKEN');
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', mode: 'upstream', upstream: 'unauthorized' });

      const provisioningId = (await api('GET', '/v1/wholesale/onboardingTemplates')).body.items[0].provisioningId;
      const address = { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' };
      const created = await api('POST', '/v1/wholesale/customers', {
        provisioningId,
        externalId: 'crm-refused',
        packages: ['webex_calling', 'webex_meetings'],
        address,
        customerInfo: { name: 'Refused Dental', primaryEmail: 'it@refused-dental.example' },
        provisioningParameters: { calling: { location: { name: 'HQ', timezone: 'America/Chicago', address } } },
      });
      expect(created.status).toBe(202);
      const acceptedAt = Date.now();
      await waitUntil(service, 'the customer shows error', async () => (await customer())?.status === 'error', 10_000);
      expect(Date.now() - acceptedAt).toBeLessThan(10_000);
      const held = await customer();
      expect(held.errors).toEqual([{ errorCode: 2130, description: expect.stringContaining('The Webex token was refused (401)') }]);
      expect(held.errors[0].description).toContain('WEBEX_WHOLESALE_TOKEN');

      const status = (await api('GET', '/v1/upstream/status')).body;
      expect(status).toMatchObject({
        mode: 'upstream',
        state: 'unauthorized',
        lastError: { status: 401, errorCode: 401, outcome: 'unauthorized', trackingId: expect.stringMatching(/^FAKE_WHOLESALE_/) },
        tokenCheck: { outcome: 'unauthorized' },
        lastSuccessAt: null,
        tasks: { parked: 1, failed: 0 },
      });
      expect(status.summary).toContain('The Webex token was refused (401): set WEBEX_WHOLESALE_TOKEN');

      // Chat and the digest say it in words, with what to do (markdown escapes the underscores).
      const chat = await say('status crm-refused');
      expect(chat).toContain('Status: **error**');
      expect(chat).toContain('Webex connection: unauthorized');
      expect(chat).toContain('WEBEX\\_WHOLESALE\\_TOKEN');
      const digest = await say('digest now');
      expect(digest).toContain('Refused Dental: error (The Webex token was refused \\(401\\): set WEBEX\\_WHOLESALE\\_TOKEN');
      expect(digest).toContain('1 task held because the Webex token was refused');
      expect(digest).toContain('retry failed');

      const metrics = await (await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      expect(metrics).toMatch(/wholesale_desk_webex_calls_total\{operation="POST \/wholesale\/customers",outcome="unauthorized"\} 1/);
      expect(metrics).toMatch(/wholesale_desk_webex_token_refused 1/);
      expect(metrics).toMatch(/wholesale_desk_tasks_stopped\{kind="customer.provision",state="parked"\} 1/);
      expect(metrics).toMatch(/wholesale_desk_webex_call_duration_seconds_count\{operation="GET \/wholesale\/customers"\} 1/);
      expect(metrics).toMatch(/wholesale_desk_webex_circuit_state 0/);
      expect([...fake.customers.values()]).toEqual([]);

      // The token is fixed: restarted with the right one, one retry brings the customer to provisioned.
      service.child.kill('SIGTERM');
      await service.exited;
      service = start(RIGHT);
      await waitForStatus(service, '/readyz');
      await waitForOutput(service, 'Webex Wholesale accepted the token');
      expect((await api('GET', '/v1/upstream/status')).body).toMatchObject({ state: 'ok', tasks: { parked: 1 } });
      const retried = await api('POST', '/v1/tasks/retry');
      expect(retried).toMatchObject({ status: 200, body: { retried: 1, items: [{ kind: 'customer.provision', entityId: held.id }] } });
      await waitUntil(service, 'the customer is provisioned', async () => (await customer())?.status === 'provisioned', 30_000);
      expect((await customer()).errors).toEqual([]);
      expect([...fake.customers.values()].filter((c) => c.externalId === 'crm-refused')).toHaveLength(1);
      expect((await api('GET', '/v1/upstream/status')).body).toMatchObject({ state: 'ok', tasks: { parked: 0, failed: 0 } });
      expect(await say('digest now')).not.toContain('held because the Webex token was refused');
      fake.assertValid();
    });
  },
);
