import { sql } from 'kysely';
import type { InvoicePolicy } from '../../domain/invoice-policies.js';
import type { Db } from '../schema.js';
import { customerFactsSql, usageIntervalsSql } from './usage-intervals.js';

export interface PriceItem {
  package: string;
  monthlyPriceMinor: number;
  sku: string;
  policy?: InvoicePolicy | undefined;
}

/** Stores a complete price book effective from a day, replacing a version of the same day. */
export async function savePriceBookVersion(
  db: Db,
  partnerId: string,
  effectiveFrom: string,
  currency: string,
  items: readonly PriceItem[],
  now: Date,
): Promise<void> {
  await db.deleteFrom('price_book').where('partner_id', '=', partnerId).where('effective_from', '=', effectiveFrom).execute();
  await db
    .insertInto('price_book')
    .values(
      items.map((i) => ({
        partner_id: partnerId,
        effective_from: effectiveFrom,
        package: i.package,
        currency,
        monthly_price_minor: i.monthlyPriceMinor,
        sku: i.sku,
        policy: i.policy ?? 'prorated',
        created_at: now,
      })),
    )
    .execute();
}

export const listPriceBook = (db: Db, partnerId: string) =>
  db.selectFrom('price_book').selectAll().where('partner_id', '=', partnerId).orderBy('effective_from').orderBy('package').execute();

export interface PricedUsage {
  customer_id: string;
  package: string;
  /** null: usage no price version covers. */
  effective_from: string | null;
  currency: string | null;
  monthly_price_minor: number | null;
  sku: string | null;
  /** The version's rule for the package; null when unpriced. */
  policy: InvoicePolicy | null;
  seconds: number;
}

/**
 * Held seconds in [from, to) per customer and package (one customer, or all of the partner's when
 * null), split by the price book version in force (a version is the complete price list from its
 * day until the next version). Aggregated in SQL.
 */
export async function pricedUsage(
  db: Db,
  usagePartnerId: string,
  pricePartnerId: string,
  /** One customer, a batch of them, or all the partner's (null). */
  customerId: string | readonly string[] | null,
  from: Date,
  to: Date,
): Promise<PricedUsage[]> {
  const r = await sql<PricedUsage>`
    with versions as (
      select effective_from, lead(effective_from) over (order by effective_from) as next_from
      from (select distinct effective_from from price_book where partner_id = ${pricePartnerId}) d
    ),
    priced_ranges as (
      select v.effective_from,
        v.effective_from::timestamp at time zone 'UTC' as vs,
        coalesce(v.next_from::timestamp at time zone 'UTC', 'infinity'::timestamptz) as ve
      from versions v
    ),
    ranges as (
      select effective_from, vs, ve from priced_ranges
      union all
      -- Before the first version nothing is priced: that usage shows up unpriced, never dropped.
      select null::date, '-infinity'::timestamptz, coalesce((select min(vs) from priced_ranges), 'infinity'::timestamptz)
    ),
    usage as (
      select i.customer_id, i.package, i.s, i.e from (${usageIntervalsSql(usagePartnerId, from, to, customerId === null ? undefined : customerFactsSql(customerId))}) i
    ),
    pieces as (
      select u.customer_id, u.package, r.effective_from, greatest(u.s, r.vs) as s, least(u.e, r.ve) as e
      from usage u join ranges r on r.vs < u.e and r.ve > u.s
    )
    select p.customer_id, p.package, p.effective_from::text as effective_from, pb.currency, pb.monthly_price_minor, pb.sku, pb.policy,
      sum(extract(epoch from (p.e - p.s)))::bigint as seconds
    from pieces p
    left join price_book pb on pb.partner_id = ${pricePartnerId} and pb.effective_from = p.effective_from and pb.package = p.package
    where p.e > p.s
    group by p.customer_id, p.package, p.effective_from, pb.currency, pb.monthly_price_minor, pb.sku, pb.policy
    order by p.customer_id, p.package, p.effective_from`.execute(db);
  return r.rows.map((row) => ({
    ...row,
    seconds: Number(row.seconds),
    monthly_price_minor: row.monthly_price_minor === null ? null : Number(row.monthly_price_minor),
  }));
}
