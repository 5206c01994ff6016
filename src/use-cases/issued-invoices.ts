import type { Kysely } from 'kysely';
import { runLongWork } from '../db/run-in-transaction.js';
import {
  type BilledItem,
  findIssuedDocument,
  firstIssuedAt,
  listDocumentsAdjusting,
  insertBilledItems,
  insertIssuedInvoices,
  latestAuditIds,
  listBilledItems,
  listClosedPeriods,
  listHolderIntervals,
  listHolderLabels,
  listHoldersChangedSince,
  listInvoiceCustomers,
  listIssuedDocuments,
  listIssuedForMonth,
  listPartnersToInvoice,
  lockInvoiceCounter,
  type NewIssuedInvoice,
  periodChangedSince,
  saveInvoiceCounter,
  savePeriodCheck,
} from '../db/repositories/issued-invoices.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { claimJobRun, finishJobRun } from '../db/repositories/job-runs.js';
import { findCustomerByIdOrExternalId } from '../db/repositories/customers.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { listPriceBook, pricedUsage, type PricedUsage } from '../db/repositories/price-book.js';
import { peakHolders } from '../db/repositories/peak-holders.js';
import { enqueueDeliveriesOfEvents } from '../db/repositories/subscriber-import.js';
import type { Database, Db } from '../db/schema.js';
import type { InvoiceAdjustment, IssuedInvoice, IssuedInvoiceLine } from '../contracts/issued-invoices.js';
import { planBillingMonth } from '../domain/billing-window.js';
import { addDays } from '../domain/calendar.js';
import { explainInvoiceLine } from '../domain/invoice-arithmetic.js';
import {
  formatSignedLicenceDays,
  type HolderSecondsDelta,
  type PeriodAmount,
  type PlannedAdjustment,
  planPeriodAdjustments,
} from '../domain/invoice-adjustments.js';
import { daysInMonth } from '../domain/money.js';
import { PACKAGES } from '../domain/packages.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor } from './actor.js';
import { type InvoiceLine, priceCustomerUsage } from './invoice-lines.js';

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
}

export interface IssuedInvoiceFilterInput {
  /** A customer id or externalId. */
  customer?: string | undefined;
  month?: string | undefined;
  number?: string | undefined;
  status?: 'issued' | undefined;
  offset?: number | undefined;
  max?: number | undefined;
}

/** Safety margin: a change committed while a run read the ledger is still looked at next time. */
const CHECK_MARGIN_MS = 10 * 60_000;
const DEFAULT_PREFIX = 'WD';

const partnerOf = (actor: Actor) => actor.partner.id;
const monthEnd = (month: string) => new Date(`${addDays(`${month}-01`, daysInMonth(month))}T00:00:00Z`);
const monthStart = (month: string) => new Date(`${month}-01T00:00:00Z`);
const packageName = (pkg: string) => PACKAGES[pkg as keyof typeof PACKAGES]?.label ?? pkg;

export function formatInvoiceNumber(prefix: string, issuedAt: Date, seq: number): string {
  return `${prefix}-${issuedAt.getUTCFullYear()}-${String(seq).padStart(6, '0')}`;
}

/** One customer's period, priced: the invoice lines and, per line, the seconds it covers. */
interface PricedPeriod {
  lines: InvoiceLine[];
  amounts: PeriodAmount[];
  currency: string | null;
  hasUsage: boolean;
  /** The packages whose most holders on a day were counted (those a price version bills by its peak). */
  peakPackages: ReadonlySet<string>;
}

