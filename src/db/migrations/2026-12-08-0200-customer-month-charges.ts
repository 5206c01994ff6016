import { sql, type Kysely } from 'kysely';

/**
 * The dashboard's and digests' month charges kept per customer, so that a change recomputes only the
 * customers it touched (issue 28: at 1,000,000 subscribers any ledger change made the next dashboard
 * recompute the whole month, 186 s):
 * - `customer_charge_marks`: one row per customer whose figures changed, with the id of the transaction
 *   that last changed them (`pg_current_xact_id()`). Written by triggers in the same transaction as the
 *   change, so no writer can forget it: any insert, update or delete of `package_events` (the ledger)
 *   and any change of a customer's billing columns, partner, name or external id.
 *   A reader keeps the snapshot it read from and next time needs only the marks of transactions that
 *   snapshot did not see (`pg_visible_in_snapshot`; all have ids at or above its xmin: the index).
 * - `customer_month_charges` and `customer_month_package_charges`: per (partner, month, customer) the
 *   charge, currency and name (coalesce(name, external_id): the dashboard lists the highest charges), and per package the seconds, charge and whether it was unpriced, as the
 *   customer's invoice prices them. The partner's totals are sums of these rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table customer_charge_marks (
    customer_id text primary key,
    marked_xid xid8 not null
  )`.execute(db);
  await sql`create index customer_charge_marks_xid on customer_charge_marks (marked_xid)`.execute(db);
  await sql`create table customer_month_charges (
    partner_id text not null references partners(id),
    period text not null,
    customer_id text not null,
    name text not null,
    external_id text not null,
    amount_minor bigint not null,
    currency text,
    primary key (partner_id, period, customer_id)
  )`.execute(db);
  // The dashboard's highest charges, read off the index (the sums themselves are kept with the month).
  await sql`create index customer_month_charges_top on customer_month_charges
    (partner_id, period, amount_minor desc, name collate "C", customer_id collate "C")`.execute(db);
  // The currency of the last customer that has one, without reading every row when none has (no price book).
  await sql`create index customer_month_charges_currency on customer_month_charges (partner_id, period, customer_id) where currency is not null`.execute(
    db,
  );
  await sql`create table customer_month_package_charges (
    partner_id text not null references partners(id),
    period text not null,
    customer_id text not null,
    package text not null,
    seconds bigint not null,
    amount_minor bigint not null,
    unpriced boolean not null,
    primary key (partner_id, period, customer_id, package)
  )`.execute(db);

  await sql`create function mark_customer_charges(ids text[]) returns void language sql as $$
    insert into customer_charge_marks (customer_id, marked_xid)
      select distinct id, pg_current_xact_id() from unnest(ids) as u(id) where id is not null
    on conflict (customer_id) do update set marked_xid = excluded.marked_xid
      where customer_charge_marks.marked_xid <> excluded.marked_xid
  $$`.execute(db);
  // The ledger: statement triggers with transition tables (one mark per customer per statement, so a
  // bulk insert of 1,000 facts writes a handful of marks), one trigger per event as PostgreSQL requires.
  await sql`create function mark_ledger_inserted() returns trigger language plpgsql as $$
    begin
      perform mark_customer_charges(array(select distinct customer_id from new_facts));
      return null;
    end $$`.execute(db);
  await sql`create function mark_ledger_deleted() returns trigger language plpgsql as $$
    begin
      perform mark_customer_charges(array(select distinct customer_id from old_facts));
      return null;
    end $$`.execute(db);
  await sql`create function mark_ledger_updated() returns trigger language plpgsql as $$
    begin
      perform mark_customer_charges(array(select customer_id from old_facts union select customer_id from new_facts));
      return null;
    end $$`.execute(db);
  await sql`create trigger package_events_mark_insert after insert on package_events
    referencing new table as new_facts for each statement execute function mark_ledger_inserted()`.execute(db);
  await sql`create trigger package_events_mark_delete after delete on package_events
    referencing old table as old_facts for each statement execute function mark_ledger_deleted()`.execute(db);
  await sql`create trigger package_events_mark_update after update on package_events
    referencing old table as old_facts new table as new_facts for each statement execute function mark_ledger_updated()`.execute(db);
  // A customer: what its usage is clipped to (billing_from, billing_start_date), whose it is, what it is called.
  await sql`create function mark_customer_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        perform mark_customer_charges(array[old.id]);
      elsif tg_op = 'INSERT' then
        perform mark_customer_charges(array[new.id]);
      elsif (old.billing_from, old.billing_start_date, old.partner_id, old.name, old.external_id, old.id)
            is distinct from (new.billing_from, new.billing_start_date, new.partner_id, new.name, new.external_id, new.id) then
        perform mark_customer_charges(array[old.id, new.id]);
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger customers_mark_charges after insert or update or delete on customers
    for each row execute function mark_customer_changed()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists customers_mark_charges on customers`.execute(db);
  await sql`drop trigger if exists package_events_mark_insert on package_events`.execute(db);
  await sql`drop trigger if exists package_events_mark_delete on package_events`.execute(db);
  await sql`drop trigger if exists package_events_mark_update on package_events`.execute(db);
  for (const f of [
    'mark_customer_changed()',
    'mark_ledger_inserted()',
    'mark_ledger_deleted()',
    'mark_ledger_updated()',
    'mark_customer_charges(text[])',
  ])
    await sql.raw(`drop function if exists ${f}`).execute(db);
  await sql`drop table if exists customer_month_package_charges`.execute(db);
  await sql`drop table if exists customer_month_charges`.execute(db);
  await sql`drop table if exists customer_charge_marks`.execute(db);
}
