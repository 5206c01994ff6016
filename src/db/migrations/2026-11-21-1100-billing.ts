import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Secrets the instances must share (signed download links), generated once on first start.
  await db.schema
    .createTable('app_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('billing_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('requested_by_partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('sub_partner_org_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('PARTNER', 'CUSTOMER', 'USER')`))
    .addColumn('category', 'text', (c) => c.notNull().check(sql`category in ('RECONCILIATION', 'POINT_IN_TIME')`))
    .addColumn('billing_start_date', 'date', (c) => c.notNull())
    .addColumn('billing_end_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('IN_PROGRESS', 'COMPLETED', 'FAILED')`))
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('row_count', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .execute();
  // At most one completed report per partner, sub-partner, type, category and period: delete it to regenerate.
  await sql`create unique index billing_reports_one_completed on billing_reports
    (partner_id, type, category, billing_start_date, billing_end_date) where status = 'COMPLETED'`.execute(db);
  await sql`create index billing_reports_partner on billing_reports (requested_by_partner_id, billing_start_date, id)`.execute(db);

  // A report's CSV body in chunks of lines, formatted by SQL at generation: a download only streams text.
  await db.schema
    .createTable('billing_report_chunks')
    .addColumn('report_id', 'text', (c) => c.notNull().references('billing_reports.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_report_chunks_pk', ['report_id', 'seq'])
    .execute();
  // Chunks are written once and read once: compressing them costs more CPU than the bytes it saves.
  await sql`alter table billing_report_chunks alter column body set storage external`.execute(db);
  // RFC 4180 field: quoted when it holds a comma, quote or line break; NULL is empty.
  await sql`
    create function csv_field(t text) returns text immutable language sql as $$
      select case when t is null then '' when t ~ '[",\r\n]' then '"' || replace(t, '"', '""') || '"' else t end
    $$`.execute(db);
  // 1/10,000-day units as '30', '0.5', '12.3457'.
  await sql`
    create function format_units(u bigint) returns text immutable language sql as $$
      select case when u % 10000 = 0 then (u / 10000)::text
                  else (u / 10000)::text || '.' || rtrim(lpad((u % 10000)::text, 4, '0'), '0') end
    $$`.execute(db);

  // The SP's own price book, versioned: a version applies from its day until the next one.
  await db.schema
    .createTable('price_book')
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('monthly_price_minor', 'bigint', (c) => c.notNull().check(sql`monthly_price_minor >= 0`))
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('price_book_pk', ['partner_id', 'effective_from', 'package'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['price_book', 'billing_report_chunks', 'billing_reports', 'app_secrets']) await db.schema.dropTable(table).execute();
  await sql`drop function if exists csv_field`.execute(db);
  await sql`drop function if exists format_units`.execute(db);
}
