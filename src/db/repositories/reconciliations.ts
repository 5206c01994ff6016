import { sql, type Insertable, type Transaction, type RawBuilder } from 'kysely';
import type { FileLine } from '../../domain/billing-report-file.js';
import type { ReconciliationClass } from '../../domain/reconciliation.js';
import type { Database, Db, ReconciliationLinesTable, ReconciliationRow, ReconciliationsTable, ReportType } from '../schema.js';
import { headquartersSql, userQuantitiesSql } from './billing-reports.js';

/**
 * Cisco's lines are staged in a temporary table dropped at commit: appended batch by batch as the
 * file streams in (no key check, so repeated keys simply add up later), never held in memory.
 */
export async function createUploadStaging(trx: Transaction<Database>): Promise<void> {
  await sql`create temp table reconciliation_upload (
    package text not null, entity_id text not null, location_id text not null,
    customer_org_id text not null, customer_external_id text not null, units bigint not null
  ) on commit drop`.execute(trx);
}

/** One INSERT per batch, its columns as arrays: six parameters whatever the batch size. */
export async function stageUploadLines(trx: Transaction<Database>, lines: readonly FileLine[]): Promise<void> {
  await sql`insert into reconciliation_upload
    select * from unnest(${lines.map((l) => l.package)}::text[], ${lines.map((l) => l.entityId)}::text[],
      ${lines.map((l) => l.locationId)}::text[], ${lines.map((l) => l.customerOrgId)}::text[],
      ${lines.map((l) => l.customerExternalId)}::text[], ${lines.map((l) => l.units)}::bigint[])`.execute(trx);
}

/**
 * Before the join: statistics for the staged file, so it is planned on its real size (hash joins,
 * not nested loops), room for the ledger's aggregation to sort and hash in memory, and no JIT.
 */
export async function analyzeUploadStaging(trx: Transaction<Database>): Promise<void> {
  await sql`analyze reconciliation_upload`.execute(trx);
  await sql`set local work_mem = '64MB'`.execute(trx);
  // JIT compiling the join costs seconds at a million lines and saves less (as for report generation).
  await sql`set local jit = off`.execute(trx);
}

export const insertReconciliation = (db: Db, row: Insertable<ReconciliationsTable>) =>
  db.insertInto('reconciliations').values(row).returningAll().executeTakeFirstOrThrow();