async function pricePeriod(
  db: Db,
  partnerId: string,
  pricePartnerId: string,
  customerId: string | null,
  from: Date,
  to: Date,
  days: number,
) {
  const usage = await pricedUsage(db, partnerId, pricePartnerId, customerId, from, to);
  // The most holders on one day only matter to a package billed by its peak: counting them per day is the
  // costliest part of a month, so a price book without that rule skips it (the lines then carry no peak).
  const peakPackages = [...new Set((await listPriceBook(db, pricePartnerId)).filter((r) => r.policy === 'peak').map((r) => r.package))];
  const withPeaks = peakPackages.length > 0;
  const peaks = withPeaks ? await peakHolders(db, partnerId, customerId, from, to, peakPackages) : [];
  const usageBy = new Map<string, PricedUsage[]>();
  for (const u of usage) usageBy.set(u.customer_id, [...(usageBy.get(u.customer_id) ?? []), u]);
  const peaksBy = new Map<string, Map<string, number>>();
  for (const p of peaks) {
    const m = peaksBy.get(p.customer_id) ?? new Map<string, number>();
    m.set(p.package, p.peak);
    peaksBy.set(p.customer_id, m);
  }
  const out = new Map<string, PricedPeriod>();
  for (const [customer, rows] of usageBy) {
    const { lines, currency } = priceCustomerUsage(rows, peaksBy.get(customer) ?? new Map(), days);
    const amounts = lines.map((l) => ({
      package: l.package,
      priceFrom: l.priceFrom,
      policy: l.policy,
      monthlyPriceMinor: l.monthlyPriceMinor,
      // A prorated line covers its price version's seconds; a whole-licence line the package's month.
      seconds: rows
        .filter((u) => u.package === l.package && (l.policy !== 'prorated' || u.effective_from === l.priceFrom))
        .reduce((a, u) => a + u.seconds, 0),
      amountMinor: l.amountMinor,
    }));
    out.set(customer, { lines, amounts, currency, hasUsage: rows.length > 0, peakPackages: new Set(peakPackages) });
  }
  return out;
}

/** An adjustment ready for a document, with what the billed ledger keeps of it. */
interface AdjustmentDraft {
  adjustment: InvoiceAdjustment;
  planned: PlannedAdjustment;
  period: string;
}

/**
 * The adjustments owed now for periods before `beforeMonth` that were issued: per customer, each closed
 * period recomputed and compared with what was billed for it. `periods` lists, per period looked at, the
 * customers owed something (a period is quiet again once all of them are billed).
 */
