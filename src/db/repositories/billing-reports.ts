import { type RawBuilder, sql, type Insertable, type Transaction } from 'kysely';
import type { BillingReportRow, BillingReportsTable, Database, Db, ReportStatus, ReportType } from '../schema.js';
import { usageIntervalsSql } from './usage-intervals.js';

export const insertReport = (db: Db, row: Insertable<BillingReportsTable>) =>
  db.insertInto('billing_reports').values(row).returningAll().executeTakeFirstOrThrow();

export const findReport = (db: Db, requestedBy: string, id: string) =>
  db.selectFrom('billing_reports').selectAll().where('id', '=', id).where('requested_by_partner_id', '=', requestedBy).executeTakeFirst();

export const findReportById = (db: Db, id: string) => db.selectFrom('billing_reports').selectAll().where('id', '=', id).executeTakeFirst();

export function findSameReport(
  db: Db,
  key: Pick<BillingReportRow, 'partner_id' | 'type' | 'category' | 'billing_start_date' | 'billing_end_date'>,
) {
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
  const column = ({ id: 'id', billingStartDate: 'billing_start_date', billingEndDate: 'billing_end_date', status: 'status' } as const)[
    f.sortBy
  ];
  return q
    .orderBy(column)
    .orderBy('id')
    .offset(f.offset)
    .limit(f.max + 1)
    .execute();
}

