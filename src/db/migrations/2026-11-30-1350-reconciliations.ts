import { sql, type Kysely } from 'kysely';

/**
 * Reconciliations of Cisco's billing report against the desk's ledger: one row per upload, and one
 * line per key at the file's level (package, subscriber or workspace or customer, location) with
 * both quantities in 1/10,000 licence-day, the class and the money at stake.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reconciliations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('billing_start_date', 'date', (c) => c.notNull())
    .addColumn('billing_end_date', 'date', (c) => c.notNull())
    .addColumn('report_type', 'text', (c) => c.notNull().check(sql`report_type in ('PARTNER', 'CUSTOMER', 'USER')`))
    .addColumn('tolerance_units', 'bigint', (c) => c.notNull())
    .addColumn('file_lines', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text')
    .addColumn('price_from', 'date')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index reconciliations_partner on reconciliations (partner_id, created_at desc, id)`.execute(db);

  await db.schema
    .createTable('reconciliation_lines')
    // No foreign keys here: a reconciliation writes 200,000 lines in one INSERT, and two checks per line
    // cost more than the join itself. Lines are only ever written with their reconciliation, in its transaction.
    .addColumn('reconciliation_id', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('customer_ref', 'text')
    .addColumn('cisco_units', 'bigint')
    .addColumn('desk_units', 'bigint')
    .addColumn('diff_units', 'bigint', (c) => c.notNull())
    .addColumn('class', 'text', (c) => c.notNull().check(sql`class in ('match', 'quantity_difference', 'only_cisco', 'only_desk')`))
    .addColumn('money_minor', 'bigint')
    .addPrimaryKeyConstraint('reconciliation_lines_pk', ['reconciliation_id', 'package', 'entity_id', 'location_id'])
    .execute();
  // Lines of one class, paged in key order.
  await sql`create index reconciliation_lines_class on reconciliation_lines (reconciliation_id, class, package, entity_id, location_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reconciliation_lines').execute();
  await db.schema.dropTable('reconciliations').execute();
}
