import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.js';
import { signEvent } from '../../src/webhooks/verify-signature.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { killLeftoverServices, spawnService, waitForStatus, type SpawnedService } from '../support/spawn-service.js';

const SECRET = 'crash-test-events-secret-0123456789';
const TOKEN = 'wdk_crash_test_admin_token_0123456789';
const TOTAL = 1_000;

/**
 * SIGKILL the service while 2,000 signed events stream in; after a restart every event that got a 2xx
 * is applied exactly once and none that got an error status is. (An event whose connection died
 * without an answer may or may not have been stored; the sender retries it, and the id dedupes.)
 */
describe(`events survive SIGKILL on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-crash-'));
    testDb = await createTestDatabase({ migrated: true });
    await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
    env = {
      ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') }),
      EVENTS_SECRETS: SECRET,
      ADMIN_API_TOKEN: TOKEN,
      WORKER_POLL_MS: '100',
    };
  });
  afterAll(async () => {
    await killLeftoverServices();
    await testDb.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies every acknowledged event exactly once after a restart', async () => {
    const first = spawnService(env);
    await waitForStatus(first, '/readyz');
    const templates = await (
      await fetch(`${first.url}/v1/wholesale/onboardingTemplates`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json();
    const provisioningId = templates.items[0].provisioningId;

    const outcome = new Map<string, number | 'no-answer'>();
    let next = 0;
    let killed = false;
    let acknowledged = 0;
    const send = async (service: SpawnedService) => {
      while (next < TOTAL) {
        const i = next++;
        const id = `crash-${i}`;
        const body = JSON.stringify({
          id,
          type: 'customer.provision',
          occurredAt: new Date().toISOString(),
          data: {
            provisioningId,
            externalId: id,
            packages: ['webex_meetings'],
            address: { addressLine1: `${i} Crash Street`, city: 'London', country: 'GB' },
            customerInfo: { name: `Crash ${i}`, primaryEmail: `admin${i}@crash.example` },
          },
        });
        try {
          const res = await fetch(`${service.url}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'webhook-signature': signEvent(body, SECRET, Math.floor(Date.now() / 1000)) },
            body,
          });
          outcome.set(id, res.status);
          if (res.status >= 200 && res.status < 300) acknowledged++;
          await res.arrayBuffer();
        } catch {
          outcome.set(id, 'no-answer');
        }
        // Killed once 300 are acknowledged (not merely answered: a loaded machine may refuse some first).
        if (!killed && acknowledged >= 300) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, () => send(first)));
    if (!killed) first.child.kill('SIGKILL'); // too few acknowledged: the assertions below say so
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');

    const acked = [...outcome].filter(([, s]) => typeof s === 'number' && s >= 200 && s < 300).map(([id]) => id);
    const refused = [...outcome].filter(([, s]) => typeof s === 'number' && (s < 200 || s >= 300)).map(([id]) => id);
    const histogram = new Map<string, number>();
    for (const s of outcome.values()) histogram.set(String(s), (histogram.get(String(s)) ?? 0) + 1);
    const statuses = `answers by status: ${JSON.stringify(Object.fromEntries(histogram))}`;
    expect(acked.length, statuses).toBeGreaterThanOrEqual(300);
    expect(acked.length, statuses).toBeLessThan(TOTAL);

    const second = spawnService(env);
    await waitForStatus(second, '/readyz');
    const deadline = Date.now() + 240_000;
    for (;;) {
      const stats = await (await fetch(`${second.url}/v1/events/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
      if (stats.pending === 0) break;
      if (Date.now() > deadline) throw new Error(`inbox not drained: ${JSON.stringify(stats)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const handle = await createDb(testDb.url ? { DATABASE_URL: testDb.url, DATA_DIR: 'unused' } : { DATA_DIR: join(dir, 'data') });
    try {
      const events = new Map(
        (await handle.db.selectFrom('inbound_events').select(['id', 'status', 'last_error']).execute()).map((e) => [e.id, e]),
      );
      const customers = await handle.db.selectFrom('customers').select(['external_id']).execute();
      const perExternal = new Map<string, number>();
      for (const c of customers) perExternal.set(c.external_id, (perExternal.get(c.external_id) ?? 0) + 1);
      for (const id of acked) {
        expect(events.get(id)?.status, `${id}: ${events.get(id)?.last_error}`).toBe('done');
        expect(perExternal.get(id), id).toBe(1);
      }
      for (const id of refused) {
        expect(events.has(id), id).toBe(false);
        expect(perExternal.has(id), id).toBe(false);
      }
      expect([...perExternal.values()].every((n) => n === 1)).toBe(true);
      const creates = await handle.db.selectFrom('audit_log').select(['entity_id']).where('action', '=', 'customer.create').execute();
      expect(creates.length).toBe(customers.length);
    } finally {
      await handle.db.destroy();
    }
  }, 300_000); // the drain alone may take its 240 s deadline on a loaded machine
});
