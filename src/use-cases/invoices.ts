import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findCustomer, findCustomerIncludingDeleted } from '../db/repositories/customers.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { listPriceBook, pricedUsage, savePriceBookVersion } from '../db/repositories/price-book.js';
import type { Database, Db } from '../db/schema.js';
import { catalogueSku } from '../domain/billing-reports.js';
import { planBillingMonth } from '../domain/billing-window.js';
import type { InvoicePolicy } from '../domain/invoice-policies.js';
import { isCivilDate } from '../domain/calendar.js';
import { toCsvLine } from '../domain/csv.js';
import { formatMinor } from '../domain/money.js';
import { toPackageId } from '../domain/packages.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { type InvoiceLine, priceCustomerUsage } from './invoice-lines.js';
import { peakHolders } from '../db/repositories/peak-holders.js';
import type { InvoiceAdjustment, IssuedInvoice } from '../contracts/issued-invoices.js';
import { findIssuedInvoiceFor } from './read-issued-invoices.js';
import { listPendingAdjustments } from './list-invoice-adjustments.js';

export interface PriceBookInput {
  effectiveFrom: string;
  currency: string;
  items: { package: string; monthlyPrice: number; sku?: string | undefined; policy?: InvoicePolicy | undefined }[];
}

/** Stores a price book version: the complete list from its day on; one currency across versions. */
export async function putPriceBook(db: Kysely<Database>, actor: Actor, input: PriceBookInput, deps: UseCaseDeps): Promise<Result<true>> {
  const problems: Problem[] = [];
  if (!isCivilDate(input.effectiveFrom))
    problems.push(problem('invalid_request', `"${input.effectiveFrom}" is not a YYYY-MM-DD date`, 'effectiveFrom'));
  const items: { package: string; monthlyPriceMinor: number; sku: string; policy: InvoicePolicy }[] = [];
  input.items.forEach((item, i) => {
    const id = toPackageId(item.package);
    if (!id) problems.push(problem('unknown_package', `unknown package "${item.package}"`, `items.${i}.package`));
    else if (items.some((x) => x.package === id)) problems.push(problem('invalid_request', `${id} is listed twice`, `items.${i}.package`));
    else
      items.push({
        package: id,
        monthlyPriceMinor: item.monthlyPrice,
        sku: item.sku ?? catalogueSku(id),
        policy: item.policy ?? 'prorated',
      });
  });
  const partnerId = actor.partner.parentId ?? actor.partner.id;
  const existing = await listPriceBook(db, partnerId);
  const other = existing.find((r) => r.currency !== input.currency && r.effective_from !== input.effectiveFrom);
  if (other)
    problems.push(
      problem('price_book_currency_mismatch', `the price book is in ${other.currency}; every version uses one currency`, 'currency'),
    );
  if (problems.length) return fail(...problems);
  await db.transaction().execute(async (trx) => {
    await savePriceBookVersion(trx, partnerId, input.effectiveFrom, input.currency, items, deps.now);
    await appendAudit(trx, {
      at: deps.now,
      partnerId,
      actor: actor.label,
      action: 'price_book.put',
      entityType: 'price_book',
      entityId: input.effectiveFrom,
      after: { currency: input.currency, items },
    });
  });
  return ok(true as const);
}

export async function getPriceBook(db: Db, actor: Actor) {
  const rows = await listPriceBook(db, actor.partner.parentId ?? actor.partner.id);
  const versions = new Map<
    string,
    { effectiveFrom: string; currency: string; items: { package: string; monthlyPrice: number; sku: string; policy: InvoicePolicy }[] }
  >();
  for (const r of rows) {
    const v = versions.get(r.effective_from) ?? { effectiveFrom: r.effective_from, currency: r.currency, items: [] };
    v.items.push({ package: r.package, monthlyPrice: Number(r.monthly_price_minor), sku: r.sku, policy: r.policy });
    versions.set(r.effective_from, v);
  }
  return { versions: [...versions.values()] };
}

export type { InvoiceLine } from './invoice-lines.js';

export interface Invoice {
  customerId: string;
  externalId: string;
  customerName: string | null;
  month: string;
  /** True for the current month: an invoice to date, counted up to the start of today (UTC). */
  provisional: boolean;
  /** The last day counted; null when none of the month has ended yet. */
  through: string | null;
  currency: string | null;
  lines: InvoiceLine[];
  totalMinor: number;
  /** Usage no price version covers: listed, never charged silently. */
  unpriced: { package: string; quantity: string }[];
  /** Once the month is issued for the customer: its number; the lines and total are then the issued ones. */
  invoiceNumber: string | null;
  /** The current month: what the next invoice will carry for earlier issued months, as of now. */
  adjustments: InvoiceAdjustment[];
  adjustmentsMinor: number;
}

/**
 * A customer's invoice for a month: per package and price version, Σ daily quantity × monthly price
 * ÷ days in the month, rounded half-up to a minor unit per line; the total is the sum of the lines.
 * Only time that has happened is invoiced: a future month is refused, the current month is counted
 * up to the start of today and marked provisional.
 */
