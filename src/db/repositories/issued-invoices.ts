import { sql } from 'kysely';
import type { InvoicePolicy } from '../../domain/invoice-policies.js';
import type { Db } from '../schema.js';
import { usageIntervalsSql } from './usage-intervals.js';

/** Issued invoices are only ever inserted: the database refuses updates and deletes (migration 2026-12-06-1500). */

const ROWS_PER_INSERT = 500;
const chunks = <T>(rows: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

/**
 * Takes the partner's invoice-number counter for the rest of the transaction: instances issuing at once
 * queue here, so numbers stay gapless in issue order and each period's adjustments are computed by one.
 */
export async function lockInvoiceCounter(db: Db, partnerId: string): Promise<number> {
  await db
    .insertInto('invoice_counters')
    .values({ partner_id: partnerId, last_seq: 0 })
    .onConflict((oc) => oc.column('partner_id').doNothing())
    .execute();
  const r = await sql<{ last_seq: number }>`select last_seq from invoice_counters where partner_id = ${partnerId} for update`.execute(db);
  return Number(r.rows[0]?.last_seq ?? 0);
}

export async function saveInvoiceCounter(db: Db, partnerId: string, lastSeq: number): Promise<void> {
  await db.updateTable('invoice_counters').set({ last_seq: lastSeq }).where('partner_id', '=', partnerId).execute();
}

export interface NewIssuedInvoice {
  partner_id: string;
  number: string;
  seq: number;
  customer_id: string;
  month: string;
  issued_at: Date;
  issued_by: string;
  total_minor: number;
  document: string;
}

export async function insertIssuedInvoices(db: Db, rows: readonly NewIssuedInvoice[]): Promise<void> {
  for (const part of chunks(rows, ROWS_PER_INSERT)) await db.insertInto('issued_invoices').values(part).execute();
}

export interface BilledItem {
  partner_id: string;
  invoice_number: string;
  customer_id: string;
  period: string;
  kind: 'line' | 'adjustment';
  package: string;
  price_from: string;
  policy: InvoicePolicy;
  monthly_price_minor: number;
  holder_id: string | null;
  seconds: number;
  amount_minor: number;
}

export async function insertBilledItems(db: Db, rows: readonly BilledItem[]): Promise<void> {
  for (const part of chunks(rows, ROWS_PER_INSERT * 2)) await db.insertInto('invoice_billed_items').values(part).execute();
}

/** The customers that already have an invoice for `month`, with its number and issue time. */
export async function listIssuedForMonth(
  db: Db,
  partnerId: string,
  month: string,
  customerId: string | null = null,
): Promise<Map<string, { number: string; issuedAt: Date }>> {
  let q = db
    .selectFrom('issued_invoices')
    .select(['customer_id', 'number', 'issued_at'])
    .where('partner_id', '=', partnerId)
    .where('month', '=', month);
  if (customerId !== null) q = q.where('customer_id', '=', customerId);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.customer_id, { number: r.number, issuedAt: new Date(r.issued_at) }]));
}

export interface IssuedInvoiceFilter {
  customerId?: string | undefined;
  month?: string | undefined;
  number?: string | undefined;
  offset: number;
  max: number;
}

/** Issued invoice documents, newest number first. */
export async function listIssuedDocuments(db: Db, partnerId: string, f: IssuedInvoiceFilter): Promise<string[]> {
  let q = db.selectFrom('issued_invoices').select('document').where('partner_id', '=', partnerId);
  if (f.customerId !== undefined) q = q.where('customer_id', '=', f.customerId);
  if (f.month !== undefined) q = q.where('month', '=', f.month);
  if (f.number !== undefined) q = q.where('number', '=', f.number);
  const rows = await q.orderBy('seq', 'desc').offset(f.offset).limit(f.max).execute();
  return rows.map((r) => r.document);
}

export async function findIssuedDocument(db: Db, partnerId: string, number: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('issued_invoices')
    .select('document')
    .where('partner_id', '=', partnerId)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.document;
}

