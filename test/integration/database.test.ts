import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { DbHandle } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { hashToken } from '../../src/platform/token-hash.js';
import { seedFirstStart } from '../../src/use-cases/seed-first-start.js';
import { TestClock } from '../support/test-clock.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { createUseCases } from '../../src/use-cases/use-cases.js';

describe(`database foundation on ${testDbKind()}`, () => {
  let testDb: TestDatabase;
  let handle: DbHandle;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    handle = await testDb.open({ migrate: false });
  });
  afterAll(async () => {
    await handle.db.destroy().catch(() => undefined);
    await testDb.dispose();
  });

  it('migrates an empty database up to the latest schema, and again is a no-op', async () => {
    const applied = await migrateToLatest(handle.db);
    expect(applied).toEqual(Object.keys(migrations));
    const tables = await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(handle.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'partners',
        'api_tokens',
        'staff',
        'onboarding_templates',
        'audit_log',
        'customers',
        'subscribers',
        'package_events',
        'tasks',
      ]),
    );
    expect(await migrateToLatest(handle.db)).toEqual([]);
  });

  it('parses int8, date, timestamptz and jsonb the same way on both drivers', async () => {
    const r = await sql<{ n: unknown; d: unknown; t: unknown; j: unknown; num: unknown }>`
      select count(*) as n, date '2024-02-29' as d, timestamptz '2026-03-01T10:00:00Z' as t, '{"a":[1,2]}'::jsonb as j, 1.50::numeric as num`.execute(
      handle.db,
    );
    const row = r.rows[0]!;
    expect(row.n).toBe(1);
    expect(row.d).toBe('2024-02-29');
    expect(row.t).toBeInstanceOf(Date);
    expect((row.t as Date).toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(row.j).toEqual({ a: [1, 2] });
    expect(row.num).toBe('1.50');
  });

  it('seeds the first start once: partner, default template, call-in defaults and a printed token', async () => {
    const clock = new TestClock();
    const first = await seedFirstStart(handle.db, { partnerName: 'Acme Wholesale' }, { clock, ids: nodeIds });
    expect(first.createdPartner).toBe(true);
    expect(first.generatedToken).toMatch(/^wdk_[\w-]{40,}$/);
    const second = await seedFirstStart(handle.db, { partnerName: 'Acme Wholesale' }, { clock, ids: nodeIds });
    expect(second).toMatchObject({ createdPartner: false, generatedToken: null, partnerId: first.partnerId });

    const partners = await handle.db.selectFrom('partners').selectAll().execute();
    expect(partners).toHaveLength(1);
    expect(partners[0]!.name).toBe('Acme Wholesale');
    expect(await handle.db.selectFrom('onboarding_templates').selectAll().execute()).toHaveLength(1);
    const tokens = await handle.db.selectFrom('api_tokens').selectAll().execute();
    expect(tokens).toHaveLength(1);
    // Only the hash is stored.
    expect(tokens[0]!.token_hash).toBe(hashToken(first.generatedToken!));
    expect(JSON.stringify(tokens)).not.toContain(first.generatedToken);
    expect(await handle.db.selectFrom('telephony_call_in_numbers').selectAll().execute()).toHaveLength(5);
  });

  it('stores ADMIN_API_TOKEN once across restarts', async () => {
    const clock = new TestClock();
    const token = 'wdk_admin_from_env_0123456789abcdef';
    const a = await seedFirstStart(handle.db, { partnerName: 'x', adminApiToken: token }, { clock, ids: nodeIds });
    const b = await seedFirstStart(handle.db, { partnerName: 'x', adminApiToken: token }, { clock, ids: nodeIds });
    expect([a.storedAdminToken, b.storedAdminToken]).toEqual([true, false]);
    const rows = await handle.db.selectFrom('api_tokens').select('token_hash').where('token_hash', '=', hashToken(token)).execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps the audit log append-only', async () => {
    await handle.db
      .insertInto('audit_log')
      .values({
        at: new Date(),
        partner_id: null,
        actor: 't',
        action: 'a',
        entity_type: 'x',
        entity_id: null,
        before: null,
        after: null,
        context: null,
      })
      .execute();
    await expect(handle.db.updateTable('audit_log').set({ actor: 'forged' }).execute()).rejects.toThrow(/append-only/);
    await expect(handle.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('answers /healthz and /readyz, and /readyz goes 503 once the database is closed', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const app = createApp({
      useCases: createUseCases({ db: handle.db }),
      config,
      logger: pino({ level: 'silent' }),
      clock: new TestClock(),
      ids: nodeIds,
      downloadSecret: 'test-secret',
    });
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    // No list on this bare database: /readyz stays ready and says so (screening is mandatory by default).
    expect(await ready.json()).toEqual({
      status: 'ready',
      database: 'ok',
      mode: 'standalone',
      screening: expect.objectContaining({ list: 'none', required: true, warning: expect.stringMatching(/^no screening list loaded/) }),
    });
    expect(ready.headers.get('x-request-id')).toBeTruthy();

    await handle.db.destroy();
    const down = await app.request('/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ database: 'unreachable' });
    expect((await app.request('/healthz')).status).toBe(200);
  });
});
