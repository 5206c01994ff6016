import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { insertPartner } from '../../src/db/repositories/partners.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

/** Existing customers get the instant they were provisioned; never-provisioned ones bill nothing; sub-partners their set-up day. */
describe(`the billing-from migration on ${testDbKind()}`, () => {
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

  it('backfills customers.billing_from and sub-partner billing start dates', async () => {
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('2026-11-30-1250-secret-rotation')).error).toBeUndefined();
    const db = handle.db;
    await insertPartner(db, { id: 'root', orgId: 'ORG-ROOT', name: 'Root', parentId: null, createdAt: new Date('2026-01-01T00:00:00Z') });
    await insertPartner(db, { id: 'sub', orgId: 'ORG-SUB', name: 'Sub', parentId: 'root', createdAt: new Date('2026-03-04T22:00:00Z') });
    await sql`insert into onboarding_templates (id, partner_id, name, country, language, auth_mode, brand_name, allow_admin_invite_emails, disable_webex_calling_1to1)
      values ('t', 'root', 'T', 'US', 'en_US', 'webex', 'B', true, false)`.execute(db);
    const customer = (id: string, status: string) =>
      sql`insert into customers (id, partner_id, external_id, org_id, attached_org, provisioning_id, locale, meetings_locale, org_country,
        address, packages, status, request_fingerprint, created_at, updated_at, status_changed_at)
        values (${id}, 'root', ${id}, null, false, 't', 'en_US', 'en_US', 'US', '{}'::jsonb, '[]'::jsonb, ${status}, 'f',
          timestamptz '2026-05-01T10:00:00Z', now(), now())`.execute(db);
    const audit = (id: string, action: string) =>
      sql`insert into audit_log (at, partner_id, actor, action, entity_type, entity_id) values (now(), 'root', 'test', ${action}, 'customer', ${id})`.execute(
        db,
      );
    await customer('plain', 'provisioned');
    await audit('plain', 'customer.provisioned');
    await customer('held', 'provisioned');
    await sql`insert into compliance_reviews (id, customer_id, partner_id, kind, status, matches, list_version_id, opened_at, deadline_at, decided_at)
      values ('r1', 'held', 'root', 'onboarding', 'approved', '[]'::jsonb, 1, timestamptz '2026-05-01T10:00:00Z',
        timestamptz '2026-05-04T10:00:00Z', timestamptz '2026-05-02T16:30:00Z')`.execute(db);
    await customer('deprovisioned', 'error');
    await audit('deprovisioned', 'customer.provisioned');
    await customer('rejected', 'error');
    await customer('waiting', 'provisioning');
    await customer('in-review', 'pending_rpl_review');

    expect(await migrateToLatest(db)).toContain('2026-11-30-1300-billing-from');
    const rows = await db.selectFrom('customers').select(['id', 'billing_from']).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.billing_from?.toISOString() ?? null]))).toEqual({
      plain: '2026-05-01T10:00:00.000Z',
      held: '2026-05-02T16:30:00.000Z',
      deprovisioned: '2026-05-01T10:00:00.000Z',
      rejected: null,
      waiting: null,
      'in-review': null,
    });
    const partners = await db.selectFrom('partners').select(['id', 'billing_start_date']).orderBy('id').execute();
    expect(partners).toEqual([
      { id: 'root', billing_start_date: null },
      { id: 'sub', billing_start_date: '2026-03-04' },
    ]);
  });
});
