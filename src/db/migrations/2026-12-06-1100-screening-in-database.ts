import { sql, type Kysely } from 'kysely';

/**
 * Screening moves into the database: each list version's names, normalised by the desk, in a table
 * with a pg_trgm GIN index, so a customer's candidates come from an index scan instead of an
 * in-memory index every process built for itself. New names go to GIN's pending list and are merged
 * into the index in bulk (PostgreSQL's default 4 MB; PGlite, whose merges run on the service's own
 * thread, sets a smaller `gin_pending_list_limit` when it opens the database, so each merge is short).
 *
 * A version loaded before this migration has no names yet (`names_indexed` false): a re-screening
 * task is queued for the active one, which indexes it in small batches and then screens against it.
 * Until then customers are held, visibly, rather than screened against nothing.
 *
 * Customers provisioned without screening (no list was loaded) carry `unscreened_since`; a list load
 * screens them. Before this migration that was every live customer when no list is active, and every
 * nameless one otherwise. A review of kind `no_list` holds a new customer while there is no list to
 * screen it against.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await db.schema
    .createTable('screening_names')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('version_id', 'integer', (c) => c.notNull().references('screening_list_versions.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text', (c) => c.notNull())
    .execute();
  await sql`create index screening_names_trgm on screening_names using gin (normalized gin_trgm_ops)`.execute(db);
  await sql`alter table screening_list_versions add column names_indexed boolean not null default false`.execute(db);

  await sql`alter table customers add column unscreened_since timestamptz`.execute(db);
  await sql`
    update customers set unscreened_since = created_at
    where status in ('provisioned', 'provisioned_with_errors', 'updating')
      and (name is null or not exists (select 1 from screening_list_versions where active))`.execute(db);
  await sql`create index customers_unscreened on customers (id) where unscreened_since is not null`.execute(db);

  await sql`alter table compliance_reviews drop constraint if exists compliance_reviews_kind_check`.execute(db);
  await sql`alter table compliance_reviews add constraint compliance_reviews_kind_check
    check (kind in ('onboarding', 'address_change', 'list_reload', 'name_missing', 'no_list'))`.execute(db);

  await sql`
    insert into tasks (kind, entity_id, payload, run_after, created_at)
    select 'compliance.rescreen', id::text, '{}'::jsonb, now(), now() from screening_list_versions where active`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from compliance_reviews where kind = 'no_list'`.execute(db);
  await sql`alter table compliance_reviews drop constraint if exists compliance_reviews_kind_check`.execute(db);
  await sql`alter table compliance_reviews add constraint compliance_reviews_kind_check
    check (kind in ('onboarding', 'address_change', 'list_reload', 'name_missing'))`.execute(db);
  await sql`drop index if exists customers_unscreened`.execute(db);
  await sql`alter table customers drop column unscreened_since`.execute(db);
  await sql`alter table screening_list_versions drop column names_indexed`.execute(db);
  await db.schema.dropTable('screening_names').execute();
}
