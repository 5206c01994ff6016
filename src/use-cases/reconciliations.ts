import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import {
  analyzeUploadStaging,
  countByClass,
  createUploadStaging,
  findPriceVersion,
  findReconciliation,
  insertReconciliation,
  largestDifferences,
  latestPackageDifferences,
  type LineRow,
  listLines,
  listReconciliations,
  stageUploadLines,
  streamDifferences,
  summariseBy,
  writeReconciliationLines,
} from '../db/repositories/reconciliations.js';
import type { Database, Db, ReconciliationRow } from '../db/schema.js';
import type { z } from 'zod';
import type { reconciliationItemSchema } from '../contracts/reconciliations.js';
import { planReport } from '../domain/billing-reports.js';
import { addDays, startOfDay } from '../domain/calendar.js';
import { toCsvLine } from '../domain/csv.js';
import { daysInMonth, formatMinor } from '../domain/money.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { formatUnits } from '../domain/proration.js';
import {
  DIFFERENCE_CLASSES,
  describePackageDifference,
  RECONCILIATION_CLASSES,
  type ReconciliationClass,
} from '../domain/reconciliation.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { firstIssuedAt } from '../db/repositories/issued-invoices.js';
import { type LaterAdjustments, listLaterAdjustments } from './list-invoice-adjustments.js';
import { readBillingReportCsv } from './read-billing-report-csv.js';
import { runLongWork } from '../db/run-in-transaction.js';

/**
 * One line of a reconciliation as the use-cases answer it (camelCase, mapped from its row here). The
 * bigint columns come back from the driver as text: they are numbers here.
 */
export interface ReconciliationLineView {
  class: ReconciliationClass;
  package: string;
  /** USER: the subscriber or workspace; CUSTOMER: the customer's org id (external id without one); PARTNER: ''. */
  entityId: string;
  locationId: string;
  customerId: string | null;
  customerRef: string | null;
  ciscoUnits: number | null;
  deskUnits: number | null;
  diffUnits: number;
  moneyMinor: number | null;
}

const toLineView = (l: LineRow): ReconciliationLineView => ({
  class: l.class,
  package: l.package,
  entityId: l.entity_id,
  locationId: l.location_id,
  customerId: l.customer_id,
  customerRef: l.customer_ref,
  ciscoUnits: l.cisco_units === null ? null : Number(l.cisco_units),
  deskUnits: l.desk_units === null ? null : Number(l.desk_units),
  diffUnits: Number(l.diff_units),
  moneyMinor: l.money_minor === null ? null : Number(l.money_minor),
});

/** A reconciliation as the API lists it (reconciliationItemSchema); its summary extends it. */
export type ReconciliationItem = z.infer<typeof reconciliationItemSchema>;

export const toReconciliationItem = (r: ReconciliationRow): ReconciliationItem => ({
  id: r.id,
  billingStartDate: r.billing_start_date,
  billingEndDate: r.billing_end_date,
  type: r.report_type,
  tolerance: formatSignedUnits(Number(r.tolerance_units)),
  fileLines: r.file_lines,
  currency: r.currency,
  priceFrom: r.price_from,
  source: r.source,
  created: r.created_at.toISOString(),
  createdBy: r.created_by,
});

/**
 * Lines staged per INSERT. Each INSERT sends its columns as six arrays, so building one costs little
 * of the event loop; the loop is handed back between batches anyway.
 */
const LINES_PER_INSERT = 2_000;
/**
 * The largest file accepted unless RECONCILIATION_MAX_BYTES says otherwise (413 above, refused while
 * streaming): 4 GiB. A 1,000,000-subscriber USER report is about 374 MB, and Cisco's can pass 2 GiB; the
 * file streams through a batch at a time, so memory does not grow with it.
 */
export const MAX_RECONCILIATION_BYTES = 4 * 1024 * 1024 * 1024;
/** Customers listed in a summary: those with a difference, most money at stake first. */
const SUMMARY_CUSTOMERS = 100;