async function computePendingAdjustments(
  db: Db,
  partnerId: string,
  pricePartnerId: string,
  beforeMonth: string,
  onlyCustomer: string | null,
  onlyPeriod?: string,
): Promise<{ byCustomer: Map<string, AdjustmentDraft[]>; periods: Map<string, Set<string>> }> {
  const byCustomer = new Map<string, AdjustmentDraft[]>();
  const periods = new Map<string, Set<string>>();
  const closed = await listClosedPeriods(db, partnerId, beforeMonth);
  if (closed.length === 0) return { byCustomer, periods };
  const versions = [...new Set((await listPriceBook(db, pricePartnerId)).map((r) => r.effective_from))].sort();
  for (const { period, checkedAt } of closed) {
    if (onlyPeriod !== undefined && period !== onlyPeriod) continue;
    const from = monthStart(period);
    const to = monthEnd(period);
    if (checkedAt && !(await periodChangedSince(db, partnerId, pricePartnerId, to, checkedAt))) continue;
    const days = daysInMonth(period);
    const fresh = await pricePeriod(db, partnerId, pricePartnerId, onlyCustomer, from, to, days);
    const billedRows = await listBilledItems(db, partnerId, period, onlyCustomer);
    const issued = await listIssuedForMonth(db, partnerId, period, onlyCustomer);
    const billedBy = new Map<string, PeriodAmount[]>();
    for (const b of billedRows)
      billedBy.set(b.customer_id, [
        ...(billedBy.get(b.customer_id) ?? []),
        {
          package: b.package,
          priceFrom: b.price_from,
          policy: b.policy,
          monthlyPriceMinor: b.monthly_price_minor,
          seconds: b.seconds,
          amountMinor: b.amount_minor,
        },
      ]);
    // First pass: who differs at all (most customers of a dirty period do not).
    const differing = [...new Set([...fresh.keys(), ...billedBy.keys()])].filter((c) => {
      const plan = planPeriodAdjustments(fresh.get(c)?.amounts ?? [], billedBy.get(c) ?? [], [], days, {
        id: c,
        label: '',
        auditId: null,
      });
      return plan.some((p) => p.amountMinor !== 0);
    });
    if (differing.length === 0) continue;
    const since = differing.map((c) => ({ customerId: c, since: issued.get(c)?.issuedAt ?? new Date(0) }));
    const changed = await listHoldersChangedSince(db, partnerId, to, since);
    const holderIds = [...new Set(changed.map((h) => (h.subscriber_id ?? h.workspace_id)!))];
    const kindOf = new Map(
      changed.map((h) => [(h.subscriber_id ?? h.workspace_id)!, h.subscriber_id ? ('subscriber' as const) : ('workspace' as const)]),
    );
    const holderSeconds = new Map<string, number>();
    const addIntervals = (rows: Awaited<ReturnType<typeof listHolderIntervals>>, sign: 1 | -1, onlyCustomers: Set<string> | null) => {
      for (const i of rows) {
        if (onlyCustomers && !onlyCustomers.has(i.customer_id)) continue;
        const holder = (i.subscriber_id ?? i.workspace_id)!;
        versions.forEach((v, n) => {
          const vs = Math.max(i.s.getTime(), Date.parse(`${v}T00:00:00Z`));
          const next = versions[n + 1];
          const ve = Math.min(i.e.getTime(), next ? Date.parse(`${next}T00:00:00Z`) : Number.POSITIVE_INFINITY);
          if (ve <= vs) return;
          const key = `${i.customer_id}\u0000${holder}\u0000${i.package}\u0000${v}`;
          holderSeconds.set(key, (holderSeconds.get(key) ?? 0) + sign * Math.round((ve - vs) / 1000));
        });
      }
    };
    addIntervals(await listHolderIntervals(db, partnerId, from, to, holderIds, null), 1, null);
    // The ledger each invoice was issued from: grouped by issue time (usually one run per period).
    const cutoffs = new Map<number, Set<string>>();
    for (const c of differing) {
      const at = issued.get(c)?.issuedAt;
      if (!at) continue;
      cutoffs.set(at.getTime(), (cutoffs.get(at.getTime()) ?? new Set()).add(c));
    }
    for (const [at, customers] of cutoffs)
      addIntervals(await listHolderIntervals(db, partnerId, from, to, holderIds, new Date(at)), -1, customers);
    for (const b of billedRows)
      if (b.kind === 'adjustment' && b.holder_id !== null) {
        const key = `${b.customer_id}\u0000${b.holder_id}\u0000${b.package}\u0000${b.price_from}`;
        if (holderSeconds.has(key) || kindOf.has(b.holder_id)) holderSeconds.set(key, (holderSeconds.get(key) ?? 0) - b.seconds);
      }
    const labels = await listHolderLabels(db, partnerId, holderIds);
    const earliest = new Date(Math.min(...since.map((s) => s.since.getTime())));
    const audits = await latestAuditIds(db, partnerId, [...holderIds, ...differing], earliest);
    const owed = new Set<string>();
    for (const c of differing) {
      const holders: HolderSecondsDelta[] = [];
      for (const [key, seconds] of holderSeconds) {
        const [customer, holder, pkg, priceFrom] = key.split('\u0000') as [string, string, string, string];
        if (customer !== c || seconds === 0) continue;
        holders.push({
          holderKind: kindOf.get(holder) ?? 'subscriber',
          holderId: holder,
          holderLabel: labels.get(holder) ?? holder,
          package: pkg,
          priceFrom,
          seconds,
          auditId: audits.get(holder) ?? null,
        });
      }
      holders.sort((a, b) => a.holderLabel.localeCompare(b.holderLabel) || a.package.localeCompare(b.package));
      const plan = planPeriodAdjustments(fresh.get(c)?.amounts ?? [], billedBy.get(c) ?? [], holders, days, {
        id: c,
        label: 'the customer',
        auditId: audits.get(c) ?? null,
      }).filter((p) => p.amountMinor !== 0);
      if (plan.length === 0) continue;
      owed.add(c);
      const original = issued.get(c)?.number ?? '';
      const drafts = plan.map((p) => ({ planned: p, period, adjustment: toAdjustment(p, period, original) }));
      byCustomer.set(c, [...(byCustomer.get(c) ?? []), ...drafts]);
    }
    periods.set(period, owed);
  }
  return { byCustomer, periods };
}