export async function deleteReport(db: Db, requestedBy: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('billing_reports')
    .where('id', '=', id)
    .where('requested_by_partner_id', '=', requestedBy)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** What every line of a report starts with, and what a package's columns say: decided in the domain. */
export interface ReportFormat {
  /** PARTNER_NAME,PARTNER_ORG_ID,SUBSCRIPTION_ID, already CSV-escaped, with its trailing comma. */
  prefix: string;
  /** Per package, in the order lines list packages: SERVICE_NAME,SKU,DESCRIPTION, already CSV-escaped, with the trailing comma. */
  catalogue: { package: string; columns: string }[];
}

/** CUSTOMER reports: customers per chunk (one line each per package). */
const CUSTOMERS_PER_CHUNK = 1_000;

/**
 * Writes a RECONCILIATION report in one INSERT … SELECT: the database aggregates the usage, formats
 * every CSV line and stores them in chunks, so no row passes through JavaScript and a download only
 * streams text. USER rows are per holder (subscriber or workspace) and package (base or add-on), rounded half-up to 1/10,000 day; CUSTOMER and
 * PARTNER rows sum those rounded USER quantities, so each level adds up exactly to the one below.
 * Lines are ordered by package, customer external id, customer id and subscriber (or workspace) id, byte by byte.
 *
 * The rows are sorted once, in line order, and each chunk is a run of consecutive lines whose key is a
 * prefix of that order: a USER chunk is one customer's lines of one package, a CUSTOMER chunk a
 * thousand customers' lines of one package, a PARTNER chunk a package's line. So the chunks aggregate
 * straight off the sorted rows (no second sort of the finished lines, which at 1,000,000 subscribers
 * spilled 405 MB), the line text is built inside the aggregate (the sort carries the narrow columns,
 * not the text), and the chunks are numbered in the same order without sorting again.
 */
export async function writeReconciliationCsv(
  db: Db,
  report: BillingReportRow,
  from: Date,
  to: Date,
  format: ReportFormat,
): Promise<number> {
  const r = await sql`
    insert into billing_report_chunks (report_id, seq, lines, body)
    ${reconciliationChunksSql(report, from, to, format)}`.execute(db);
  return sumLines(db, report.id, Number(r.numAffectedRows ?? 0));
}

/** The SELECT of writeReconciliationCsv: (report_id, seq, lines, body) per chunk, in line order. */
export function reconciliationChunksSql(report: BillingReportRow, from: Date, to: Date, format: ReportFormat) {
  const packages = format.catalogue.map((p) => p.package);
  const columns = format.catalogue.map((p) => p.columns);
  // Sorting on small integers (the package's place in the catalogue, the customer's rank) instead of
  // ids is what keeps the sort cheap; customer columns are escaped once per customer, not per line.
  // Ids the desk generates (subscriber, person, location) are base64 and never need quoting; org ids
  // (given when attaching an org) and external ids come from partners and always go through csv_field.
  const select = {
    // SUBSCRIBER_ID, USER_ID, WORKSPACE_ID, LOCATION_ID: a workspace's row has only its own id and location;
    // the location is the holder's own, else its customer's HQ (first) location.
    USER: sql`u.pkg, cu.rank, coalesce(u.subscriber_id, u.workspace_id) as sort_sub, u.units, u.first_day, u.last_day,
      cu.tail || coalesce(u.subscriber_id, '') || ',' || coalesce(sb.person_id, '') || ',' || coalesce(u.workspace_id, '') || ','
        || coalesce(sb.location_id, ws.location_id, hq.location_id, '') as tail`,
    CUSTOMER: sql`u.pkg, cu.rank, null as sort_sub, sum(u.units)::bigint as units, min(u.first_day) as first_day, max(u.last_day) as last_day,
      cu.tail || coalesce(min(hq.location_id), '') as tail`,
    PARTNER: sql`u.pkg, 0::bigint as rank, null as sort_sub, sum(u.units)::bigint as units, min(u.first_day) as first_day, max(u.last_day) as last_day,
      '' as tail`,
  }[report.type];
  const joins = {
    // LOCATION_ID: the subscriber's own location, else its customer's HQ (first) location.
    USER: sql`join (${customerRanksSql(report.partner_id)}) cu on cu.id = u.customer_id
      left join subscribers sb on sb.id = u.subscriber_id
      left join workspaces ws on ws.id = u.workspace_id
      left join (${headquartersSql}) hq on hq.customer_id = u.customer_id`,
    CUSTOMER: sql`join (${customerRanksSql(report.partner_id)}) cu on cu.id = u.customer_id
      left join (${headquartersSql}) hq on hq.customer_id = u.customer_id`,
    PARTNER: sql``,
  }[report.type];
  const groupBy = { USER: sql``, CUSTOMER: sql`group by u.pkg, u.package, cu.rank, cu.tail`, PARTNER: sql`group by u.pkg, u.package` }[
    report.type
  ];
  // The chunk a line belongs to, as a prefix of the line order.
  const block = { USER: sql`r.rank`, CUSTOMER: sql`r.rank / ${CUSTOMERS_PER_CHUNK}`, PARTNER: sql`r.rank` }[report.type];
  // The line order within a chunk, after (pkg, block). The sorted subquery feeds the aggregate in this
  // order (a subquery with ORDER BY is planned as its own sorted input, and the grouping key is a prefix
  // of that order, so no other sort comes between), and string_agg concatenates in input order.
  return sql`
    select ${report.id}, (row_number() over (order by chunks.pkg, chunks.block) - 1)::int, chunks.lines, chunks.body
    from (
      select rows.pkg, rows.block, count(*)::int as lines,
        string_agg(${format.prefix} || rows.columns || rows.first_day::text || ',' || rows.last_day::text || ',' || format_units(rows.units)
          || rows.tail || E'\r\n', '') as body
      from (
        select coalesce((${columns}::text[])[r.pkg], csv_field(upper(r.package)) || ',,,') as columns, r.*, ${block} as block
        from (
          select u.package, ${select}
          from (
            select q.*, coalesce(array_position(${packages}::text[], q.package), 0) as pkg
            from (${userQuantitiesSql(report.partner_id, from, to)}) q
          ) u
          ${joins}
          ${groupBy}
        ) r
        order by r.pkg, ${block}, r.rank, r.sort_sub collate "C"
      ) rows
      group by rows.pkg, rows.block
    ) chunks`;
}

/** Each customer's HQ: its first location (branches come later); CUSTOMER lines name it, USER lines fall back to it. */
export const headquartersSql = sql`select distinct on (customer_id) customer_id, id as location_id from locations order by customer_id, created_at, id`;

/**
 * Every USER report row's figures: per customer, subscriber and package, the quantity (held seconds
 * ÷ 86,400, rounded half-up to 1/10,000 day) and the first and last day held. Reports and
 * reconciliations both read the desk's side from here.
 */
export const userQuantitiesSql = (partnerId: string, from: Date, to: Date, factFilter?: RawBuilder<unknown>) => sql`
  select i.customer_id, i.subscriber_id, i.workspace_id, i.package,
    -- Seconds as int (a 5-year window holds 158 million): summing ints is several times faster than numeric.
    ((sum(date_part('epoch', i.e - i.s)::int) * 10000 + 43200) / 86400) as units,
    (min(i.s) at time zone 'UTC')::date as first_day,
    ((max(i.e) - interval '1 second') at time zone 'UTC')::date as last_day
  from (${usageIntervalsSql(partnerId, from, to, factFilter)}) i
  -- Holder first: the intervals come in holder order, so grouping sorts only each holder's few rows
  -- by package (an incremental sort) instead of every interval (a holder has one customer for life).
  group by i.subscriber_id, i.workspace_id, i.package, i.customer_id`;

/**
 * A partner's customers ranked by external id then id (byte order), with their CSV columns
 * CUSTOMER_ORG_ID,CUSTOMER_EXTERNAL_ID, escaped and followed by a comma. Usage rows carry their
 * subscriber's partner, which is always its customer's. OFFSET 0 keeps the columns computed here,
 * once per customer, rather than pulled up into every line.
 */
const customerRanksSql = (partnerId: string) => sql`
  select c.id, row_number() over (order by c.external_id collate "C", c.id collate "C") as rank,
    ',' || csv_field(c.org_id) || ',' || csv_field(c.external_id) || ',' as tail
  from customers c where c.partner_id = ${partnerId} offset 0`;

/**
 * POINT_IN_TIME: what each customer (or the partner) held at `at` (the end of the report's last day), per
 * package (QUANTITY = holders: subscribers' base packages and add-ons, workspaces), read from the ledger
 * by the rules billing uses: the intervals held in the last millisecond before `at`.
 * Both date columns carry the report's last day, the day the count is taken at.
 */
export async function writePointInTimeCsv(db: Db, report: BillingReportRow, at: Date, format: ReportFormat): Promise<number> {
  const perCustomer = report.type !== 'PARTNER';
  const day = report.billing_end_date;
  await sql`
    insert into billing_report_chunks (report_id, seq, lines, body)
    select ${report.id}, 0, count(*), coalesce(string_agg(line, '' order by n), '')
    from (
      select row_number() over (order by ${perCustomer ? sql`min(c.external_id), s.package` : sql`s.package`}) as n,
        ${format.prefix} || min(cat.columns) || ${day} || ',' || ${day} || ',' || (count(*))::text
          ${perCustomer ? sql`|| ',' || csv_field(min(c.org_id)) || ',' || csv_field(min(c.external_id)) || ','` : sql``}
          ${report.type === 'USER' ? sql`|| ',,,'` : sql``} || E'\r\n' as line
      from (
        select customer_id, package from (${usageIntervalsSql(report.partner_id, new Date(at.getTime() - 1), at)}) held
      ) s join customers c on c.id = s.customer_id
      left join json_to_recordset(${JSON.stringify(format.catalogue)}::json) as cat(package text, columns text) on cat.package = s.package
      where c.partner_id = ${report.partner_id}
      group by ${perCustomer ? sql`c.id, s.package` : sql`s.package`}
    ) lines`.execute(db);
  return sumLines(db, report.id, 1);
}

async function sumLines(db: Db, reportId: string, chunks: number): Promise<number> {
  if (chunks === 0) return 0;
  const r = await db
    .selectFrom('billing_report_chunks')
    .select((eb) => eb.fn.sum<number>('lines').as('n'))
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Lines read per query: a few megabytes of text, so round trips stay few and memory small. */
const LINES_PER_READ = 4_000;

/**
 * A report's CSV body, a read's worth of chunks at a time, so a download never holds more than a few
 * thousand lines in memory. Chunks hold from one line (a CUSTOMER report's package) to a customer's lines of a package
 * (USER) or a thousand lines (reports written before): each read asks for about LINES_PER_READ lines'
 * worth of chunks, by the size of the chunks just read.
 */
export async function* streamReportChunks(db: Db, reportId: string) {
  let after = -1;
  let perRead = 4;
  for (;;) {
    const chunks = await db
      .selectFrom('billing_report_chunks')
      .select(['seq', 'lines', 'body'])
      .where('report_id', '=', reportId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(perRead)
      .execute();
    // One piece per read, so a download writes megabytes at a time, not a few KB per chunk. Written
    // straight into one buffer, not joined into a string and encoded again: that string (megabytes per
    // read) and its copy were heap text the young generation promoted, so a 1,000,000-line download
    // piled up in V8's old space until a full collection (RSS 351 MiB; 208 MiB so, docs/scale.md). The
    // buffer lives outside the heap and goes with its piece.
    if (chunks.length) yield encodeBodies(chunks);
    if (chunks.length < perRead) return;
    after = chunks[chunks.length - 1]!.seq;
    const lines = chunks.reduce((n, c) => n + c.lines, 0);
    perRead = Math.max(1, Math.min(LINES_PER_READ, Math.floor((LINES_PER_READ * chunks.length) / Math.max(1, lines))));
  }
}

/** The chunks' bodies, in order, as one piece of UTF-8. */
function encodeBodies(chunks: readonly { body: string }[]): Buffer {
  let size = 0;
  for (const c of chunks) size += Buffer.byteLength(c.body);
  const piece = Buffer.allocUnsafe(size);
  let at = 0;
  for (const c of chunks) at += piece.write(c.body, at);
  return piece;
}

/** The report, locked for the rest of the transaction (generation and its retry never overlap). */
export const lockReport = (trx: Transaction<Database>, id: string): Promise<BillingReportRow | undefined> =>
  trx.selectFrom('billing_reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export async function deleteReportChunks(db: Db, reportId: string): Promise<void> {
  await db.deleteFrom('billing_report_chunks').where('report_id', '=', reportId).execute();
}

/**
 * Session settings for the rest of a generation transaction: the aggregation sorts and hashes every
 * interval of the period, so it gets room to stay in memory; no JIT; and it need not wait for its own WAL
 * flush, because the task's own (synchronous) completion commits later and flushes the WAL up to it,
 * so a completed task never points at a lost report.
 */
export async function tuneReportGeneration(trx: Transaction<Database>): Promise<void> {
  await sql`set local work_mem = '64MB'`.execute(trx);
  // JIT compiling the one big statement took 5.5 s of a 1,000,000-subscriber report, and saves less.
  await sql`set local jit = off`.execute(trx);
  await sql`set local synchronous_commit = off`.execute(trx);
}

export const completeReport = (db: Db, id: string, rows: number, at: Date): Promise<BillingReportRow> =>
  db
    .updateTable('billing_reports')
    .set({ status: 'COMPLETED', row_count: rows, completed_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

/** Marks a report still in progress FAILED; undefined when it is not in progress any more. */
export const failReport = (db: Db, id: string, description: string, at: Date): Promise<BillingReportRow | undefined> =>
  db
    .updateTable('billing_reports')
    .set({ status: 'FAILED', errors: JSON.stringify([{ code: 2500, description }]), completed_at: at })
    .where('id', '=', id)
    .where('status', '=', 'IN_PROGRESS')
    .returningAll()
    .executeTakeFirst();

/** The completed report of this partner, type and period, if any. */
export const findCompletedReport = (
  db: Db,
  key: Pick<BillingReportRow, 'partner_id' | 'type' | 'billing_start_date' | 'billing_end_date'>,
): Promise<BillingReportRow | undefined> =>
  db
    .selectFrom('billing_reports')
    .selectAll()
    .where('partner_id', '=', key.partner_id)
    .where('type', '=', key.type)
    .where('billing_start_date', '=', key.billing_start_date)
    .where('billing_end_date', '=', key.billing_end_date)
    .where('status', '=', 'COMPLETED')
    .executeTakeFirst();
