import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { claimTasks } from '../../src/db/repositories/tasks.js';
import { createTaskWorker } from '../../src/jobs/task-worker.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { seedFirstStart } from '../../src/use-cases/seed-first-start.js';
import { customerBody } from '../support/api-fixtures.js';
import { TestClock } from '../support/test-clock.js';
import { createTestDatabase, testDbKind } from '../support/test-db.js';
import { createUseCases } from '../../src/use-cases/use-cases.js';

const TOKEN = 'wdk_restart_test_token_0123456789';

/** Work accepted before a crash, even work a dead worker had claimed, is finished after restart. */
describe(`accepted work survives a crash on ${testDbKind()}`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('finishes every accepted customer and subscriber after the process is gone', async () => {
    const testDb = await createTestDatabase();
    cleanups.push(() => testDb.dispose());
    const dir = await mkdtemp(join(tmpdir(), 'wd-restart-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const dbConfig = testDb.url ? { DATABASE_URL: testDb.url, DATA_DIR: 'unused' } : { DATA_DIR: join(dir, 'data') };
    const clock = new TestClock();
    const logger = pino({ level: 'silent' });
    const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'http://desk.test' });

    // Life 1: accept work, and let a worker claim part of it, then "crash" without finishing.
    const first = await createDb(dbConfig);
    await migrateToLatest(first.db);
    await seedFirstStart(first.db, { partnerName: 'Crashy', adminApiToken: TOKEN }, { clock, ids: nodeIds });
    const app = createApp({
      useCases: createUseCases({ db: first.db }),
      config,
      logger,
      clock,
      ids: nodeIds,
      downloadSecret: 'test-secret',
    });
    const call = (method: string, path: string, body?: unknown) =>
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const templateId = (await (await call('GET', '/v1/wholesale/onboardingTemplates')).json()).items[0].provisioningId;
    const locations: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await call(
        'POST',
        '/v1/wholesale/customers',
        customerBody(templateId, {
          externalId: `crash-${i}`,
          packages: ['webex_meetings'],
          provisioningParameters: undefined,
          customerInfo: { name: `Crash ${i}`, primaryEmail: `c${i}@crash.example` },
        }),
      );
      expect(res.status).toBe(202);
      locations.push(new URL(res.headers.get('location')!).pathname);
    }
    const sub = await call('POST', '/v1/wholesale/subscribers', {
      customerId: decodeURIComponent(locations[0]!.split('/').pop()!),
      email: 'u@crash.example',
      packages: ['webex_meetings'],
      provisioningParameters: { firstName: 'Test', lastName: 'User' },
    });
    expect(sub.status).toBe(200);
    const claimed = await claimTasks(first.db, clock.now(), 60_000, 3);
    expect(claimed).toHaveLength(3);
    await first.db.destroy();

    // Life 2: a new process on the same data, after the dead worker's lease ran out.
    const second = await createDb(dbConfig);
    cleanups.push(() => second.db.destroy());
    await migrateToLatest(second.db);
    clock.advance(61_000);
    // No screening list here (this is about the lease): customers go through unscreened, as the SP may allow.
    const worker = createTaskWorker({
      useCases: createUseCases({ db: second.db }),
      logger,
      clock,
      ids: nodeIds,
      pollMs: 50,
      screeningRequired: false,
    });
    expect(await worker.drain()).toBeGreaterThanOrEqual(6);
    // A subscriber whose customer was still provisioning waits a moment and is retried.
    clock.advance(5_000);
    await worker.drain();
    const statuses = await second.db.selectFrom('customers').select('status').execute();
    expect(statuses.map((s) => s.status)).toEqual(Array(5).fill('provisioned'));
    const subs = await second.db.selectFrom('subscribers').select('status').execute();
    expect(subs.map((s) => s.status)).toEqual(['provisioned']);
    const tasks = await second.db.selectFrom('tasks').select(['status']).execute();
    expect(tasks.every((t) => t.status === 'done')).toBe(true);
    // Running again changes nothing.
    expect(await worker.drain()).toBe(0);
    const audits = await second.db.selectFrom('audit_log').select('action').where('action', '=', 'customer.provisioned').execute();
    expect(audits).toHaveLength(5);
  });
});
