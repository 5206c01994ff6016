import { sql, type Kysely } from 'kysely';

/**
 * Reads that stay fast at a large SP's size (1,000,000 subscribers, 50,000 customers):
 * - one customer's figures (its page, invoice, "billing now", 30-day chart, peak holders) read only
 *   that customer's ledger facts: package_events by (partner, customer, time); its locations by customer;
 * - the console's customer search matches `like '%…%'` through pg_trgm GIN indexes on the searched
 *   expressions (name, external id, primary email, the admin subscriber's email) instead of testing
 *   every live customer, and sorts by name or status from a btree on the live rows;
 * - the dashboard's and digests' month totals are kept per partner and month with the ledger state they
 *   were computed from (`partner_month_totals`): read back while nothing they depend on has changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create index package_events_customer on package_events (partner_id, customer_id, effective_at)`.execute(db);
  await sql`create index locations_customer on locations (customer_id, created_at, id)`.execute(db);
  await sql`create index customers_search_name on customers using gin (lower(coalesce(name, '')) gin_trgm_ops) where status <> 'deleted'`.execute(
    db,
  );
  await sql`create index customers_search_external_id on customers using gin (lower(external_id) gin_trgm_ops) where status <> 'deleted'`.execute(
    db,
  );
  await sql`create index customers_search_primary_email on customers using gin (lower(coalesce(primary_email, '')) gin_trgm_ops) where status <> 'deleted'`.execute(
    db,
  );
  await sql`create index subscribers_search_admin_email on subscribers using gin (email gin_trgm_ops) where is_admin and status <> 'deleted'`.execute(
    db,
  );
  await sql`create index customers_partner_name on customers (partner_id, lower(coalesce(name, external_id)), id) where status <> 'deleted'`.execute(
    db,
  );
  await sql`create index customers_partner_status_name on customers (partner_id, status, lower(coalesce(name, external_id)), id) where status <> 'deleted'`.execute(
    db,
  );
  await db.schema
    .createTable('partner_month_totals')
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_month_totals_pkey', ['partner_id', 'kind', 'period'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('partner_month_totals').ifExists().execute();
  for (const index of [
    'package_events_customer',
    'locations_customer',
    'customers_search_name',
    'customers_search_external_id',
    'customers_search_primary_email',
    'subscribers_search_admin_email',
    'customers_partner_name',
    'customers_partner_status_name',
  ])
    await sql`drop index if exists ${sql.id(index)}`.execute(db);
}
