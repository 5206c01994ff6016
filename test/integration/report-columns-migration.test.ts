import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { insertPartner } from '../../src/db/repositories/partners.js';
import { REPORT_COLUMNS } from '../../src/domain/billing-reports.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

const USER_BEFORE_2026_11_30 = [...REPORT_COLUMNS.CUSTOMER, 'SUBSCRIBER_ID', 'USER_ID', 'WORKSPACE_ID'];

/** Stored reports get the column list their rows were written under: USER reports made before LOCATION_ID moved last keep it after the customer columns. */
describe(`the report-columns migration on ${testDbKind()}`, () => {
  let testDb: TestDatabase;
  let handle: DbHandle;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    handle = await testDb.open({ migrate: false });
  });
  afterAll(async () => {
    await handle.db.destroy();
    await testDb.dispose();
  });

  // Two USER reports of one period cannot both be COMPLETED: the later one is of December.
  const report = (id: string, type: string, createdAt: ReturnType<typeof sql>, month = '11') =>
    sql`insert into billing_reports (id, partner_id, requested_by_partner_id, sub_partner_org_id, type, category,
      billing_start_date, billing_end_date, status, errors, row_count, created_by, created_at, completed_at)
      values (${id}, 'root', 'root', null, ${type}, 'RECONCILIATION', ${`2026-${month}-01`}, ${`2026-${month}-28`}, 'COMPLETED', '[]'::jsonb, 0,
        'test', ${createdAt}, now())`.execute(handle.db);

  it('gives USER reports made before LOCATION_ID moved last the old order, every other report today’s', async () => {
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('2026-11-30-1300-billing-from')).error).toBeUndefined();
    await insertPartner(handle.db, {
      id: 'root',
      orgId: 'ORG-ROOT',
      name: 'Root',
      parentId: null,
      createdAt: new Date('2026-01-01T00:00:00Z'),
    });
    const before = sql`timestamptz '2026-11-25T09:00:00Z'`;
    await report('user-old', 'USER', before);
    await report('customer-old', 'CUSTOMER', before);
    await report('partner-old', 'PARTNER', before);
    // The release that moved LOCATION_ID last arrives with this migration; reports after it have the new order.
    expect((await migrator.migrateTo('2026-11-30-1310-addons-and-workspaces')).error).toBeUndefined();
    await report('user-new', 'USER', sql`now() + interval '1 second'`, '12');

    expect(await migrateToLatest(handle.db)).toContain('2026-12-06-1700-report-columns');
    const rows = await handle.db.selectFrom('billing_reports').select(['id', 'columns']).orderBy('id').execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.columns]))).toEqual({
      'customer-old': REPORT_COLUMNS.CUSTOMER,
      'partner-old': REPORT_COLUMNS.PARTNER,
      'user-old': USER_BEFORE_2026_11_30,
      'user-new': REPORT_COLUMNS.USER,
    });
    expect(USER_BEFORE_2026_11_30).not.toEqual(REPORT_COLUMNS.USER);
  });
});
