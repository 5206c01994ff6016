import type { Kysely } from 'kysely';
import { runLongWork } from '../db/run-in-transaction.js';
import {
  type BilledItem,
  insertBilledItems,
  insertIssuedInvoices,
  listInvoiceCustomerKeys,
  listInvoiceCustomers,
  listIssuedForMonth,
  lockInvoiceCounter,
  type NewIssuedInvoice,
  saveInvoiceCounter,
  savePeriodCheck,
} from '../db/repositories/issued-invoices.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { listPriceBook } from '../db/repositories/price-book.js';
import { enqueueDeliveriesOfEvents } from '../db/repositories/subscriber-import.js';
import type { Database } from '../db/schema.js';
import type { IssuedInvoice, IssuedInvoiceLine } from '../contracts/issued-invoices.js';
import { planBillingMonth } from '../domain/billing-window.js';
import { addDays } from '../domain/calendar.js';
import { explainInvoiceLine } from '../domain/invoice-arithmetic.js';
import { daysInMonth } from '../domain/money.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor } from './actor.js';
import type { InvoiceLine } from './invoice-lines.js';
import { computePendingAdjustments, packageName, partnerOf, pricePeriod } from './price-invoice-periods.js';

/**
 * Issuing closes a month for a customer (issue #26): its invoice is stored as a numbered document that
 * never changes, and anything recorded later that moves the month is billed on the customer's next
 * invoice as adjustment lines (src/domain/invoice-adjustments.ts).
 *
 * Money: integer minor units throughout. Rounding is defined once: each invoice line (package × price
 * version) is rounded half-up to a minor unit from the exact rational amount (domain/money.ts
 * `chargeMinor`); an adjustment holder line likewise, and the period's rounding remainder is its own
 * customer-level adjustment line. Totals are sums of lines, never rounded again.
 */

export interface IssueOptions {
  /** The number prefix (INVOICE_NUMBER_PREFIX): numbers read `<prefix>-<year of issue>-<000123>`. */
  numberPrefix?: string | undefined;
  /**
   * Keep the issued documents in the result (the default, for the API's and the bot's answers). The scheduled
   * run only counts them, so a month of 50,000 invoices never sits in memory at once.
   */
  keepDocuments?: boolean | undefined;
  /** Customers priced and written per batch (default ISSUE_BATCH_SIZE); small in tests to cross batches. */
  batchSize?: number | undefined;
}

/**
 * Issuing works through the customers in batches of this many, in number order: each batch is priced,
 * numbered and written before the next is read, so memory stays flat with the partner's size.
 */
export const ISSUE_BATCH_SIZE = 1_000;

/** Safety margin: a change committed while a run read the ledger is still looked at next time. */
const CHECK_MARGIN_MS = 10 * 60_000;
const DEFAULT_PREFIX = 'WD';

export function formatInvoiceNumber(prefix: string, issuedAt: Date, seq: number): string {
  return `${prefix}-${issuedAt.getUTCFullYear()}-${String(seq).padStart(6, '0')}`;
}

function toIssuedLine(l: InvoiceLine, days: number, currency: string | null, withPeaks: boolean): IssuedInvoiceLine {
  const line: IssuedInvoiceLine = {
    package: l.package,
    packageName: packageName(l.package),
    sku: l.sku,
    description: l.description,
    priceFrom: l.priceFrom,
    policy: l.policy,
    quantity: l.quantity,
    monthlyPriceMinor: l.monthlyPriceMinor,
    amountMinor: l.amountMinor,
    arithmetic: explainInvoiceLine(l, days, currency),
    proratedQuantity: l.proratedQuantity,
    averageDailyLicences: l.averageDailyLicences,
    averageRoundedUp: l.averageRoundedUp,
  };
  if (withPeaks) line.peakLicences = l.peakLicences;
  return line;
}

