import { sql } from 'kysely';
import type { Db } from '../schema.js';

/**
 * A cheap summary of everything a partner's month totals are computed from: the ledger (append-only:
 * its newest id, and how many facts carry the last 100,000 ids, so a fact whose id was drawn before
 * another's but committed after it still changes the summary), the partner's customers' billing columns
 * and names, its own billing start date and the root's price book. Equal fingerprints mean equal totals
 * for the same window. Costs a short range scan of the ledger's primary key and one pass over the
 * customers (50,000 at a large SP), never a read of the usage itself.
 */
export async function ledgerFingerprint(db: Db, partnerId: string, pricePartnerId: string): Promise<string> {
  const r = await sql<{ fingerprint: string }>`
    select concat_ws('|',
      (select m.top || ':' || (select count(*) from package_events t where t.id > m.top - 100000) from (select max(id) as top from package_events) m),
      (select count(*) || ':' || coalesce(sum(hashtext(concat_ws('|', id, external_id, name, billing_from, billing_start_date))::bigint), 0)
         from customers where partner_id = ${partnerId}),
      (select coalesce(billing_start_date::text, '-') from partners where id = ${partnerId}),
      (select count(*) || ':' || coalesce(md5(string_agg(concat_ws('|', effective_from, package, currency, monthly_price_minor, sku, policy), ',' order by effective_from, package)), '-')
         from price_book where partner_id = ${pricePartnerId})
    ) as fingerprint`.execute(db);
  return r.rows[0]!.fingerprint;
}

/** The totals kept for (partner, kind, period), when their fingerprint is still `fingerprint`. */
export async function findMonthTotals(
  db: Db,
  partnerId: string,
  kind: string,
  period: string,
  fingerprint: string,
): Promise<unknown | undefined> {
  const row = await db
    .selectFrom('partner_month_totals')
    .select('body')
    .where('partner_id', '=', partnerId)
    .where('kind', '=', kind)
    .where('period', '=', period)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
  return row?.body;
}

/** The totals last kept for (partner, kind, period), whatever their fingerprint (perhaps out of date), and when. */
export async function findLatestMonthTotals(
  db: Db,
  partnerId: string,
  kind: string,
  period: string,
): Promise<{ body: unknown; fingerprint: string; computedAt: Date } | undefined> {
  const row = await db
    .selectFrom('partner_month_totals')
    .select(['body', 'fingerprint', 'computed_at'])
    .where('partner_id', '=', partnerId)
    .where('kind', '=', kind)
    .where('period', '=', period)
    .executeTakeFirst();
  return row && { body: row.body, fingerprint: row.fingerprint, computedAt: new Date(row.computed_at) };
}

/** Keeps totals for (partner, kind, period), replacing older ones. */
export async function saveMonthTotals(
  db: Db,
  partnerId: string,
  kind: string,
  period: string,
  fingerprint: string,
  body: unknown,
  at: Date,
): Promise<void> {
  await db
    .insertInto('partner_month_totals')
    .values({ partner_id: partnerId, kind, period, fingerprint, body: JSON.stringify(body), computed_at: at })
    .onConflict((oc) =>
      oc.columns(['partner_id', 'kind', 'period']).doUpdateSet({ fingerprint, body: JSON.stringify(body), computed_at: at }),
    )
    .execute();
}
