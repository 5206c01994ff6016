import { sql } from 'kysely';
import type { Db } from '../schema.js';
import { customerFactsSql, usageIntervalsSql } from './usage-intervals.js';

/**
 * Per customer and package, the most subscribers holding the package on one UTC day of [from, to)
 * (for any part of the day: someone replaced at noon and the replacement both count that day), from
 * the same ledger intervals as reports and invoices. One customer, or all the partner's when null.
 */
export async function peakHolders(
  db: Db,
  partnerId: string,
  /** One customer, a batch of them, or all the partner's (null). */
  customerId: string | readonly string[] | null,
  from: Date,
  to: Date,
  /** Only these packages (the ones a price book bills by their peak); all when omitted. */
  packages?: readonly string[],
): Promise<{ customer_id: string; package: string; peak: number }[]> {
  const only = packages ? JSON.stringify(packages) : null;
  const r = await sql<{ customer_id: string; package: string; peak: string | number }>`
    select customer_id, package, max(holders) as peak from (
      select i.customer_id, i.package, d.day, count(distinct i.subscriber_id) as holders
      from (select * from (${usageIntervalsSql(partnerId, from, to, customerId === null ? undefined : customerFactsSql(customerId))}) u where true
        and (${only}::jsonb is null or u.package in (select jsonb_array_elements_text(${only}::jsonb)))) i
      -- The UTC days each interval touches: from its first day up to the day of its last second.
      cross join lateral generate_series(date_trunc('day', i.s at time zone 'UTC'), date_trunc('day', (i.e - interval '1 second') at time zone 'UTC'), interval '1 day') as d(day)
      group by i.customer_id, i.package, d.day
    ) per_day
    group by customer_id, package`.execute(db);
  return r.rows.map((row) => ({ customer_id: row.customer_id, package: row.package, peak: Number(row.peak) }));
}