class UploadRefused extends Error {
  constructor(readonly problems: Problem[]) {
    super('billing report refused');
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ReconcileInput {
  billingStartDate?: string | undefined;
  billingEndDate?: string | undefined;
  toleranceUnits: number;
  source: 'upload' | 'chat' | 'webex';
  upload: AsyncIterable<Uint8Array>;
  /** Where the file came from, for the audit log (Cisco's report id on the fetch path). */
  origin?: Record<string, string>;
  maxBytes?: number;
}

/**
 * Reconciles Cisco's billing report (as it streams in) against the desk's own figures for the same
 * period, at the file's level, in one transaction: the file is staged batch by batch, then joined
 * with the ledger's report SQL and every line stored with its class and money. A file that is not a
 * billing report, or has a bad line, stores nothing.
 */
export async function reconcileBillingReport(
  db: Kysely<Database>,
  actor: Actor,
  input: ReconcileInput,
  deps: UseCaseDeps,
): Promise<Result<ReconciliationItem>> {
  const plan = planReport({ billingStartDate: input.billingStartDate, billingEndDate: input.billingEndDate, type: 'USER' }, deps.now);
  if (!plan.ok) return plan;
  const { from, to } = plan.value;
  const pricePartnerId = actor.partner.parentId ?? actor.partner.id;
  try {
    return await runLongWork(db, async (trx) => {
      await createUploadStaging(trx);
      let staging: Promise<void> = Promise.resolve();
      const read = await readBillingReportCsv(input.upload, {
        period: { from, to },
        maxBytes: input.maxBytes ?? MAX_RECONCILIATION_BYTES,
        batchSize: LINES_PER_INSERT,
        async onBatch(lines) {
          // The database stores one batch while the next is parsed: two cores, both busy.
          await staging;
          staging = stageUploadLines(trx, lines);
          staging.catch(() => undefined);
          await yieldToEventLoop();
        },
      });
      await staging;
      if (!read.ok) throw new UploadRefused(read.problems);
      await analyzeUploadStaging(trx);
      const price = await findPriceVersion(trx, pricePartnerId, from);
      const reconciliation = await insertReconciliation(trx, {
        id: deps.uuid(),
        partner_id: actor.partner.id,
        billing_start_date: from,
        billing_end_date: to,
        report_type: read.value.type,
        tolerance_units: input.toleranceUnits,
        file_lines: read.value.lines,
        currency: price?.currency ?? null,
        price_from: price?.effective_from ?? null,
        source: input.source,
        created_by: actor.label,
        created_at: deps.now,
      });
      // A closed (issued) month is compared against the ledger as it was issued; later changes are adjustments.
      const month = from.slice(0, 7);
      const asIssued = to.slice(0, 7) === month && (await firstIssuedAt(trx, actor.partner.id, month)) !== undefined;
      const lines = await writeReconciliationLines(trx, {
        reconciliation,
        from: startOfDay(from),
        to: startOfDay(addDays(to, 1)),
        pricePartnerId,
        daysInMonth: daysInMonth(from.slice(0, 7)),
        asIssuedMonth: asIssued ? month : undefined,
      });
      await appendAudit(trx, {
        at: deps.now,
        partnerId: actor.partner.id,
        actor: actor.label,
        action: 'billing_reconciliation.create',
        entityType: 'billing_reconciliation',
        entityId: reconciliation.id,
        after: { from, to, type: read.value.type, fileLines: read.value.lines, lines, source: input.source, ...input.origin },
      });
      return ok(toReconciliationItem(reconciliation));
    });
  } catch (error) {
    if (error instanceof UploadRefused) return fail(...error.problems);
    throw error;
  }
}

export interface ReconciliationSummary {
  reconciliation: ReconciliationItem;
  classes: Record<ReconciliationClass, { lines: number; units: string; moneyAtStake: string }>;
  /** Σ |money| of every difference, in the price book's currency. */
  moneyAtStakeMinor: number;
  unpricedDifferences: number;
  packages: {
    package: string;
    ciscoQuantity: string;
    deskQuantity: string;
    difference: string;
    differences: number;
    customers: number;
    moneyAtStake: string;
    netMoney: string;
  }[];
  customers: { customer: string; difference: string; differences: number; moneyAtStake: string; netMoney: string }[];
  /** 'as_issued': the month was issued when this was made, and the desk's side is the ledger as issued. */
  ledger: 'as_issued' | 'current';
  /** Changes recorded after the month was issued, as the adjustments they became (or will become). */
  laterAdjustments: LaterAdjustments;
}

/** Signed quantity: '-0.5', '12.25'. */
export const formatSignedUnits = (units: number) => (units < 0 ? `-${formatUnits(-units)}` : formatUnits(units));

export async function getReconciliationSummary(db: Db, actor: Actor, id: string, now?: Date): Promise<Result<ReconciliationSummary>> {
  const reconciliation = await findReconciliation(db, actor.partner.id, id);
  if (!reconciliation) return fail(problem('reconciliation_not_found', 'Reconciliation not found.'));
  const counts = await countByClass(db, actor.partner.id, id);
  const classes = Object.fromEntries(
    RECONCILIATION_CLASSES.map((c) => {
      const row = counts.find((x) => x.class === c);
      return [
        c,
        { lines: row?.lines ?? 0, units: formatSignedUnits(row?.diffUnits ?? 0), moneyAtStake: formatMinor(row?.moneyMinor ?? 0) },
      ];
    }),
  ) as ReconciliationSummary['classes'];
  const differences = counts.filter((c) => DIFFERENCE_CLASSES.includes(c.class));
  const packages = await summariseBy(db, actor.partner.id, id, 'package', 1_000);
  // Customers are listed only with a difference: none when every line matched (no query over the lines).
  const customers =
    reconciliation.report_type === 'PARTNER' || differences.length === 0
      ? []
      : await summariseBy(db, actor.partner.id, id, 'customer', SUMMARY_CUSTOMERS);
  const month = reconciliation.billing_start_date.slice(0, 7);
  const later: LaterAdjustments =
    reconciliation.billing_end_date.slice(0, 7) === month
      ? await listLaterAdjustments(db, actor, month, now ?? reconciliation.created_at)
      : { issuedAt: undefined, issued: [], pending: [] };
  return ok({
    reconciliation: toReconciliationItem(reconciliation),
    ledger: later.issuedAt && later.issuedAt <= reconciliation.created_at ? 'as_issued' : 'current',
    laterAdjustments: later,
    classes,
    moneyAtStakeMinor: differences.reduce((a, c) => a + c.moneyMinor, 0),
    unpricedDifferences: differences.reduce((a, c) => a + c.unpricedLines, 0),
    packages: packages.map((p) => ({
      package: p.key,
      ciscoQuantity: formatSignedUnits(p.ciscoUnits),
      deskQuantity: formatSignedUnits(p.deskUnits),
      difference: formatSignedUnits(p.diffUnits),
      differences: p.differences,
      customers: p.customers,
      moneyAtStake: formatMinor(p.moneyMinor),
      netMoney: formatMinor(p.netMoneyMinor),
    })),
    customers: customers.map((c) => ({
      customer: c.key,
      difference: formatSignedUnits(c.diffUnits),
      differences: c.differences,
      moneyAtStake: formatMinor(c.moneyMinor),
      netMoney: formatMinor(c.netMoneyMinor),
    })),
  });
}

/** One line per package with a net difference: "Cisco billed 12.5 units of webex_calling more than our ledger, across 3 customers". */
export async function describePackageDifferences(db: Db, actor: Actor, id: string): Promise<string[]> {
  const packages = await summariseBy(db, actor.partner.id, id, 'package', 1_000);
  return packages
    .filter((p) => p.differences > 0)
    .map((p) => describePackageDifference({ package: p.key, diffUnits: p.diffUnits, customers: p.customers }))
    .filter((t): t is string => t !== undefined);
}

/** The same lines for the latest reconciliation of a month (the monthly digest); null when it was not reconciled. */
export async function describeMonthDifferences(db: Db, partnerId: string, fromDay: string, toDay: string): Promise<string[] | null> {
  const packages = await latestPackageDifferences(db, partnerId, fromDay, toDay);
  return packages && packages.map(describePackageDifference).filter((t): t is string => t !== undefined);
}

export const listPartnerReconciliations = async (
  db: Db,
  actor: Actor,
  page: { offset: number; max: number },
): Promise<ReconciliationItem[]> => (await listReconciliations(db, actor.partner.id, page)).map(toReconciliationItem);

export async function getReconciliationLines(
  db: Db,
  actor: Actor,
  id: string,
  classes: readonly ReconciliationClass[] | undefined,
  page: { offset: number; max: number },
): Promise<Result<ReconciliationLineView[]>> {
  if (!(await findReconciliation(db, actor.partner.id, id))) return fail(problem('reconciliation_not_found', 'Reconciliation not found.'));
  return ok((await listLines(db, actor.partner.id, id, classes, page)).map(toLineView));
}

export const getLargestDifferences = async (db: Db, actor: Actor, id: string, limit: number): Promise<ReconciliationLineView[]> =>
  (await largestDifferences(db, actor.partner.id, id, limit)).map(toLineView);

const CSV_HEADER = [
  'CLASS',
  'SERVICE_NAME',
  'CUSTOMER',
  'SUBSCRIBER_OR_WORKSPACE_ID',
  'CUSTOMER_ORG_ID',
  'LOCATION_ID',
  'CISCO_QUANTITY',
  'DESK_QUANTITY',
  'DIFFERENCE',
  'AMOUNT',
  'CURRENCY',
];

/** One difference as a CSV line; every field goes through toCsvLine, which neutralises formulas. */
function toDifferenceCsvLine(r: ReconciliationItem, l: LineRow): string {
  return toCsvLine([
    l.class,
    l.package.toUpperCase(),
    l.customer_ref,
    r.type === 'USER' ? l.entity_id : '',
    r.type === 'CUSTOMER' ? l.entity_id : '',
    l.location_id,
    l.cisco_units === null ? '' : formatSignedUnits(Number(l.cisco_units)),
    l.desk_units === null ? '' : formatSignedUnits(Number(l.desk_units)),
    formatSignedUnits(Number(l.diff_units)),
    l.money_minor === null ? '' : formatMinor(Number(l.money_minor)),
    r.currency,
  ]);
}

/** The differences as CSV text, a page of lines at a time. */
export async function* differencesCsv(db: Db, actor: Actor, r: ReconciliationItem): AsyncGenerator<string> {
  yield toCsvLine(CSV_HEADER);
  for await (const page of streamDifferences(db, actor.partner.id, r.id)) yield page.map((l) => toDifferenceCsvLine(r, l)).join('');
}

/** The differences as one CSV (for a chat attachment, where the file is sent whole). */
export async function differencesCsvText(db: Db, actor: Actor, r: ReconciliationItem): Promise<string> {
  let out = '';
  for await (const part of differencesCsv(db, actor, r)) out += part;
  return out;
}

export async function findPartnerReconciliation(db: Db, actor: Actor, id: string): Promise<Result<ReconciliationItem>> {
  const r = await findReconciliation(db, actor.partner.id, id);
  return r ? ok(toReconciliationItem(r)) : fail(problem('reconciliation_not_found', 'Reconciliation not found.'));
}
