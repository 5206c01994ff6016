// Pricing a month of the ledger, fresh or against what was billed for it: what issuing (issue-invoices.ts)
// and the adjustment views (list-invoice-adjustments.ts) compute alike, kept once here.
import {
  listBilledItems,
  listClosedPeriods,
  listHolderIntervals,
  listHolderLabels,
  listHoldersChangedSince,
  listIssuedForMonth,
  latestAuditIds,
  periodChangedSince,
} from '../db/repositories/issued-invoices.js';
import { listPriceBook, pricedUsage, type PricedUsage } from '../db/repositories/price-book.js';
import { peakHolders } from '../db/repositories/peak-holders.js';
import type { Db } from '../db/schema.js';
import type { InvoiceAdjustment } from '../contracts/issued-invoices.js';
import { addDays } from '../domain/calendar.js';
import {
  formatSignedLicenceDays,
  type HolderSecondsDelta,
  type PeriodAmount,
  type PlannedAdjustment,
  planPeriodAdjustments,
} from '../domain/invoice-adjustments.js';
import { daysInMonth } from '../domain/money.js';
import { PACKAGES } from '../domain/packages.js';
import type { Actor } from './actor.js';
import { type InvoiceLine, priceCustomerUsage } from './invoice-lines.js';

export const partnerOf = (actor: Actor) => actor.partner.id;
const monthEnd = (month: string) => new Date(`${addDays(`${month}-01`, daysInMonth(month))}T00:00:00Z`);
const monthStart = (month: string) => new Date(`${month}-01T00:00:00Z`);
export const packageName = (pkg: string) => PACKAGES[pkg as keyof typeof PACKAGES]?.label ?? pkg;

/** One customer's period, priced: the invoice lines and, per line, the seconds it covers. */
interface PricedPeriod {
  lines: InvoiceLine[];
  amounts: PeriodAmount[];
  currency: string | null;
  hasUsage: boolean;
  /** The packages whose most holders on a day were counted (those a price version bills by its peak). */
  peakPackages: ReadonlySet<string>;
}

export async function pricePeriod(
  db: Db,
  partnerId: string,
  pricePartnerId: string,
  /** One customer, a batch of them, or all the partner's (null). */
  customerId: string | readonly string[] | null,
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
export async function computePendingAdjustments(
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
