import { sql, type Kysely } from 'kysely';

/**
 * Issued invoices (issue #26): numbered documents that never change, what each billed per customer,
 * period, package and price version (lines and later adjustments, the "billed ledger" adjustments are
 * computed against), a gapless number counter per partner, and when each closed period was last checked
 * for later changes. The database itself refuses to update or delete an issued invoice or a billed item.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table invoice_counters (
    partner_id text primary key,
    last_seq integer not null default 0
  )`.execute(db);
  await sql`create table issued_invoices (
    partner_id text not null,
    number text not null,
    seq integer not null,
    customer_id text not null,
    month text not null,
    issued_at timestamptz not null,
    issued_by text not null,
    total_minor bigint not null,
    document text not null,
    primary key (partner_id, number),
    unique (partner_id, seq),
    unique (partner_id, customer_id, month)
  )`.execute(db);
  await sql`create index issued_invoices_partner_month on issued_invoices (partner_id, month)`.execute(db);
  await sql`create table invoice_billed_items (
    partner_id text not null,
    invoice_number text not null,
    customer_id text not null,
    period text not null,
    kind text not null check (kind in ('line', 'adjustment')),
    package text not null,
    price_from text not null,
    policy text not null,
    monthly_price_minor bigint not null,
    holder_id text,
    seconds bigint not null,
    amount_minor bigint not null
  )`.execute(db);
  await sql`create index invoice_billed_items_period on invoice_billed_items (partner_id, period, customer_id)`.execute(db);
  await sql`create table invoice_period_checks (
    partner_id text not null,
    period text not null,
    checked_at timestamptz not null,
    primary key (partner_id, period)
  )`.execute(db);
  await sql`create function refuse_issued_invoice_change() returns trigger language plpgsql as $$
    begin
      raise exception 'issued invoices never change: % on % refused', tg_op, tg_table_name using errcode = 'restrict_violation';
    end $$`.execute(db);
  for (const table of ['issued_invoices', 'invoice_billed_items']) {
    await sql`create trigger ${sql.raw(`${table}_immutable`)} before update or delete on ${sql.table(table)}
      for each row execute function refuse_issued_invoice_change()`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function refuse_issued_invoice_change()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table invoice_period_checks`.execute(db);
  await sql`drop table invoice_billed_items`.execute(db);
  await sql`drop table issued_invoices`.execute(db);
  await sql`drop table invoice_counters`.execute(db);
  await sql`drop function refuse_issued_invoice_change()`.execute(db);
}
