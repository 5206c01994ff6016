import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Each upload is a version; the previous one stays active until the new one is complete.
  await db.schema
    .createTable('screening_list_versions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('loaded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('loaded_by', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`create unique index screening_list_one_active on screening_list_versions ((active)) where active`.execute(db);

  await db.schema
    .createTable('screening_entries')
    .addColumn('version_id', 'integer', (c) => c.notNull().references('screening_list_versions.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('alt_names', 'jsonb', (c) => c.notNull())
    .addColumn('addresses', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addPrimaryKeyConstraint('screening_entries_pk', ['version_id', 'entry_id'])
    .execute();

  await db.schema
    .createTable('compliance_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('onboarding', 'address_change', 'list_reload')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'approved', 'rejected', 'expired', 'deprovisioned')`))
    .addColumn('matches', 'jsonb', (c) => c.notNull())
    .addColumn('list_version_id', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deadline_at', 'timestamptz', (c) => c.notNull())
    .addColumn('unanswered_contacts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('contacts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'text')
    .addColumn('reason', 'text')
    .execute();
  // One open review per customer at a time.
  await sql`create unique index compliance_reviews_one_open on compliance_reviews (customer_id) where status = 'open'`.execute(db);
  await sql`create index compliance_reviews_due on compliance_reviews (deadline_at) where status = 'open'`.execute(db);
  await db.schema.alterTable('customers').addColumn('non_compliant_since', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').dropColumn('non_compliant_since').execute();
  for (const t of ['compliance_reviews', 'screening_entries', 'screening_list_versions']) await db.schema.dropTable(t).execute();
}