export async function getInvoice(db: Db, actor: Actor, customerId: string, month: string, now: Date): Promise<Result<Invoice>> {
  const window = planBillingMonth(month, now);
  if (!window.ok) return window;
  const { from, to, daysInMonth: days, provisional, through } = window.value;
  const customer = await findCustomer(db, actor.partner.id, customerId);
  const deleted = customer ? undefined : await findCustomerIncludingDeleted(db, actor.partner.id, customerId);
  const c = customer ?? deleted;
  if (!c) return fail(problem('customer_not_found', `customer ${customerId} not found`, 'customerId'));
  const issued = await findIssuedInvoiceFor(db, actor, c.id, month);
  if (issued) return ok(fromIssued(issued, through));
  // Independent reads, issued together (side by side on PostgreSQL's pool).
  const [adjustments, root] = await Promise.all([
    provisional ? listPendingAdjustments(db, actor, c.id, month) : [],
    findRootPartner(db).then((r) => r!),
  ]);
  const [usage, peaks] = await Promise.all([
    pricedUsage(db, c.partner_id, root.id, c.id, from, to),
    peakHolders(db, c.partner_id, c.id, from, to),
  ]);
  const { lines, unpriced, currency } = priceCustomerUsage(usage, new Map(peaks.map((p) => [p.package, p.peak])), days);
  return ok({
    customerId: c.id,
    externalId: c.external_id,
    customerName: c.name,
    month,
    provisional,
    through,
    currency,
    lines,
    totalMinor: lines.reduce((a, l) => a + l.amountMinor, 0),
    unpriced,
    invoiceNumber: null,
    adjustments,
    adjustmentsMinor: adjustments.reduce((a, x) => a + x.amountMinor, 0),
  });
}

/** An issued month reads as issued: its stored lines and total, never recomputed (issue #26). */
function fromIssued(doc: IssuedInvoice, through: string | null): Invoice {
  return {
    customerId: doc.customerId,
    externalId: doc.externalId,
    customerName: doc.customerName,
    month: doc.month,
    provisional: false,
    through,
    currency: doc.currency,
    lines: doc.lines.map((l) => ({
      package: l.package,
      sku: l.sku,
      description: l.description,
      priceFrom: l.priceFrom,
      policy: l.policy,
      quantity: l.quantity,
      proratedQuantity: l.proratedQuantity ?? l.quantity,
      averageDailyLicences: l.averageDailyLicences ?? '',
      averageRoundedUp: l.averageRoundedUp ?? 0,
      peakLicences: l.peakLicences ?? 0,
      monthlyPriceMinor: l.monthlyPriceMinor,
      amountMinor: l.amountMinor,
    })),
    totalMinor: doc.subtotalMinor,
    unpriced: [],
    invoiceNumber: doc.number,
    adjustments: doc.adjustments,
    adjustmentsMinor: doc.adjustmentsMinor,
  };
}

/**
 * The invoice as CSV: one line per package and price version (one per package when its rule is not
 * prorated), unpriced usage, then the total; each line names its rule beside the month's figures.
 */
export function toInvoiceCsv(inv: Invoice): string {
  const header = toCsvLine([
    'CUSTOMER_ID',
    'CUSTOMER_EXTERNAL_ID',
    'MONTH',
    'SERVICE_NAME',
    'SKU',
    'DESCRIPTION',
    'PRICE_FROM',
    'QUANTITY',
    'MONTHLY_PRICE',
    'CURRENCY',
    'AMOUNT',
    'POLICY',
    'PRORATED_QUANTITY',
    'AVERAGE_DAILY_LICENCES',
    'AVERAGE_ROUNDED_UP',
    'PEAK_LICENCES',
  ]);
  const lines = inv.lines.map((l) =>
    toCsvLine([
      inv.customerId,
      inv.externalId,
      inv.month,
      l.package.toUpperCase(),
      l.sku,
      l.description,
      l.priceFrom,
      l.quantity,
      formatMinor(l.monthlyPriceMinor),
      inv.currency,
      formatMinor(l.amountMinor),
      l.policy,
      l.proratedQuantity,
      l.averageDailyLicences,
      l.averageRoundedUp,
      l.peakLicences,
    ]),
  );
  const unpriced = inv.unpriced.map((u) =>
    toCsvLine([
      inv.customerId,
      inv.externalId,
      inv.month,
      u.package.toUpperCase(),
      '',
      'UNPRICED',
      '',
      u.quantity,
      '',
      inv.currency,
      '0.00',
    ]),
  );
  const total = toCsvLine([
    inv.customerId,
    inv.externalId,
    inv.month,
    'TOTAL',
    '',
    '',
    '',
    '',
    '',
    inv.currency,
    formatMinor(inv.totalMinor),
  ]);
  return header + lines.join('') + unpriced.join('') + total;
}
