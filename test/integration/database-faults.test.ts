import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb, type DbHandle } from '../../src/db/create-db.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { seedFirstStart } from '../../src/use-cases/seed-first-start.js';
import { customerBody } from '../support/api-fixtures.js';
import { TestClock } from '../support/test-clock.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { startTcpProxy, type TcpProxy, waitUntilHeldSessionsEnded } from '../support/tcp-proxy.js';
import { createUseCases } from '../../src/use-cases/use-cases.js';

const TOKEN = 'wdk_test_admin_token_0123456789abcdef';
const STATEMENT_TIMEOUT_MS = 1_000;

/** A server between the service and PostgreSQL that the test cuts and freezes. PGlite has no network. */
describe.runIf(testDbKind() === 'postgres')('database faults through a TCP proxy on postgres', () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let handle: DbHandle;
  const connectionErrors: Error[] = [];
  let app: ReturnType<typeof createApp>;
  let templateId: string;

  const call = (method: string, path: string, body?: unknown) =>
    Promise.resolve(
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }),
    );

  async function answersWithin(ms: number, path: string, status: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const res = await call('GET', path);
      if (res.status === status) return Date.now() - started;
      if (Date.now() - started > ms) throw new Error(`${path} still answers ${res.status} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    testDb = await createTestDatabase({ migrated: true });
    const migrated = await testDb.open();
    await migrated.db.destroy();
    const direct = new URL(testDb.url!);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);
    handle = await createDb(
      {
        DATABASE_URL: viaProxy.toString(),
        DATA_DIR: 'unused',
        DB_STATEMENT_TIMEOUT_MS: STATEMENT_TIMEOUT_MS,
        DB_CONNECT_TIMEOUT_MS: 1_000,
      },
      (e) => connectionErrors.push(e),
    );
    const clock = new TestClock();
    const seed = await seedFirstStart(handle.db, { partnerName: 'Faulty Partner', adminApiToken: TOKEN }, { clock, ids: nodeIds });
    const config = loadConfig({ PUBLIC_URL: 'http://desk.test', LOG_LEVEL: 'silent', ADMIN_API_TOKEN: TOKEN });
    app = createApp({
      useCases: createUseCases({ db: handle.db }),
      config,
      logger: pino({ level: 'silent' }),
      clock,
      ids: nodeIds,
      downloadSecret: seed.downloadSecret,
    });
    templateId = (await (await call('GET', '/v1/wholesale/onboardingTemplates')).json()).items[0].provisioningId;
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    await handle?.db.destroy().catch(() => undefined);
    await proxy?.close();
    await testDb?.dispose();
  });

  it('survives a reset of a connection that a transaction holds (the process is not killed by an unhandled error event)', async () => {
    const before = connectionErrors.length;
    const outcome = handle.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      proxy.cut();
      // The socket dies while the client is checked out and idle: pg emits 'error' on the client.
      await vi.waitFor(() => expect(connectionErrors.length).toBeGreaterThan(before), { timeout: 10_000, interval: 20 });
      await sql`select 2`.execute(trx);
    });
    await expect(outcome).rejects.toThrow(/Connection terminated|ECONNRESET|connection error|not queryable/i);
    expect(connectionErrors.length).toBeGreaterThan(before);
  });

  it('answers 503 with Retry-After while the database is cut, recovers within 5 s of its return, and keeps each acknowledged write once', async () => {
    const accepted = await call('POST', '/v1/wholesale/customers', customerBody(templateId, { externalId: 'fault-cut-1' }));
    expect(accepted.status).toBe(202);

    proxy.cut();
    for (const [method, path, body] of [
      ['GET', '/v1/wholesale/customers', undefined],
      ['POST', '/v1/wholesale/customers', customerBody(templateId, { externalId: 'fault-cut-2' })],
    ] as const) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }

    proxy.restore();
    await answersWithin(5_000, '/v1/wholesale/customers', 200);
    const rows = await handle.db
      .selectFrom('customers')
      .select('external_id')
      .where('external_id', 'in', ['fault-cut-1', 'fault-cut-2'])
      .execute();
    expect(rows.map((r) => r.external_id)).toEqual(['fault-cut-1']);
  });

  it('answers 503 within the statement timeout when the database stops answering, and commits nothing after the 503', async () => {
    proxy.freeze();
    const started = Date.now();
    const res = await call('POST', '/v1/wholesale/customers', customerBody(templateId, { externalId: 'fault-frozen-1' }));
    const tookMs = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    // The client-side read timeout is the statement timeout plus a 2 s margin; far below 15 s.
    expect(tookMs).toBeLessThan(STATEMENT_TIMEOUT_MS + 2_000 + 2_000);

    proxy.restore();
    await answersWithin(5_000, '/v1/wholesale/customers', 200);
    // Whatever the freeze held back has had its chance once the server ended the sessions it rode on.
    const direct = await testDb.open({ migrate: false });
    try {
      await waitUntilHeldSessionsEnded(proxy, direct.db);
    } finally {
      await direct.db.destroy();
    }
    const late = await handle.db.selectFrom('customers').select('id').where('external_id', '=', 'fault-frozen-1').execute();
    expect(late).toEqual([]);
  });
});
