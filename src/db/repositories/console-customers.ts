import { sql } from 'kysely';
import type { CustomerRow, Db } from '../schema.js';
import { customerFactsSql, usageIntervalsSql } from './usage-intervals.js';

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

/** Matches are counted up to this many (or to the end of the page): "more than 1,000" instead of counting every match. */
export const CONSOLE_COUNT_BOUND = 1000;

/**
 * One page of a partner's live customers matching the console's search (name, externalId, the
 * customer's primary email or its admin subscriber's email), status and package filters, plus the
 * count of matches, bounded: counted up to `CONSOLE_COUNT_BOUND` or the page's end (`exact` false beyond).
 * The search is `like '%…%'` on trigram-indexed expressions; the page is chosen from the matches'
 * ids first, and only its rows get their admin email and subscriber count.
 */
export async function searchConsoleCustomers(
  db: Db,
  q: ConsoleCustomerQuery,
): Promise<{ rows: ConsoleCustomerListRow[]; total: number; exact: boolean }> {
  const search = q.search?.trim() ? likePattern(q.search.trim()) : null;
  const statuses = q.statuses?.length ? q.statuses : null;
  // Each condition matches one trigram-indexed expression (customers_search_*; the admins' emails through
  // subscribers_search_admin_email, once, as an array of customer ids the primary key finds). Plain ORs on
  // the customer row let the planner choose: a bitmap of the indexes for a narrow search, or the name
  // order's index filtered when nearly every customer matches and the page fills at once.
  const matches = search
    ? sql`(lower(coalesce(c.name, '')) like ${search}
        or lower(c.external_id) like ${search}
        or lower(coalesce(c.primary_email, '')) like ${search}
        or c.id = any(array(select s.customer_id from subscribers s
          where s.partner_id = ${q.partnerId} and s.is_admin and s.status <> 'deleted' and s.email like ${search})))`
    : sql`true`;
  const where = sql`c.partner_id = ${q.partnerId} and c.status <> 'deleted'
      and (${statuses}::text[] is null or c.status = any(${statuses}::text[]))
      and (${q.package ?? null}::text is null or c.packages ? ${q.package ?? null}::text)
      and ${matches}`;
  // At least to the end of the page, so the pager always knows whether another page follows.
  const limit = Math.max(CONSOLE_COUNT_BOUND, q.offset + q.max);
  const counted = await sql<{ n: string | number }>`
    select count(*) as n from (select 1 from customers c where ${where} limit ${limit + 1}) m`.execute(db);
  const n = Number(counted.rows[0]?.n ?? 0);
  // A few matches (all counted): sort just those, found through the search indexes. Many: walk the order's
  // index and stop at the page (the planner's estimates for LIKE cannot tell the two apart).
  const pageIds =
    n <= limit
      ? sql`select c.id from (select c.id, c.name, c.external_id, c.status, c.created_at from customers c where ${where} limit ${limit + 1}) c
          order by ${ORDER[q.sort]} offset ${q.offset} limit ${q.max}`
      : sql`select c.id from customers c where ${where} order by ${ORDER[q.sort]} offset ${q.offset} limit ${q.max}`;
  const r = await sql<ConsoleCustomerListRow>`
    select c.*, a.email as admin_email,
      (select count(*) from subscribers s where s.customer_id = c.id and s.status <> 'deleted')::int as live_subscribers
    from (${pageIds}) page
    join customers c on c.id = page.id
    left join lateral (
      select s.email from subscribers s where s.customer_id = c.id and s.is_admin and s.status <> 'deleted'
      order by s.created_at limit 1) a on true
    order by ${ORDER[q.sort]}`.execute(db);
  return {
    rows: r.rows.map((row) => ({ ...row, live_subscribers: Number(row.live_subscribers) })),
    total: Math.min(n, limit),
    exact: n <= limit,
  };
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
    join (${usageIntervalsSql(partnerId, from, until, customerFactsSql(customerId))}) i on d.ds < i.e and d.de > i.s
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
    from (${usageIntervalsSql(partnerId, from, until, customerFactsSql(customerId))}) i
    where i.e >= ${until}::timestamptz
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
