import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../schema.js';

/**
 * SQL yielding every held interval of one partner's subscribers and workspaces, clipped to [from, to)
 * and to where each customer's billing opens (`billingOpensSql`): (subscriber_id, workspace_id,
 * customer_id, package, s, e), one of the two holder ids null. Intervals come from the ledger facts of
 * each stream, a (holder, slot) pair (LEAD within the slot); a holder's first removal in its base slot
 * ends every slot after it.
 * Facts after `to` cannot shorten anything inside the window, so they are not read; one window pass
 * over the facts finds the next fact and the removal.
 * The same rules as `deriveIntervals` and `secondsPerDay` in the domain, which tests hold it to.
 *
 * The intervals come out in holder order (subscriber_id, workspace_id: the window's partition order).
 * The customer's billing start is joined before the window (every fact has its customer), not after:
 * a hash join after the window would hide that order from the planner, and a per-holder aggregation on
 * top (`userQuantitiesSql`, grouping by holder first) would then sort every interval again (at 1,000,000
 * subscribers a 298 MB external sort); with the order visible it only sorts each holder's few rows.
 */
export function usageIntervalsSql(partnerId: string, from: Date, to: Date, factFilter?: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select iv.subscriber_id, iv.workspace_id, iv.customer_id, iv.package, iv.s, iv.e from (
      select ev.subscriber_id, ev.workspace_id, ev.customer_id, ev.package,
        greatest(ev.effective_at, ${from}::timestamptz, ev.opens_at) as s,
        least(coalesce(ev.next_at, 'infinity'::timestamptz), coalesce(ev.end_at, 'infinity'::timestamptz), ${to}::timestamptz) as e
      from (
        select pe.subscriber_id, pe.workspace_id, pe.customer_id, pe.package, pe.effective_at,
               ${billingOpensSql(partnerId)} as opens_at,
               -- The holder's facts sorted by slot: the next fact belongs to this stream only if its slot is the same.
               case when lead(pe.slot) over w = pe.slot then lead(pe.effective_at) over w end as next_at,
               min(pe.effective_at) filter (where pe.package is null and pe.slot = 'base') over w as end_at
        from package_events pe
        join customers c on c.id = pe.customer_id
        where pe.partner_id = ${partnerId} and pe.effective_at < ${to}::timestamptz${factFilter ? sql` and ${factFilter}` : sql``}
        -- One window for all: LEAD ignores the frame, and the whole-partition frame lets MIN see the
        -- holder's removal from every slot, so the facts are sorted and scanned once.
        window w as (partition by pe.subscriber_id, pe.workspace_id order by pe.slot, pe.effective_at, pe.id
                     rows between unbounded preceding and unbounded following)
      ) ev
      where ev.package is not null
    ) iv
    where iv.e > iv.s`;
}

/**
 * The fact filter that scopes `usageIntervalsSql` to one customer (or a few: the dashboard's batches). It goes inside the window: a holder
 * (subscriber or workspace) belongs to one customer for life, so its facts are all the customer's and the
 * window sees exactly the facts it would see unfiltered, while PostgreSQL reads only that customer's rows
 * (index package_events_customer) instead of window-sorting the whole partner's ledger and keeping a few.
 */
export const customerFactsSql = (customer: string | readonly string[]): RawBuilder<unknown> =>
  typeof customer === 'string' ? sql`pe.customer_id = ${customer}` : sql`pe.customer_id = any(${[...customer]}::text[])`;

/**
 * The first billable instant of customer `c`'s usage, as `billingOpensAt` in the domain: the latest of
 * its provisioning (billing_from; never while null: provisioning, held in review, rejected), its
 * billingStartDate and its sub-partner's billing start date (the partner's own, one value per query).
 */
export const billingOpensSql = (partnerId: string): RawBuilder<unknown> => sql`greatest(
          coalesce(c.billing_from, 'infinity'::timestamptz),
          coalesce(c.billing_start_date::timestamp at time zone 'UTC', '-infinity'::timestamptz),
          coalesce((select p.billing_start_date from partners p where p.id = ${partnerId})::timestamp at time zone 'UTC', '-infinity'::timestamptz))`;

/**
 * Held seconds per UTC day and package over [fromDay, toDay): the daily active licences (a day's
 * seconds ÷ 86,400), one pass over the intervals joined with the days they touch.
 */
export async function dailySecondsByPackage(
  db: Db,
  partnerId: string,
  fromDay: string,
  toDay: string,
): Promise<{ day: string; package: string; seconds: number }[]> {
  const from = new Date(`${fromDay}T00:00:00Z`);
  const to = new Date(`${toDay}T00:00:00Z`);
  // Days as timestamps without zone, turned into UTC instants, so the session time zone cannot shift them.
  const r = await sql<{ day: string; package: string; seconds: string | number }>`
    select to_char(g.day, 'YYYY-MM-DD') as day, i.package,
      sum(extract(epoch from (least(i.e, d.de) - greatest(i.s, d.ds))))::bigint as seconds
    from generate_series(${fromDay}::date, ${toDay}::date - 1, interval '1 day') as g(day)
    cross join lateral (select g.day at time zone 'UTC' as ds, (g.day + interval '1 day') at time zone 'UTC' as de) d
    join (${usageIntervalsSql(partnerId, from, to)}) i on d.ds < i.e and d.de > i.s
    group by g.day, i.package
    order by g.day, i.package`.execute(db);
  return r.rows.map((row) => ({ day: row.day, package: row.package, seconds: Number(row.seconds) }));
}
