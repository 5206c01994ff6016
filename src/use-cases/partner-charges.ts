import { listCustomerIdsOfPartner, listCustomerNames } from '../db/repositories/customers.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { findMonthTotals, ledgerFingerprint, saveMonthTotals } from '../db/repositories/partner-month-totals.js';
import { pricedUsage, type PricedUsage } from '../db/repositories/price-book.js';
import { peakHolders } from '../db/repositories/peak-holders.js';
import type { Db, PartnerRow } from '../db/schema.js';
import { planBillingMonth } from '../domain/billing-window.js';
import { priceCustomerUsage } from './invoice-lines.js';
import { formatUnits, secondsToUnits } from '../domain/proration.js';

export interface PartnerCharges {
  month: string;
  /** True for the current month: charges to date (up to the start of today, UTC), still changing. */
  provisional: boolean;
  /** The last day counted; null when none of the month has ended yet. */
  through: string | null;
  currency: string | null;
  /** Quantity (daily units) and charge per package over the whole partner. */
  packages: { package: string; quantity: string; amountMinor: number }[];
  /**
   * The customers with the highest charges (at most `TOP_CUSTOMERS`), highest first; each equals the total
   * of its invoice. A large SP has 50,000: the dashboard shows five, the digest ten.
   */
  customers: { customerId: string; name: string; externalId: string; amountMinor: number }[];
  /** How many customers have usage (all of them count in `totalMinor`). */
  customerCount: number;
  totalMinor: number;
  unpricedPackages: string[];
}

/** The most customers `PartnerCharges.customers` lists. */
export const TOP_CUSTOMERS = 100;

/** Customers priced per statement when computing a month's charges. */
const CHARGES_BATCH = 2_000;

/** Bumped whenever the computation below changes, so totals kept by an older release are recomputed. */
const CHARGES_VERSION = 'charges-2';

/**
 * What the SP charges for a month (the current month to date, up to the start of today): each
 * customer's lines are priced exactly as its invoice prices them (per package and price version,
 * rounded per line), so the totals here equal the sum of the invoices. A future month charges nothing.
 * Kept per partner and month (`partner_month_totals`) with the fingerprint of the ledger, customers
 * and price book they came from: read back while nothing changed, computed again when anything did.
 */
export async function partnerCharges(db: Db, partner: PartnerRow, month: string, now: Date): Promise<PartnerCharges> {
  const root = (await findRootPartner(db))!;
  const window = planBillingMonth(month, now);
  const to = window.ok ? window.value.to : new Date(0);
  const fingerprint = `${CHARGES_VERSION}|${to.toISOString()}|${await ledgerFingerprint(db, partner.id, root.id)}`;
  const kept = await findMonthTotals(db, partner.id, 'charges', month, fingerprint);
  if (kept !== undefined) return kept as PartnerCharges;
  const charges = await computePartnerCharges(db, partner, root.id, month, now);
  await saveMonthTotals(db, partner.id, 'charges', month, fingerprint, charges, now);
  return charges;
}

/** `partnerCharges` from the ledger itself, never from kept totals. */
export async function computePartnerCharges(
  db: Db,
  partner: PartnerRow,
  pricePartnerId: string,
  month: string,
  now: Date,
): Promise<PartnerCharges> {
  const window = planBillingMonth(month, now);
  const {
    from,
    to,
    daysInMonth: days,
    provisional,
    through,
  } = window.ok ? window.value : { from: new Date(0), to: new Date(0), daysInMonth: 1, provisional: true, through: null };
  // In batches of customers (each batch's ledger rows by index), in id order as one query would give them:
  // every statement stays short at a large SP's size (1,232,000 facts) instead of one that outlives the
  // statement timeout.
  const usage: PricedUsage[] = [];
  const peaks: Awaited<ReturnType<typeof peakHolders>> = [];
  if (to > from) {
    const ids = await listCustomerIdsOfPartner(db, partner.id);
    for (let i = 0; i < ids.length; i += CHARGES_BATCH) {
      const batch = ids.slice(i, i + CHARGES_BATCH);
      usage.push(...(await pricedUsage(db, partner.id, pricePartnerId, batch, from, to)));
      peaks.push(...(await peakHolders(db, partner.id, batch, from, to)));
    }
  }
  const peakOf = new Map(peaks.map((p) => [`${p.customer_id}\u0000${p.package}`, p.peak]));
  const seconds = new Map<string, number>();
  const amounts = new Map<string, number>();
  const perCustomer = new Map<string, number>();
  const unpriced = new Set<string>();
  let currency: string | null = null;
  // One pass groups the usage by customer (in first-seen order, as before); filtering the whole usage once per
  // customer was quadratic (50,000 customers × 250,000 rows at a large SP's size).
  const byCustomer = new Map<string, PricedUsage[]>();
  for (const u of usage) {
    seconds.set(u.package, (seconds.get(u.package) ?? 0) + u.seconds);
    const own = byCustomer.get(u.customer_id);
    if (own) own.push(u);
    else byCustomer.set(u.customer_id, [u]);
  }
  // Each customer priced as its invoice prices it (the package's rule from the price book), so the totals agree.
  for (const [customerId, own] of byCustomer) {
    const priced = priceCustomerUsage(own, new Map(own.map((u) => [u.package, peakOf.get(`${customerId}\u0000${u.package}`) ?? 0])), days);
    currency = priced.currency ?? currency;
    for (const l of priced.lines) amounts.set(l.package, (amounts.get(l.package) ?? 0) + l.amountMinor);
    for (const x of priced.unpriced) {
      unpriced.add(x.package);
      amounts.set(x.package, amounts.get(x.package) ?? 0);
    }
    perCustomer.set(
      customerId,
      priced.lines.reduce((a, l) => a + l.amountMinor, 0),
    );
  }
  const ids = [...perCustomer.keys()];
  const names = await listCustomerNames(db, ids);
  const customers = names
    .map((c) => ({ customerId: c.id, name: c.name ?? c.external_id, externalId: c.external_id, amountMinor: perCustomer.get(c.id) ?? 0 }))
    .sort((a, b) => b.amountMinor - a.amountMinor || a.name.localeCompare(b.name));
  const packages = [...seconds.keys()]
    .sort()
    .map((p) => ({ package: p, quantity: formatUnits(secondsToUnits(seconds.get(p)!)), amountMinor: amounts.get(p) ?? 0 }));
  return {
    month,
    provisional,
    through,
    currency,
    packages,
    customers: customers.slice(0, TOP_CUSTOMERS),
    customerCount: customers.length,
    totalMinor: customers.reduce((a, c) => a + c.amountMinor, 0),
    unpricedPackages: [...unpriced].sort(),
  };
}
