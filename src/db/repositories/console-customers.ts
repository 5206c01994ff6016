import { sql } from 'kysely';
import type { CustomerRow, Db } from '../schema.js';
import { usageIntervalsSql } from './usage-intervals.js';

export type ConsoleCustomerSort = 'name' | '-name' | 'status' | '-status' | 'created' | '-created';

export interface ConsoleCustomerQuery {
  partnerId: string;
  search?: string | undefined;
  statuses?: readonly string[] | undefined;
  package?: string | undefined;
  sort: ConsoleCustomerSort;
  offset: number;
  max: number;
}

export interface ConsoleCustomerListRow extends CustomerRow {
  admin_email: string | null;
  live_subscribers: number;
}

// LIKE treats % and _ as wildcards: a search for "a_b" must find only "a_b".
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const ORDER: Record<ConsoleCustomerSort, ReturnType<typeof sql>> = {
  name: sql`lower(coalesce(c.name, c.external_id)) asc, c.id asc`,
  '-name': sql`lower(coalesce(c.name, c.external_id)) desc, c.id desc`,
  status: sql`c.status asc, lower(coalesce(c.name, c.external_id)) asc, c.id asc`,
  '-status': sql`c.status desc, lower(coalesce(c.name, c.external_id)) asc, c.id asc`,
  created: sql`c.created_at asc, c.id asc`,
  '-created': sql`c.created_at desc, c.id desc`,
};

/**
 * One page of a partner's live customers matching the console's search (name, externalId, the
 * customer's primary email or its admin subscriber's email), status and package filters, plus the
 * total count of matches (a window count, so one round trip).
 */
export async function searchConsoleCustomers(db: Db, q: ConsoleCustomerQuery): Promise<{ rows: ConsoleCustomerListRow[]; total: number }> {
  const search = q.search?.trim() ? likePattern(q.search.trim()) : null;
  const statuses = q.statuses?.length ? q.statuses : null;
  const r = await sql<ConsoleCustomerListRow & { total: string | number }>`
    select c.*, a.email as admin_email,
      (select count(*) from subscribers s where s.customer_id = c.id and s.status <> 'deleted')::int as live_subscribers,
      count(*) over () as total
    from customers c
    left join lateral (
      select s.email from subscribers s where s.customer_id = c.id and s.is_admin and s.status <> 'deleted'
      order by s.created_at limit 1) a on true
    where c.partner_id = ${q.partnerId} and c.status <> 'deleted'
      and (${statuses}::text[] is null or c.status = any(${statuses}::text[]))
      and (${q.package ?? null}::text is null or c.packages ? ${q.package ?? null}::text)
      and (${search}::text is null
        or lower(coalesce(c.name, '')) like ${search}
        or lower(c.external_id) like ${search}
        or lower(coalesce(c.primary_email, '')) like ${search}
        or exists (select 1 from subscribers s where s.customer_id = c.id and s.is_admin and s.status <> 'deleted' and s.email like ${search}))
    order by ${ORDER[q.sort]}
    offset ${q.offset} limit ${q.max}`.execute(db);
  let total = Number(r.rows[0]?.total ?? 0);
  // A page past the end has no rows to carry the count: count again.
  if (r.rows.length === 0 && q.offset > 0) {
    const again = await searchConsoleCustomers(db, { ...q, offset: 0, max: 1 });
    total = again.total;
  }
  return { rows: r.rows.map(({ total: _t, ...row }) => ({ ...row, live_subscribers: Number(row.live_subscribers) })), total };
}

/**
 * Held seconds per UTC day and package of one customer from `fromDay` up to `until` (today counts up
 * to now, not to midnight): a day's seconds ÷ 86,400 are its daily licences.
 */