/** Periods before `month` with an issued invoice, and when each was last found to be fully billed. */
export async function listClosedPeriods(
  db: Db,
  partnerId: string,
  beforeMonth: string,
): Promise<{ period: string; checkedAt: Date | null }[]> {
  const r = await sql<{ period: string; checked_at: Date | string | null }>`
    select p.period, c.checked_at
    from (select distinct month as period from issued_invoices where partner_id = ${partnerId} and month < ${beforeMonth}) p
    left join invoice_period_checks c on c.partner_id = ${partnerId} and c.period = p.period
    order by p.period`.execute(db);
  return r.rows.map((row) => ({ period: row.period, checkedAt: row.checked_at === null ? null : new Date(row.checked_at) }));
}

export async function savePeriodCheck(db: Db, partnerId: string, period: string, at: Date): Promise<void> {
  await db
    .insertInto('invoice_period_checks')
    .values({ partner_id: partnerId, period, checked_at: at })
    .onConflict((oc) => oc.columns(['partner_id', 'period']).doUpdateSet({ checked_at: at }))
    .execute();
}

/**
 * Whether anything that can move a period's usage or prices was recorded since `since`: a ledger fact
 * dated before the period's end, a customer change (billing start, provisioning, compliance), a price
 * book version, or any other audited change of the partner (a sub-partner's billing start date).
 * Only a hint to skip recomputing quiet periods: the recomputation itself decides every amount.
 */
export async function periodChangedSince(
  db: Db,
  partnerId: string,
  pricePartnerId: string,
  periodEnd: Date,
  since: Date,
): Promise<boolean> {
  const r = await sql<{ changed: boolean }>`
    select (
      exists (select 1 from package_events where partner_id = ${partnerId} and recorded_at >= ${since} and effective_at < ${periodEnd})
      or exists (select 1 from customers where partner_id = ${partnerId} and updated_at >= ${since})
      or exists (select 1 from price_book where partner_id = ${pricePartnerId} and created_at >= ${since})
      or exists (select 1 from audit_log where partner_id in (${partnerId}, ${pricePartnerId}) and at >= ${since} and action not like 'invoice.%')
    ) as changed`.execute(db);
  return Boolean(r.rows[0]?.changed);
}

/** Everything billed for a period so far (issued lines and adjustments), per customer, package, price version and holder. */
export async function listBilledItems(db: Db, partnerId: string, period: string, customerId: string | null = null) {
  let q = db
    .selectFrom('invoice_billed_items')
    .select(['customer_id', 'kind', 'package', 'price_from', 'policy', 'monthly_price_minor', 'holder_id', 'seconds', 'amount_minor'])
    .where('partner_id', '=', partnerId)
    .where('period', '=', period);
  if (customerId !== null) q = q.where('customer_id', '=', customerId);
  const rows = await q.execute();
  return rows.map((r) => ({
    ...r,
    seconds: Number(r.seconds),
    amount_minor: Number(r.amount_minor),
    monthly_price_minor: Number(r.monthly_price_minor),
  }));
}

/**
 * The holders of some customers with a ledger fact recorded at or after `since` (per customer) and
 * dated before `periodEnd`: the ones a change after issue may have moved.
 */
export async function listHoldersChangedSince(
  db: Db,
  partnerId: string,
  periodEnd: Date,
  since: readonly { customerId: string; since: Date }[],
): Promise<{ customer_id: string; subscriber_id: string | null; workspace_id: string | null }[]> {
  if (since.length === 0) return [];
  const list = JSON.stringify(since.map((s) => ({ c: s.customerId, t: s.since.toISOString() })));
  const r = await sql<{ customer_id: string; subscriber_id: string | null; workspace_id: string | null }>`
    select distinct pe.customer_id, pe.subscriber_id, pe.workspace_id
    from package_events pe
    join jsonb_to_recordset(${list}::jsonb) as s(c text, t timestamptz) on s.c = pe.customer_id
    where pe.partner_id = ${partnerId} and pe.effective_at < ${periodEnd} and pe.recorded_at >= s.t`.execute(db);
  return r.rows;
}

/**
 * Held intervals of some holders in [from, to), from the ledger as it is, or as it was recorded before
 * `recordedBefore` (the ledger an invoice was issued from).
 */
