import { sql } from 'kysely';
import type { Db } from '../schema.js';

/**
 * A customer's month as the dashboard and digests sum it: its charge and currency, and per package the
 * seconds held, the charge and whether the package was unpriced (kept in `customer_month_charges` and
 * `customer_month_package_charges`, migration 2026-12-08-0200).
 */
export interface KeptCustomerCharges {
  customerId: string;
  /** The name shown: the customer's name, else its external id. */
  name: string;
  externalId: string;
  amountMinor: number;
  currency: string | null;
  packages: { package: string; seconds: number; amountMinor: number; unpriced: boolean }[];
}

/**
 * What every customer's kept month depends on besides its own rows (the ledger and its billing columns,
 * which mark the customer instead): the partner's billing start date and the price book. Small tables.
 */
export async function sharedChargesFingerprint(db: Db, partnerId: string, pricePartnerId: string): Promise<string> {
  const r = await sql<{ fingerprint: string }>`
    select concat_ws('|',
      (select coalesce(billing_start_date::text, '-') from partners where id = ${partnerId}),
      (select count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', effective_from, package, currency, monthly_price_minor, sku, policy), ',' order by effective_from, package)), '-')
         from price_book where partner_id = ${pricePartnerId})
    ) as fingerprint`.execute(db);
  return r.rows[0]!.fingerprint;
}

/**
 * This statement's snapshot (`xmin:xmax:xip…`): which transactions' changes it sees. A later reader needs
 * only the marks of transactions this snapshot did not see.
 */
export async function currentSnapshot(db: Db): Promise<string> {
  const r = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db);
  return r.rows[0]!.snapshot;
}