export async function customerDailySeconds(
  db: Db,
  partnerId: string,
  customerId: string,
  fromDay: string,
  until: Date,
): Promise<{ day: string; package: string; seconds: number }[]> {
  const from = new Date(`${fromDay}T00:00:00Z`);
  const toDay = until.toISOString().slice(0, 10);
  const r = await sql<{ day: string; package: string; seconds: string | number }>`
    select to_char(g.day, 'YYYY-MM-DD') as day, i.package,
      sum(extract(epoch from (least(i.e, d.de) - greatest(i.s, d.ds))))::bigint as seconds
    from generate_series(${fromDay}::date, ${toDay}::date, interval '1 day') as g(day)
    cross join lateral (select g.day at time zone 'UTC' as ds, (g.day + interval '1 day') at time zone 'UTC' as de) d
    join (${usageIntervalsSql(partnerId, from, until)}) i on d.ds < i.e and d.de > i.s
    where i.customer_id = ${customerId}
    group by g.day, i.package
    order by g.day, i.package`.execute(db);
  return r.rows.map((row) => ({ day: row.day, package: row.package, seconds: Number(row.seconds) }));
}

/** What bills at `now`: each holder's open billable intervals with the instant each began. */
export async function customerBillingNow(
  db: Db,
  partnerId: string,
  customerId: string,
  now: Date,
): Promise<{ subscriber_id: string | null; workspace_id: string | null; package: string; since: Date }[]> {
  // The window ends just after now, so an interval still open at now is one whose end is the window's.
  const until = new Date(now.getTime() + 1);
  const from = new Date(now.getTime() - 366 * 86_400_000);
  const r = await sql<{ subscriber_id: string | null; workspace_id: string | null; package: string; since: Date | string }>`
    select i.subscriber_id, i.workspace_id, i.package, min(i.s) as since
    from (${usageIntervalsSql(partnerId, from, until)}) i
    where i.customer_id = ${customerId} and i.e >= ${until}::timestamptz
    group by i.subscriber_id, i.workspace_id, i.package`.execute(db);
  return r.rows.map((row) => ({ ...row, since: new Date(row.since) }));
}

/** The customer's audit trail, newest first (its own entries and its subscribers' and workspaces'). */
export const listCustomerAudit = (db: Db, partnerId: string, customerId: string, limit: number) =>
  sql<{
    id: number;
    at: Date;
    actor: string;
    action: string;
    entity_type: string;
    entity_id: string | null;
    before: unknown;
    after: unknown;
  }>`
    select a.id, a.at, a.actor, a.action, a.entity_type, a.entity_id, a.before, a.after
    from audit_log a
    where a.partner_id = ${partnerId}
      and (a.entity_id = ${customerId}
        or a.entity_id in (select s.id from subscribers s where s.customer_id = ${customerId})
        or a.entity_id in (select w.id from workspaces w where w.customer_id = ${customerId}))
    order by a.id desc
    limit ${limit}`
    .execute(db)
    .then((r) => r.rows);

/** Every audit entry of the customer itself that records a status, oldest first. */
export const listCustomerStatusEntries = (db: Db, partnerId: string, customerId: string) =>
  sql<{ at: Date; actor: string; action: string; before: { status?: string } | null; after: { status?: string } | null }>`
    select a.at, a.actor, a.action, a.before, a.after
    from audit_log a
    where a.partner_id = ${partnerId} and a.entity_type = 'customer' and a.entity_id = ${customerId}
      and (a.after ? 'status' or a.before ? 'status')
    order by a.id asc`
    .execute(db)
    .then((r) => r.rows);

/** The customer's open compliance review, if any, and the last decided one. */
export const listCustomerReviews = (db: Db, partnerId: string, customerId: string) =>
  db
    .selectFrom('compliance_reviews')
    .select(['id', 'kind', 'status', 'opened_at', 'deadline_at', 'decided_at', 'decided_by', 'reason', 'matches', 'unanswered_contacts'])
    .where('partner_id', '=', partnerId)
    .where('customer_id', '=', customerId)
    .orderBy('opened_at', 'desc')
    .limit(5)
    .execute();