export async function listHolderIntervals(
  db: Db,
  partnerId: string,
  from: Date,
  to: Date,
  holderIds: readonly string[],
  recordedBefore: Date | null,
): Promise<{ subscriber_id: string | null; workspace_id: string | null; customer_id: string; package: string; s: Date; e: Date }[]> {
  if (holderIds.length === 0) return [];
  const ids = JSON.stringify(holderIds);
  // Each column on its own (exactly one is set), so the holders' indexes serve it rather than a scan of the partner's ledger.
  const holders = sql`(pe.subscriber_id in (select jsonb_array_elements_text(${ids}::jsonb)) or pe.workspace_id in (select jsonb_array_elements_text(${ids}::jsonb)))`;
  const filter = recordedBefore ? sql`${holders} and pe.recorded_at < ${recordedBefore}` : holders;
  const r = await sql<{
    subscriber_id: string | null;
    workspace_id: string | null;
    customer_id: string;
    package: string;
    s: Date | string;
    e: Date | string;
  }>`
    select * from (${usageIntervalsSql(partnerId, from, to, filter)}) i`.execute(db);
  return r.rows.map((row) => ({ ...row, s: new Date(row.s), e: new Date(row.e) }));
}

/** Subscriber emails and workspace names by id (for adjustment lines). */
export async function listHolderLabels(db: Db, partnerId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const subs = await db
    .selectFrom('subscribers')
    .select(['id', 'email'])
    .where('partner_id', '=', partnerId)
    .where('id', 'in', ids)
    .execute();
  const ws = await db.selectFrom('workspaces').select(['id', 'name']).where('partner_id', '=', partnerId).where('id', 'in', ids).execute();
  return new Map([...subs.map((s) => [s.id, s.email] as const), ...ws.map((w) => [w.id, w.name] as const)]);
}

/** The latest audit entry about each entity since `since`: the recorded change behind an adjustment. */
export async function latestAuditIds(db: Db, partnerId: string, entityIds: readonly string[], since: Date): Promise<Map<string, string>> {
  if (entityIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('audit_log')
    .select(['entity_id', sql<number>`max(id)`.as('id')])
    .where('partner_id', '=', partnerId)
    .where('entity_id', 'in', entityIds)
    .where('at', '>=', since)
    .groupBy('entity_id')
    .execute();
  return new Map(rows.map((r) => [r.entity_id!, String(r.id)]));
}

/** The customers an invoice names (deleted ones too: their last month is still billed). */
/** Every customer of the partner, only what orders them for issuing (id and external id). */
export async function listInvoiceCustomerKeys(db: Db, partnerId: string): Promise<{ id: string; external_id: string | null }[]> {
  return db.selectFrom('customers').select(['id', 'external_id']).where('partner_id', '=', partnerId).execute();
}

export async function listInvoiceCustomers(db: Db, partnerId: string, ids: readonly string[]) {
  const out = [];
  for (const part of chunks(ids, 1_000)) {
    if (part.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('customers')
        .select(['id', 'external_id', 'name', 'address'])
        .where('partner_id', '=', partnerId)
        .where('id', 'in', part)
        .execute()),
    );
  }
  return out;
}

/** Every partner (the root and its sub-partners): each issues its own customers' invoices. */
export const listPartnersToInvoice = (db: Db) => db.selectFrom('partners').selectAll().orderBy('id').execute();

/** When a month was first issued for the partner (undefined: not issued). */
export async function firstIssuedAt(db: Db, partnerId: string, month: string): Promise<Date | undefined> {
  const r = await sql<{
    at: Date | string | null;
  }>`select min(issued_at) as at from issued_invoices where partner_id = ${partnerId} and month = ${month}`.execute(db);
  const at = r.rows[0]?.at;
  return at ? new Date(at) : undefined;
}

/** The documents of invoices carrying adjustments for `period`. */
export async function listDocumentsAdjusting(db: Db, partnerId: string, period: string): Promise<string[]> {
  const r = await sql<{ document: string }>`
    select ii.document from issued_invoices ii
    where ii.partner_id = ${partnerId} and exists (select 1 from invoice_billed_items b
      where b.partner_id = ${partnerId} and b.invoice_number = ii.number and b.kind = 'adjustment' and b.period = ${period})
    order by ii.seq`.execute(db);
  return r.rows.map((row) => row.document);
}
