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
 * The oldest transaction this statement's snapshot could not see: every change it did not see was made
 * by a transaction with this id or a later one, so its marks carry such an id.
 */
export async function snapshotXmin(db: Db): Promise<string> {
  const r = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(db);
  return r.rows[0]!.xmin;
}

/** Serialises the refreshes of one partner's month (ends with the transaction). */
export async function lockMonthCharges(db: Db, partnerId: string, period: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`customer_month_charges|${partnerId}|${period}`}))`.execute(db);
}

/**
 * Customers marked by a transaction `sinceXmin` or later that matter to this partner's month: its own
 * customers (`own`), and those it keeps a month for but that are no longer its own (moved away).
 */
export async function markedCustomers(
  db: Db,
  partnerId: string,
  period: string,
  sinceXmin: string,
): Promise<{ customerId: string; own: boolean }[]> {
  const r = await sql<{ customer_id: string; own: boolean }>`
    select m.customer_id, coalesce(c.partner_id = ${partnerId}, false) as own
    from customer_charge_marks m
    left join customers c on c.id = m.customer_id
    where m.marked_xid >= ${sinceXmin}::xid8
      and (c.partner_id = ${partnerId}
           or exists (select 1 from customer_month_charges k
                      where k.partner_id = ${partnerId} and k.period = ${period} and k.customer_id = m.customer_id))`.execute(db);
  return r.rows.map((row) => ({ customerId: row.customer_id, own: row.own }));
}

/** Whether any customer that matters to this partner's month was marked by a transaction `sinceXmin` or later. */
export async function anyMarkedCustomer(db: Db, partnerId: string, period: string, sinceXmin: string): Promise<boolean> {
  const r = await sql<{ any: boolean }>`
    select exists (
      select 1 from customer_charge_marks m
      left join customers c on c.id = m.customer_id
      where m.marked_xid >= ${sinceXmin}::xid8
        and (c.partner_id = ${partnerId}
             or exists (select 1 from customer_month_charges k
                        where k.partner_id = ${partnerId} and k.period = ${period} and k.customer_id = m.customer_id))
    ) as any`.execute(db);
  return r.rows[0]!.any;
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

/** The partner's month summed over its customers' kept months. */
export async function sumMonthCharges(
  db: Db,
  partnerId: string,
  period: string,
  topCustomers: number,
): Promise<{
  packages: { package: string; seconds: number; amountMinor: number; unpriced: boolean }[];
  customerCount: number;
  totalMinor: number;
  currency: string | null;
  top: { customerId: string; name: string; externalId: string; amountMinor: number }[];
}> {
  const packages = await sql<{ package: string; seconds: string | number; amount_minor: string | number; unpriced: boolean }>`
    select package, sum(seconds) as seconds, sum(amount_minor) as amount_minor, bool_or(unpriced) as unpriced
    from customer_month_package_charges where partner_id = ${partnerId} and period = ${period}
    group by package order by package collate "C"`.execute(db);
  const totals = await sql<{ n: string | number; total: string | number | null; currency: string | null }>`
    select count(*) as n, sum(amount_minor) as total,
      (select currency from customer_month_charges
       where partner_id = ${partnerId} and period = ${period} and currency is not null
       order by customer_id collate "C" desc limit 1) as currency
    from customer_month_charges where partner_id = ${partnerId} and period = ${period}`.execute(db);
  // The order of `compareCharges` in the use case: the highest charge first, then the name and the id by code point.
  const top = await sql<{ customer_id: string; name: string; external_id: string; amount_minor: string | number }>`
    select customer_id, name, external_id, amount_minor from customer_month_charges
    where partner_id = ${partnerId} and period = ${period}
    order by amount_minor desc, name collate "C", customer_id collate "C"
    limit ${topCustomers}`.execute(db);
  const t = totals.rows[0]!;
  return {
    packages: packages.rows.map((p) => ({
      package: p.package,
      seconds: Number(p.seconds),
      amountMinor: Number(p.amount_minor),
      unpriced: p.unpriced,
    })),
    customerCount: Number(t.n),
    totalMinor: Number(t.total ?? 0),
    currency: t.currency,
    top: top.rows.map((r) => ({ customerId: r.customer_id, name: r.name, externalId: r.external_id, amountMinor: Number(r.amount_minor) })),
  };
}