function toAdjustment(p: PlannedAdjustment, period: string, originalInvoiceNumber: string): InvoiceAdjustment {
  const days = formatSignedLicenceDays(p.seconds);
  const what = p.holderKind === 'customer' ? 'changes not tied to one holder (billing dates, prices, rounding of the line)' : p.holderLabel;
  const against = originalInvoiceNumber ? `invoice ${originalInvoiceNumber}` : `${period} (no invoice was issued for it)`;
  return {
    kind: p.amountMinor < 0 ? 'credit' : 'debit',
    originalInvoiceNumber,
    period,
    holderKind: p.holderKind,
    holderId: p.holderId,
    holderLabel: p.holderLabel,
    package: p.package,
    packageName: packageName(p.package),
    licenceDays: days,
    amountMinor: p.amountMinor,
    auditId: p.auditId,
    description: `${p.amountMinor < 0 ? 'Credit' : 'Debit'} for ${period}, ${packageName(p.package)} (priced from ${p.priceFrom}): ${days} licence-days of ${what}, recorded after ${against}`,
  };
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
): Promise<Result<{ issued: IssuedInvoice[]; alreadyIssued: number }>> {
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
  return runLongWork(db, async (trx) => {
    let seq = await lockInvoiceCounter(trx, partnerId);
    const already = await listIssuedForMonth(trx, partnerId, month);
    const root = (await findRootPartner(trx))!;
    const priced = await pricePeriod(trx, partnerId, root.id, null, from, to, days);
    const pending = await computePendingAdjustments(trx, partnerId, root.id, month, null);
    // A customer with only unpriced usage has nothing to bill yet: once a price covers it, that is an adjustment.
    const billable = [...priced.entries()].filter(([, p]) => p.lines.length > 0).map(([c]) => c);
    const candidates = [...new Set([...billable, ...pending.byCustomer.keys()])].filter((c) => !already.has(c));
    const customers = new Map((await listInvoiceCustomers(trx, partnerId, candidates)).map((c) => [c.id, c]));
    candidates.sort((a, b) => (customers.get(a)?.external_id ?? a).localeCompare(customers.get(b)?.external_id ?? b) || a.localeCompare(b));
    const issued: IssuedInvoice[] = [];
    const rows: NewIssuedInvoice[] = [];
    const billed: BilledItem[] = [];
    const currencyFallback = (await listPriceBook(trx, root.id))[0]?.currency ?? null;
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
      issued.push(doc);
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
    }
    await insertIssuedInvoices(trx, rows);
    await insertBilledItems(trx, billed);
    await saveInvoiceCounter(trx, partnerId, seq);
    const checkedAt = new Date(now.getTime() - CHECK_MARGIN_MS);
    const issuedNow = new Set(issued.map((i) => i.customerId));
    for (const [period, owed] of pending.periods)
      if ([...owed].every((c) => issuedNow.has(c))) await savePeriodCheck(trx, partnerId, period, checkedAt);
    // The month just issued is checked from now on, unless an earlier run already started its clock.
    if (already.size === 0 && issued.length > 0) await savePeriodCheck(trx, partnerId, month, checkedAt);
    if (issued.length > 0) {
      await appendAudit(trx, {
        at: now,
        partnerId,
        actor: actor.label,
        action: 'invoice.issued',
        entityType: 'invoice_run',
        entityId: month,
        after: { month, count: issued.length, first: issued[0]!.number, last: issued.at(-1)!.number },
      });
      await enqueueDeliveriesOfEvents(
        trx,
        partnerId,
        'invoice.issued',
        issued.map((doc) => ({
          id: `invoice.issued:${partnerId}:${doc.number}`,
          occurredAt: now,
          data: doc as unknown as Record<string, unknown>,
        })),
      );
    }
    return ok({ issued, alreadyIssued: already.size });
  });
}

/** Issued invoices of the actor's partner, newest first; filters by customer (id or externalId), month and number. */
export async function listIssuedInvoices(
  db: Db,
  actor: Actor,
  filter: IssuedInvoiceFilterInput,
): Promise<Result<{ items: IssuedInvoice[] }>> {
  if (filter.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(filter.month))
    return fail(problem('invalid_request', `"${filter.month}" is not a YYYY-MM month`, 'month'));
  let customerId: string | undefined;
  if (filter.customer !== undefined) {
    const c = await findCustomerByIdOrExternalId(db, partnerOf(actor), filter.customer);
    if (!c) return ok({ items: [] });
    customerId = c.id;
  }
  const docs = await listIssuedDocuments(db, partnerOf(actor), {
    customerId,
    month: filter.month,
    number: filter.number,
    offset: filter.offset ?? 0,
    max: Math.min(filter.max ?? 100, 1_001),
  });
  return ok({ items: docs.map((d) => JSON.parse(d) as IssuedInvoice) });
}

export async function getIssuedInvoice(db: Db, actor: Actor, number: string): Promise<Result<IssuedInvoice>> {
  const doc = await findIssuedDocument(db, partnerOf(actor), number);
  if (!doc) return fail(problem('invoice_not_found', `invoice ${number} not found`, 'number'));
  return ok(JSON.parse(doc) as IssuedInvoice);
}

/**
 * What a customer's next invoice will carry for earlier issued months, as of now (the provisional current
 * month shows these; nothing is stored until the month is issued).
 */
export async function listPendingAdjustments(db: Db, actor: Actor, customerId: string, month: string): Promise<InvoiceAdjustment[]> {
  const root = (await findRootPartner(db))!;
  const pending = await computePendingAdjustments(db, partnerOf(actor), root.id, month, customerId);
  return (pending.byCustomer.get(customerId) ?? []).map((d) => d.adjustment);
}