/** The price book version in force on a day (the partner's price list), if any. */
export async function findPriceVersion(db: Db, pricePartnerId: string, day: string) {
  return db
    .selectFrom('price_book')
    .select(['effective_from', 'currency'])
    .where('partner_id', '=', pricePartnerId)
    .where('effective_from', '<=', day)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The desk's own figures at a report level, keyed like Cisco's lines (package, entity, location):
 * the USER report's rows (the same SQL that writes reports), summed to a customer and its first
 * location, or to the package.
 */
function deskSideSql(
  level: ReportType,
  partnerId: string,
  from: Date,
  to: Date,
  webexIds: boolean,
  locationless: boolean,
  factFilter?: RawBuilder<unknown>,
) {
  const rows = sql`(${userQuantitiesSql(partnerId, from, to, factFilter)})`;
  // Cisco's file names a subscriber by Webex's id: in upstream mode the desk keys its own on that id too
  // (the join only when some subscriber has one: it costs a tenth of the whole on 200,000 lines).
  if (level === 'USER' && webexIds)
    return sql`select u.package, coalesce(sb.webex_subscriber_id, u.subscriber_id, u.workspace_id) as entity_id, '' as location_id, u.customer_id,
        c.external_id as customer_ref, u.units::bigint as units
      from ${rows} u join customers c on c.id = u.customer_id left join subscribers sb on sb.id = u.subscriber_id`;
  if (level === 'USER')
    return sql`select u.package, coalesce(u.subscriber_id, u.workspace_id) as entity_id, '' as location_id, u.customer_id, c.external_id as customer_ref, u.units::bigint as units
      from ${rows} u join customers c on c.id = u.customer_id`;
  if (level === 'CUSTOMER')
    return sql`select u.package, coalesce(c.org_id, c.external_id) as entity_id,
        ${locationless ? sql`''` : sql`coalesce(min(hq.location_id), '')`} as location_id,
        u.customer_id, min(c.external_id) as customer_ref, sum(u.units)::bigint as units
      from ${rows} u join customers c on c.id = u.customer_id
      left join (${headquartersSql}) hq on hq.customer_id = u.customer_id
      group by u.package, u.customer_id, c.org_id, c.external_id`;
  return sql`select u.package, '' as entity_id, '' as location_id, null::text as customer_id, null::text as customer_ref, sum(u.units)::bigint as units
    from ${rows} u group by u.package`;
}

export interface WriteLinesInput {
  reconciliation: ReconciliationRow;
  /** The ledger period, [from, to). */
  from: Date;
  to: Date;
  pricePartnerId: string;
  daysInMonth: number;
  /**
   * An issued month (issue #26): the desk's side is the ledger as each customer's invoice was issued from
   * (facts recorded before its issue); what was recorded later is listed as adjustments, not here.
   */
  asIssuedMonth?: string | undefined;
}

/** The ledger as the month's invoices were issued: a customer's facts recorded before its invoice (all, without one). */
const asIssuedFilter = (month: string) => sql`pe.recorded_at < coalesce((select ii.issued_at from issued_invoices ii
  where ii.partner_id = pe.partner_id and ii.customer_id = pe.customer_id and ii.month = ${month}), 'infinity'::timestamptz)`;

/**
 * Joins the staged file (repeated keys summed) with the desk's side and stores every line with its
 * class, difference and money, in one INSERT … SELECT. The class and money follow `classifyLine` and
 * `differenceMinor` in the domain exactly (test/integration/reconciliations.test.ts holds them to it).
 */
export async function writeReconciliationLines(trx: Transaction<Database>, input: WriteLinesInput): Promise<number> {
  const r = input.reconciliation;
  const webexIds =
    r.report_type === 'USER' &&
    (
      await sql<{
        any: boolean;
      }>`select exists (select 1 from subscribers where partner_id = ${r.partner_id} and webex_subscriber_id is not null) as any`.execute(
        trx,
      )
    ).rows[0]!.any;
  // Upstream, Cisco's CUSTOMER lines name Webex's locations, whose ids the Wholesale API never gives the
  // desk: customers Webex holds are compared per customer and package, every location together.
  const locationless =
    r.report_type === 'CUSTOMER' &&
    (
      await sql<{
        any: boolean;
      }>`select exists (select 1 from customers where partner_id = ${r.partner_id} and webex_customer_id is not null) as any`.execute(trx)
    ).rows[0]!.any;
  const fileLocation = locationless ? sql`''` : sql`location_id`;
  const result = await sql`
    insert into reconciliation_lines (reconciliation_id, partner_id, package, entity_id, location_id, customer_id, customer_ref,
      cisco_units, desk_units, diff_units, class, money_minor)
    select ${r.id}, ${r.partner_id}, j.package, j.entity_id, j.location_id, j.customer_id, j.customer_ref,
      j.cisco_units, j.desk_units, j.diff_units, j.class,
      case when j.class = 'match' or j.diff_units = 0 then 0
           when pb.monthly_price_minor is null then null
           else sign(j.diff_units) * ((abs(j.diff_units) * pb.monthly_price_minor * 2 + ${10_000 * input.daysInMonth}::bigint)
                / (${20_000 * input.daysInMonth}::bigint)) end
    from (
      select coalesce(f.package, d.package) as package, coalesce(f.entity_id, d.entity_id) as entity_id,
        coalesce(f.location_id, d.location_id) as location_id, d.customer_id,
        coalesce(d.customer_ref, nullif(f.customer_external_id, ''), nullif(f.customer_org_id, '')) as customer_ref,
        f.units as cisco_units, d.units as desk_units, coalesce(f.units, 0) - coalesce(d.units, 0) as diff_units,
        case when d.units is null then 'only_cisco' when f.units is null then 'only_desk'
             when abs(f.units - d.units) <= ${r.tolerance_units}::bigint then 'match' else 'quantity_difference' end as class
      from (
        select package, entity_id, location_id, min(customer_org_id) as customer_org_id,
          min(customer_external_id) as customer_external_id, sum(units)::bigint as units
        from (select package, entity_id, ${fileLocation} as location_id, customer_org_id, customer_external_id, units
              from reconciliation_upload) u
        group by package, entity_id, location_id
      ) f
      full join (${deskSideSql(r.report_type, r.partner_id, input.from, input.to, webexIds, locationless, input.asIssuedMonth ? asIssuedFilter(input.asIssuedMonth) : undefined)}) d
        on d.package = f.package and d.entity_id = f.entity_id and d.location_id = f.location_id
    ) j
    left join price_book pb on pb.partner_id = ${input.pricePartnerId} and pb.effective_from = ${r.price_from}::date and pb.package = j.package
    -- In key order: the primary key's pages fill left to right instead of splitting all over.
    order by j.package, j.entity_id, j.location_id`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

export const findReconciliation = (db: Db, partnerId: string, id: string) =>
  db.selectFrom('reconciliations').selectAll().where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();

export const listReconciliations = (db: Db, partnerId: string, page: { offset: number; max: number }) =>
  db
    .selectFrom('reconciliations')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .offset(page.offset)
    .limit(page.max + 1)
    .execute();

export interface ClassCount {
  class: ReconciliationClass;
  lines: number;
  diffUnits: number;
  /** Σ |money| of the class's lines; null parts (unpriced) count nothing. */
  moneyMinor: number;
  unpricedLines: number;
}

const n = (v: unknown) => Number(v ?? 0);

export async function countByClass(db: Db, partnerId: string, id: string): Promise<ClassCount[]> {
  const rows = await sql<Record<string, unknown>>`
    select class, count(*) as lines, coalesce(sum(diff_units), 0) as diff_units, coalesce(sum(abs(money_minor)), 0) as money,
      count(*) filter (where money_minor is null) as unpriced
    from reconciliation_lines where reconciliation_id = ${id} and partner_id = ${partnerId}
    group by class order by class`.execute(db);
  return rows.rows.map((r) => ({
    class: r.class as ReconciliationClass,
    lines: n(r.lines),
    diffUnits: n(r.diff_units),
    moneyMinor: n(r.money),
    unpricedLines: n(r.unpriced),
  }));
}

export interface GroupSummary {
  key: string;
  ciscoUnits: number;
  deskUnits: number;
  /** Net: Cisco minus desk. */
  diffUnits: number;
  differences: number;
  /** Customers with a difference (per package). */
  customers: number;
  /** Σ |money| of the differences. */
  moneyMinor: number;
  /** Net money: positive when Cisco bills more. */
  netMoneyMinor: number;
}

/** Per package or per customer (those with a difference, most money at stake first, at most `limit`). */
export async function summariseBy(
  db: Db,
  partnerId: string,
  id: string,
  by: 'package' | 'customer',
  limit: number,
): Promise<GroupSummary[]> {
  const key = by === 'package' ? sql`package` : sql`coalesce(customer_ref, '')`;
  const rows = await sql<Record<string, unknown>>`
    select ${key} as key, coalesce(sum(cisco_units), 0) as cisco, coalesce(sum(desk_units), 0) as desk,
      coalesce(sum(diff_units), 0) as diff, count(*) filter (where class <> 'match') as differences,
      count(distinct customer_ref) filter (where class <> 'match') as customers,
      coalesce(sum(abs(money_minor)) filter (where class <> 'match'), 0) as money,
      coalesce(sum(money_minor) filter (where class <> 'match'), 0) as net_money
    from reconciliation_lines where reconciliation_id = ${id} and partner_id = ${partnerId}
    group by 1
    ${by === 'customer' ? sql`having count(*) filter (where class <> 'match') > 0` : sql``}
    order by ${by === 'customer' ? sql`money desc, abs(coalesce(sum(diff_units), 0)) desc,` : sql``} 1
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    key: String(r.key),
    ciscoUnits: n(r.cisco),
    deskUnits: n(r.desk),
    diffUnits: n(r.diff),
    differences: n(r.differences),
    customers: n(r.customers),
    moneyMinor: n(r.money),
    netMoneyMinor: n(r.net_money),
  }));
}

export type LineRow = Omit<ReconciliationLinesTable, 'reconciliation_id' | 'partner_id'>;

/** One reconciliation's lines, with the columns every reader of them shows (scoped by partner). */
const selectLines = (db: Db, partnerId: string, id: string) =>
  db
    .selectFrom('reconciliation_lines')
    .select([
      'package',
      'entity_id',
      'location_id',
      'customer_id',
      'customer_ref',
      'cisco_units',
      'desk_units',
      'diff_units',
      'class',
      'money_minor',
    ])
    .where('reconciliation_id', '=', id)
    .where('partner_id', '=', partnerId);

/** A page of lines (optionally of some classes) in key order. */
export function listLines(
  db: Db,
  partnerId: string,
  id: string,
  classes: readonly ReconciliationClass[] | undefined,
  page: { offset: number; max: number },
): Promise<LineRow[]> {
  let q = selectLines(db, partnerId, id);
  if (classes) q = q.where('class', 'in', classes);
  return q
    .orderBy('package')
    .orderBy('entity_id')
    .orderBy('location_id')
    .offset(page.offset)
    .limit(page.max + 1)
    .execute();
}

/** The largest differences by money at stake, then by units. */
export function largestDifferences(db: Db, partnerId: string, id: string, limit: number): Promise<LineRow[]> {
  return selectLines(db, partnerId, id)
    .where('class', '<>', 'match')
    .orderBy(sql`abs(coalesce(money_minor, 0))`, 'desc')
    .orderBy(sql`abs(diff_units)`, 'desc')
    .orderBy('package')
    .orderBy('entity_id')
    .limit(limit)
    .execute();
}

/** The differences in key order, a page at a time (keyset), so a download never holds them all. */
export async function* streamDifferences(db: Db, partnerId: string, id: string, pageSize = 2_000): AsyncGenerator<LineRow[]> {
  let after: [string, string, string] | undefined;
  for (;;) {
    let q = selectLines(db, partnerId, id).where('class', '<>', 'match');
    if (after) {
      const [p, e, l] = after;
      q = q.where(sql<boolean>`(package, entity_id, location_id) > (${p}, ${e}, ${l})`);
    }
    const rows = await q.orderBy('package').orderBy('entity_id').orderBy('location_id').limit(pageSize).execute();
    if (rows.length) yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.package, last.entity_id, last.location_id];
  }
}

/**
 * Per package with a difference, the net units and customers of the latest reconciliation of a
 * period within [fromDay, toDay] (the monthly digest); null when there is none.
 */
export async function latestPackageDifferences(
  db: Db,
  partnerId: string,
  fromDay: string,
  toDay: string,
): Promise<{ package: string; diffUnits: number; customers: number }[] | null> {
  const latest = await db
    .selectFrom('reconciliations')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('billing_start_date', '>=', fromDay)
    .where('billing_end_date', '<=', toDay)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (!latest) return null;
  return (await summariseBy(db, partnerId, latest.id, 'package', 1_000))
    .filter((p) => p.differences > 0)
    .map((p) => ({ package: p.key, diffUnits: p.diffUnits, customers: p.customers }));
}
