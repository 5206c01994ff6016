import { sql, type Insertable } from 'kysely';
import type { BillingReportRow, BillingReportsTable, Db, ReportStatus, ReportType } from '../schema.js';
import { usageIntervalsSql } from './usage-intervals.js';

export const insertReport = (db: Db, row: Insertable<BillingReportsTable>) => db.insertInto('billing_reports').values(row).returningAll().executeTakeFirstOrThrow();

export const findReport = (db: Db, requestedBy: string, id: string) =>
  db.selectFrom('billing_reports').selectAll().where('id', '=', id).where('requested_by_partner_id', '=', requestedBy).executeTakeFirst();

export const findReportById = (db: Db, id: string) => db.selectFrom('billing_reports').selectAll().where('id', '=', id).executeTakeFirst();

export function findSameReport(db: Db, key: Pick<BillingReportRow, 'partner_id' | 'type' | 'category' | 'billing_start_date' | 'billing_end_date'>) {
  return db
    .selectFrom('billing_reports')
    .selectAll()
    .where('partner_id', '=', key.partner_id)
    .where('type', '=', key.type)
    .where('category', '=', key.category)
    .where('billing_start_date', '=', key.billing_start_date)
    .where('billing_end_date', '=', key.billing_end_date)
    .where('status', 'in', ['COMPLETED', 'IN_PROGRESS'])
    .orderBy('created_at', 'desc')
    .execute();
}

export interface ReportFilter {
  requestedBy: string;
  billingStartDate?: string | undefined;
  billingEndDate?: string | undefined;
  type?: ReportType | undefined;
  status?: ReportStatus | undefined;
  subPartnerOrgId?: string | undefined;
  sortBy: 'id' | 'billingStartDate' | 'billingEndDate' | 'status';
  offset: number;
  max: number;
}

/** Filters match exactly, as Webex's do: a period filter returns only reports of exactly that period. */
export function listReports(db: Db, f: ReportFilter) {
  let q = db.selectFrom('billing_reports').selectAll().where('requested_by_partner_id', '=', f.requestedBy);
  if (f.billingStartDate) q = q.where('billing_start_date', '=', f.billingStartDate);
  if (f.billingEndDate) q = q.where('billing_end_date', '=', f.billingEndDate);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.status) q = q.where('status', '=', f.status);
  q = f.subPartnerOrgId ? q.where('sub_partner_org_id', '=', f.subPartnerOrgId) : q.where('sub_partner_org_id', 'is', null);
  const column = ({ id: 'id', billingStartDate: 'billing_start_date', billingEndDate: 'billing_end_date', status: 'status' } as const)[f.sortBy];
  return q.orderBy(column).orderBy('id').offset(f.offset).limit(f.max + 1).execute();
}

export async function deleteReport(db: Db, requestedBy: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('billing_reports').where('id', '=', id).where('requested_by_partner_id', '=', requestedBy).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Writes a RECONCILIATION report's rows in one INSERT … SELECT: the aggregation runs in the database
 * and no row passes through JavaScript. USER rows are per subscriber and package, rounded half-up to
 * 1/10,000 day; CUSTOMER and PARTNER rows sum those rounded USER quantities, so every level adds up
 * exactly to the level below it.
 */
export async function writeReconciliationLines(db: Db, report: BillingReportRow, from: Date, to: Date): Promise<number> {
  const groupBy = {
    USER: sql`u.customer_id, u.subscriber_id, u.package`,
    CUSTOMER: sql`u.customer_id, u.package`,
    PARTNER: sql`u.package`,
  }[report.type];
  const r = await sql`
    insert into billing_report_lines
      (report_id, seq, package, customer_id, customer_org_id, customer_external_id, location_id, subscriber_id, user_id,
       consumption_start_date, consumption_end_date, units)
    select ${report.id}, row_number() over (order by agg.package, agg.customer_external_id nulls first, agg.customer_id nulls first, agg.subscriber_id nulls first),
      agg.package, agg.customer_id, agg.customer_org_id, agg.customer_external_id, agg.location_id, agg.subscriber_id, agg.user_id,
      agg.first_day, agg.last_day, agg.units
    from (
      select u.package,
        ${report.type === 'PARTNER' ? sql`null` : sql`u.customer_id`} as customer_id,
        ${report.type === 'PARTNER' ? sql`null` : sql`min(c.org_id)`} as customer_org_id,
        ${report.type === 'PARTNER' ? sql`null` : sql`min(c.external_id)`} as customer_external_id,
        ${report.type === 'USER' ? sql`min(sb.location_id)` : report.type === 'CUSTOMER' ? sql`min(hq.id)` : sql`null`} as location_id,
        ${report.type === 'USER' ? sql`u.subscriber_id` : sql`null`} as subscriber_id,
        ${report.type === 'USER' ? sql`min(sb.person_id)` : sql`null`} as user_id,
        min(u.first_day) as first_day, max(u.last_day) as last_day, sum(u.units) as units
      from (
        select i.customer_id, i.subscriber_id, i.package,
          ((sum(extract(epoch from (i.e - i.s)))::bigint * 10000 + 43200) / 86400) as units,
          (min(i.s) at time zone 'UTC')::date as first_day,
          ((max(i.e) - interval '1 second') at time zone 'UTC')::date as last_day
        from (${usageIntervalsSql(report.partner_id, from, to)}) i
        group by i.customer_id, i.subscriber_id, i.package
      ) u
      join customers c on c.id = u.customer_id
      join subscribers sb on sb.id = u.subscriber_id
      left join lateral (select l.id from locations l where l.customer_id = u.customer_id order by l.created_at, l.id limit 1) hq on true
      group by ${groupBy}
    ) agg`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** POINT_IN_TIME: what each customer holds right now, per package (QUANTITY = subscribers). */
export async function writePointInTimeLines(db: Db, report: BillingReportRow, today: string): Promise<number> {
  const r = await sql`
    insert into billing_report_lines
      (report_id, seq, package, customer_id, customer_org_id, customer_external_id, location_id, subscriber_id, user_id,
       consumption_start_date, consumption_end_date, units)
    select ${report.id}, row_number() over (order by c.external_id, s.package), s.package, c.id, min(c.org_id), c.external_id, null, null, null,
      ${today}::date, ${today}::date, count(*) * 10000
    from subscribers s join customers c on c.id = s.customer_id
    where c.partner_id = ${report.partner_id} and s.status = 'provisioned'
    group by c.id, c.external_id, s.package`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Report rows in order, a page at a time (keyset), so a download never holds the report in memory. */
export async function* streamReportLines(db: Db, reportId: string, pageSize = 2_000) {
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('billing_report_lines').selectAll().where('report_id', '=', reportId).where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.seq;
    if (rows.length < pageSize) return;
  }
}