/** The issued invoice of a customer for a month, if there is one. */
export async function findIssuedInvoiceFor(db: Db, actor: Actor, customerId: string, month: string): Promise<IssuedInvoice | undefined> {
  const issued = await listIssuedForMonth(db, partnerOf(actor), month, customerId);
  const hit = issued.get(customerId);
  if (!hit) return undefined;
  const doc = await findIssuedDocument(db, partnerOf(actor), hit.number);
  return doc ? (JSON.parse(doc) as IssuedInvoice) : undefined;
}

const ISSUE_JOB = 'invoice.issue';
/** A claim this old whose instance never finished (it died) may be taken over. */
const ISSUE_LEASE_MS = 30 * 60_000;

/** The month before the one `now` falls in (UTC): what the schedule issues. */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

export interface ScheduledIssueOutcome {
  partnerId: string;
  issued: number;
  alreadyIssued: number;
  error?: string;
}

/**
 * The scheduled issue of last month for every partner (INVOICE_ISSUE_SCHEDULE). Claimed in job_runs under
 * the month, so several instances on the same schedule issue once (and issuing itself is serialized per
 * partner, so even two runs would issue each invoice once). Undefined when another instance has it.
 */
export async function runScheduledInvoiceIssue(
  db: Kysely<Database>,
  instanceId: string,
  now: Date,
  opts: IssueOptions = {},
): Promise<ScheduledIssueOutcome[] | undefined> {
  const month = previousMonth(now);
  const claimed = await claimJobRun(db, {
    job: ISSUE_JOB,
    period: month,
    instanceId,
    now,
    staleBefore: new Date(now.getTime() - ISSUE_LEASE_MS),
    maxAttempts: 3,
  });
  if (!claimed) return undefined;
  const outcomes: ScheduledIssueOutcome[] = [];
  let error: string | null = 'interrupted';
  try {
    for (const partner of await listPartnersToInvoice(db)) {
      try {
        const r = await issueInvoicesForMonth(db, { partner, label: 'job:invoice-issue' }, month, now, opts);
        if (r.ok) outcomes.push({ partnerId: partner.id, issued: r.value.issued.length, alreadyIssued: r.value.alreadyIssued });
        else outcomes.push({ partnerId: partner.id, issued: 0, alreadyIssued: 0, error: r.problems.map((p) => p.message).join('; ') });
      } catch (e) {
        outcomes.push({ partnerId: partner.id, issued: 0, alreadyIssued: 0, error: (e as Error).message });
      }
    }
    const failed = outcomes.filter((o) => o.error);
    error = failed.length
      ? failed
          .map((o) => `${o.partnerId}: ${o.error}`)
          .join('; ')
          .slice(0, 2_000)
      : null;
    return outcomes;
  } finally {
    await finishJobRun(db, { job: ISSUE_JOB, period: month, instanceId, error, at: now });
  }
}

export interface LaterAdjustments {
  /** When the month was first issued; undefined when it has not been. */
  issuedAt: Date | undefined;
  /** Adjustments for the month already on later invoices, with the invoice carrying each. */
  issued: (InvoiceAdjustment & { invoiceNumber: string })[];
  /** Owed now, not yet on an invoice (the next invoice will carry them). */
  pending: InvoiceAdjustment[];
}

/** What was recorded after a month was issued, as adjustments: for reconciliation, beside the ledger as issued. */
export async function listLaterAdjustments(db: Db, actor: Actor, month: string, now: Date): Promise<LaterAdjustments> {
  const partnerId = partnerOf(actor);
  const issuedAt = await firstIssuedAt(db, partnerId, month);
  if (!issuedAt) return { issuedAt, issued: [], pending: [] };
  const docs = (await listDocumentsAdjusting(db, partnerId, month)).map((d) => JSON.parse(d) as IssuedInvoice);
  const issued = docs.flatMap((doc) => doc.adjustments.filter((a) => a.period === month).map((a) => ({ ...a, invoiceNumber: doc.number })));
  const root = (await findRootPartner(db))!;
  const nextMonth = addDays(`${now.toISOString().slice(0, 7)}-01`, 40).slice(0, 7);
  const pending = await computePendingAdjustments(db, partnerId, root.id, nextMonth, null, month);
  return { issuedAt, issued, pending: [...pending.byCustomer.values()].flat().map((d) => d.adjustment) };
}