const addressLines = (
  a: {
    addressLine1: string;
    addressLine2?: string | undefined;
    city: string;
    stateOrProvince?: string | undefined;
    zipOrPostalCode?: string | undefined;
    country: string;
  } | null,
) =>
  a
    ? [a.addressLine1, a.addressLine2, [a.zipOrPostalCode, a.city, a.stateOrProvince].filter(Boolean).join(' '), a.country].filter(
        (x): x is string => Boolean(x),
      )
    : [];

/**
 * Issues `month` (an ended month) for every customer of the actor's partner that has none yet and has
 * usage in it or adjustments owed from earlier issued months. Runs once at a time per partner (the
 * number counter is locked for the transaction): a second instance issuing the same month at once waits,
 * then finds them issued. Numbers are gapless in issue order; each invoice is also sent as `invoice.issued`.
 */
export async function issueInvoicesForMonth(
  db: Kysely<Database>,
  actor: Actor,
  month: string,
  now: Date,
  opts: IssueOptions = {},
): Promise<Result<{ issued: IssuedInvoice[]; issuedCount: number; alreadyIssued: number }>> {
  const window = planBillingMonth(month, now);
  if (!window.ok) return window;
  if (window.value.provisional)
    return fail(
      problem(
        'invoice_month_open',
        `${month} has not ended; a month is issued once it is over (from ${addDays(`${month}-01`, daysInMonth(month))})`,
        'month',
      ),
    );
  const partnerId = partnerOf(actor);
  const prefix = opts.numberPrefix ?? DEFAULT_PREFIX;
  const { from, to, daysInMonth: days } = window.value;
  const batchSize = Math.max(1, opts.batchSize ?? ISSUE_BATCH_SIZE);
  const keep = opts.keepDocuments !== false;
  return runLongWork(db, async (trx) => {
    let seq = await lockInvoiceCounter(trx, partnerId);
    const already = await listIssuedForMonth(trx, partnerId, month);
    const root = (await findRootPartner(trx))!;
    const priceBook = await listPriceBook(trx, root.id);
    const currencyFallback = priceBook[0]?.currency ?? null;
    const pending = await computePendingAdjustments(trx, partnerId, root.id, month, null);
    // Number order: by external id, then id, over all the partner's customers (ids and keys only); each batch
    // of that order is then priced from its own customers' rows, so figures and numbers match a single pass.
    const order = await listInvoiceCustomerKeys(trx, partnerId);
    order.sort((a, b) => (a.external_id ?? a.id).localeCompare(b.external_id ?? b.id) || a.id.localeCompare(b.id));
    const issued: IssuedInvoice[] = [];
    let count = 0;
    let first: string | null = null;
    let last: string | null = null;
    const issuedOwed = new Set<string>();
    for (let at = 0; at < order.length; at += batchSize) {
      const batch = order
        .slice(at, at + batchSize)
        .map((c) => c.id)
        .filter((c) => !already.has(c));
      if (batch.length === 0) continue;
      // Without a price book no usage is billable: only adjustments owed (if any) are issued, nothing is priced.
      const priced =
        priceBook.length > 0
          ? await pricePeriod(trx, partnerId, root.id, batch, from, to, days)
          : new Map<string, Awaited<ReturnType<typeof pricePeriod>> extends Map<string, infer P> ? P : never>();
      // A customer with only unpriced usage has nothing to bill yet: once a price covers it, that is an adjustment.
      const candidates = batch.filter((c) => (priced.get(c)?.lines.length ?? 0) > 0 || pending.byCustomer.has(c));
      if (candidates.length === 0) continue;
      const customers = new Map((await listInvoiceCustomers(trx, partnerId, candidates)).map((c) => [c.id, c]));
      const docs: IssuedInvoice[] = [];
      const rows: NewIssuedInvoice[] = [];
      const billed: BilledItem[] = [];
      for (const customerId of candidates) {
        const c = customers.get(customerId);
        if (!c) continue;
        const period = priced.get(customerId);
        const drafts = pending.byCustomer.get(customerId) ?? [];
        const currency = period?.currency ?? currencyFallback;
        const lines = (period?.lines ?? []).map((l) => toIssuedLine(l, days, currency, period?.peakPackages.has(l.package) ?? false));
        const adjustments = drafts.map((d) => d.adjustment);
        seq += 1;
        const number = formatInvoiceNumber(prefix, now, seq);
        const subtotalMinor = lines.reduce((a, l) => a + l.amountMinor, 0);
        const adjustmentsMinor = adjustments.reduce((a, l) => a + l.amountMinor, 0);
        const doc: IssuedInvoice = {
          number,
          status: 'issued',
          customerId,
          externalId: c.external_id,
          customerName: c.name,
          customerAddress: addressLines(c.address),
          month,
          periodStart: `${month}-01`,
          periodEnd: addDays(`${month}-01`, days - 1),
          currency,
          priceBookVersions: [...new Set(lines.map((l) => l.priceFrom))].sort(),
          lines,
          adjustments,
          subtotalMinor,
          adjustmentsMinor,
          totalMinor: subtotalMinor + adjustmentsMinor,
          issuedAt: now.toISOString(),
          issuedBy: actor.label,
        };
        docs.push(doc);
        rows.push({
          partner_id: partnerId,
          number,
          seq,
          customer_id: customerId,
          month,
          issued_at: now,
          issued_by: actor.label,
          total_minor: doc.totalMinor,
          document: JSON.stringify(doc),
        });
        for (const a of period?.amounts ?? [])
          billed.push({
            partner_id: partnerId,
            invoice_number: number,
            customer_id: customerId,
            period: month,
            kind: 'line',
            package: a.package,
            price_from: a.priceFrom,
            policy: a.policy,
            monthly_price_minor: a.monthlyPriceMinor,
            holder_id: null,
            seconds: a.seconds,
            amount_minor: a.amountMinor,
          });
        for (const d of drafts)
          billed.push({
            partner_id: partnerId,
            invoice_number: number,
            customer_id: customerId,
            period: d.period,
            kind: 'adjustment',
            package: d.planned.package,
            price_from: d.planned.priceFrom,
            policy: d.planned.policy,
            monthly_price_minor: d.planned.monthlyPriceMinor,
            holder_id: d.planned.holderKind === 'customer' ? null : d.planned.holderId,
            seconds: d.planned.seconds,
            amount_minor: d.planned.amountMinor,
          });
        if (pending.byCustomer.has(customerId)) issuedOwed.add(customerId);
      }
      await insertIssuedInvoices(trx, rows);
      await insertBilledItems(trx, billed);
      await enqueueDeliveriesOfEvents(
        trx,
        partnerId,
        'invoice.issued',
        docs.map((doc) => ({
          id: `invoice.issued:${partnerId}:${doc.number}`,
          occurredAt: now,
          data: doc,
        })),
      );
      if (docs.length > 0) {
        count += docs.length;
        first ??= docs[0]!.number;
        last = docs.at(-1)!.number;
      }
      if (keep) issued.push(...docs);
    }
    await saveInvoiceCounter(trx, partnerId, seq);
    const checkedAt = new Date(now.getTime() - CHECK_MARGIN_MS);
    for (const [period, owed] of pending.periods)
      if ([...owed].every((c) => issuedOwed.has(c))) await savePeriodCheck(trx, partnerId, period, checkedAt);
    // The month just issued is checked from now on, unless an earlier run already started its clock.
    if (already.size === 0 && count > 0) await savePeriodCheck(trx, partnerId, month, checkedAt);
    if (count > 0)
      await appendAudit(trx, {
        at: now,
        partnerId,
        actor: actor.label,
        action: 'invoice.issued',
        entityType: 'invoice_run',
        entityId: month,
        after: { month, count, first, last },
      });
    return ok({ issued, issuedCount: count, alreadyIssued: already.size });
  });
}
