import { listOpenReviews } from '../db/repositories/compliance-reviews.js';
import { countCustomersByStatus, countUnscreenedCustomers, listRecentCustomers } from '../db/repositories/customers.js';
import { describeScreening, type ScreeningState } from './screening-list.js';
import type { Db } from '../db/schema.js';
import { daysCountedThrough, packageName, packageUsageFigures } from '../domain/dashboard-figures.js';
import { UNITS_PER_DAY } from '../domain/proration.js';
import { type PartnerCharges, shownPartnerCharges } from './partner-charges.js';
import type { ActingPartner } from './partner-views.js';

export interface Dashboard {
  customersByStatus: Record<string, number>;
  recentCustomers: { id: string; name: string; externalId: string; status: string; createdAt: string }[];
  reviewQueue: { customerId: string; name: string; kind: string; deadlineAt: string; overdue: boolean; topMatch: string | null }[];
  screening: ScreeningState & { unscreenedCustomers: number };
  billingThisMonth: PartnerCharges & {
    /** The last day the figures count; null when none is counted or none are kept yet. */
    asOf: string | null;
    /**
     * True while the figures are the last kept ones (through `asOf`) and the month-charges job brings them
     * current in the background; with `asOf` null and no figures, the month is being computed for the first time.
     */
    refreshing: boolean;
    /** Each package as people read it: its name, licence-days to one decimal, the average held per counted day. */
    packageSummaries: { package: string; name: string; licenceDays: number; averageLicences: number | null; amountMinor: number }[];
  };
}

/** Partners of at most this many customers have a missing or out-of-date month computed in the request (milliseconds). */
export const DASHBOARD_INLINE_CUSTOMERS = 1_000;

/**
 * The console's overview: customers by status, the review queue, and this month's charges so far. The
 * charges never wait for the whole-month pass at a large partner: out of date (a new UTC day, a changed
 * price book), they are the last kept ones marked `refreshing` while the month-charges job computes them.
 */
export async function loadDashboard(
  db: Db,
  partner: ActingPartner,
  now: Date,
  opts: { screeningRequired: boolean; inlineCustomers?: number },
): Promise<Dashboard> {
  const month = now.toISOString().slice(0, 7);
  // Independent reads, issued together: on PostgreSQL's pool they run side by side (PGlite runs them in turn).
  const [customersByStatus, recent, reviews, shown, screeningState, unscreenedCustomers] = await Promise.all([
    countCustomersByStatus(db, partner.id),
    listRecentCustomers(db, partner.id, 20),
    listOpenReviews(db, partner.id, 50),
    shownPartnerCharges(db, partner, month, now, { inlineCustomers: opts.inlineCustomers ?? DASHBOARD_INLINE_CUSTOMERS }),
    describeScreening(db, opts.screeningRequired),
    countUnscreenedCustomers(db, partner.id),
  ]);
  const charges = shown.charges ?? noChargesYet(month);
  const screening = { ...screeningState, unscreenedCustomers };
  const unscreenedNote =
    screening.unscreenedCustomers > 0
      ? `${screening.unscreenedCustomers} customer(s) provisioned without screening; they are screened when a list is loaded`
      : null;
  return {
    customersByStatus,
    recentCustomers: recent.map((c) => ({
      id: c.id,
      name: c.name ?? c.external_id,
      externalId: c.external_id,
      status: c.status,
      createdAt: new Date(c.created_at).toISOString(),
    })),
    reviewQueue: reviews.map((r) => ({
      customerId: r.customer_id,
      name: r.name ?? r.external_id,
      kind: r.kind,
      deadlineAt: new Date(r.deadline_at).toISOString(),
      overdue: new Date(r.deadline_at).getTime() < now.getTime(),
      topMatch: r.matches[0]?.matchedName ?? null,
    })),
    screening: { ...screening, warning: [screening.warning, unscreenedNote].filter(Boolean).join('; ') || null },
    billingThisMonth: {
      ...charges,
      asOf: shown.asOf,
      refreshing: shown.refreshing,
      packageSummaries: charges.packages.map((p) => ({
        package: p.package,
        name: packageName(p.package),
        // `quantity` is exact to 1/10,000 day, so this is the integer count of units it was made from.
        ...packageUsageFigures(Math.round(Number(p.quantity) * UNITS_PER_DAY), daysCountedThrough(charges.through)),
        amountMinor: p.amountMinor,
      })),
    },
  };
}

/** The month before its first computation: nothing to show yet. */
const noChargesYet = (month: string): PartnerCharges => ({
  month,
  provisional: true,
  through: null,
  currency: null,
  packages: [],
  customers: [],
  customerCount: 0,
  totalMinor: 0,
  unpricedPackages: [],
});