/** Serialises the refreshes of one partner's month (ends with the transaction). */
export async function lockMonthCharges(db: Db, partnerId: string, period: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`customer_month_charges|${partnerId}|${period}`}))`.execute(db);
}

/**
 * Customers marked by a transaction the snapshot `seen` did not see that matter to this partner's month: its own
 * customers (`own`), and those it keeps a month for but that are no longer its own (moved away).
 * Each mark looks up its customer and kept row by key (LIMIT 1 keeps the lookups per mark: a fresh
 * marks table has no statistics, and a hash join read all 50,000 customers for three marks).
 */
export async function markedCustomers(
  db: Db,
  partnerId: string,
  period: string,
  seen: string,
): Promise<{ customerId: string; own: boolean }[]> {
  const r = await sql<{ customer_id: string; partner_id: string | null; kept: boolean | null }>`
    select m.customer_id, c.partner_id, k.kept
    from customer_charge_marks m
    left join lateral (select c.partner_id from customers c where c.id = m.customer_id limit 1) c on true
    left join lateral (select true as kept from customer_month_charges k
                       where k.partner_id = ${partnerId} and k.period = ${period} and k.customer_id = m.customer_id limit 1) k on true
    where m.marked_xid >= pg_snapshot_xmin(${seen}::pg_snapshot) and not pg_visible_in_snapshot(m.marked_xid, ${seen}::pg_snapshot)`.execute(
    db,
  );
  return r.rows
    .filter((row) => row.partner_id === partnerId || row.kept === true)
    .map((row) => ({ customerId: row.customer_id, own: row.partner_id === partnerId }));
}

/** Whether any customer that matters to this partner's month was marked by a transaction the snapshot `seen` did not see. */
export async function anyMarkedCustomer(db: Db, partnerId: string, period: string, seen: string): Promise<boolean> {
  return (await markedCustomers(db, partnerId, period, seen)).length > 0;
}

/**
 * Fresh statistics after a whole month was written: without them the planner takes the tables for
 * nearly empty and looks one customer's row up by scanning the month's 50,000 (300 ms instead of 0.1 ms).
 */
export async function analyzeMonthCharges(db: Db): Promise<void> {
  await sql`analyze customer_month_charges, customer_month_package_charges, customer_charge_marks`.execute(db);
}

/** Forgets every customer's kept month of this partner. */
export async function clearMonthCharges(db: Db, partnerId: string, period: string): Promise<void> {
  await db.deleteFrom('customer_month_package_charges').where('partner_id', '=', partnerId).where('period', '=', period).execute();
  await db.deleteFrom('customer_month_charges').where('partner_id', '=', partnerId).where('period', '=', period).execute();
}

/** Forgets these customers' kept months of this partner (before keeping them anew, or when they left it). */
export async function forgetCustomerCharges(db: Db, partnerId: string, period: string, customerIds: readonly string[]): Promise<void> {
  if (customerIds.length === 0) return;
  const ids = [...customerIds];
  await sql`delete from customer_month_package_charges where partner_id = ${partnerId} and period = ${period} and customer_id = any(${ids}::text[])`.execute(
    db,
  );
  await sql`delete from customer_month_charges where partner_id = ${partnerId} and period = ${period} and customer_id = any(${ids}::text[])`.execute(
    db,
  );
}

const INSERT_ROWS = 1_000;

/** Keeps these customers' months (their earlier rows already forgotten). Customers without usage keep no row. */
export async function keepCustomerCharges(db: Db, partnerId: string, period: string, rows: readonly KeptCustomerCharges[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    const part = rows.slice(i, i + INSERT_ROWS);
    await db
      .insertInto('customer_month_charges')
      .values(
        part.map((c) => ({
          partner_id: partnerId,
          period,
          customer_id: c.customerId,
          name: c.name,
          external_id: c.externalId,
          amount_minor: c.amountMinor,
          currency: c.currency,
        })),
      )
      .execute();
    const packages = part.flatMap((c) =>
      c.packages.map((p) => ({
        partner_id: partnerId,
        period,
        customer_id: c.customerId,
        package: p.package,
        seconds: p.seconds,
        amount_minor: p.amountMinor,
        unpriced: p.unpriced,
      })),
    );
    if (packages.length) await db.insertInto('customer_month_package_charges').values(packages).execute();
  }
}

/** These customers' kept months (those that have one). */
export async function readCustomerCharges(
  db: Db,
  partnerId: string,
  period: string,
  customerIds: readonly string[],
): Promise<KeptCustomerCharges[]> {
  if (customerIds.length === 0) return [];
  const ids = [...customerIds];
  const rows = await sql<{
    customer_id: string;
    name: string;
    external_id: string;
    amount_minor: string | number;
    currency: string | null;
  }>`
    select customer_id, name, external_id, amount_minor, currency from customer_month_charges
    where partner_id = ${partnerId} and period = ${period} and customer_id = any(${ids}::text[])`.execute(db);
  const packages = await sql<{
    customer_id: string;
    package: string;
    seconds: string | number;
    amount_minor: string | number;
    unpriced: boolean;
  }>`
    select customer_id, package, seconds, amount_minor, unpriced from customer_month_package_charges
    where partner_id = ${partnerId} and period = ${period} and customer_id = any(${ids}::text[])`.execute(db);
  const byCustomer = new Map<string, KeptCustomerCharges>(
    rows.rows.map((r) => [
      r.customer_id,
      {
        customerId: r.customer_id,
        name: r.name,
        externalId: r.external_id,
        amountMinor: Number(r.amount_minor),
        currency: r.currency,
        packages: [],
      },
    ]),
  );
  for (const p of packages.rows)
    byCustomer
      .get(p.customer_id)
      ?.packages.push({ package: p.package, seconds: Number(p.seconds), amountMinor: Number(p.amount_minor), unpriced: p.unpriced });
  return [...byCustomer.values()];
}

/**
 * The kept customers with the highest charges (highest first, then name and id by code point: index
 * customer_month_charges_top) and the currency of the last customer by id that has one (primary key).
 */
export async function topMonthCharges(
  db: Db,
  partnerId: string,
  period: string,
  topCustomers: number,
): Promise<{ top: { customerId: string; name: string; externalId: string; amountMinor: number }[]; currency: string | null }> {
  const top = await sql<{ customer_id: string; name: string; external_id: string; amount_minor: string | number }>`
    select customer_id, name, external_id, amount_minor from customer_month_charges
    where partner_id = ${partnerId} and period = ${period}
    order by amount_minor desc, name collate "C", customer_id collate "C"
    limit ${topCustomers}`.execute(db);
  const currency = await sql<{ currency: string }>`
    select currency from customer_month_charges
    where partner_id = ${partnerId} and period = ${period} and currency is not null
    order by customer_id desc limit 1`.execute(db);
  return {
    top: top.rows.map((r) => ({ customerId: r.customer_id, name: r.name, externalId: r.external_id, amountMinor: Number(r.amount_minor) })),
    currency: currency.rows[0]?.currency ?? null,
  };
}
