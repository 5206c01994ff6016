import { findCompletedReport } from '../db/repositories/billing-reports.js';
import { listOpenReviews } from '../db/repositories/compliance-reviews.js';
import {
  countUnscreenedCustomers,
  listCustomersCreatedBetween,
  listCustomersDeletedBetween,
  listFailedCustomers,
} from '../db/repositories/customers.js';
import { screeningAvailability } from './screening-list.js';
import { countDeadDeliveriesSince } from '../db/repositories/delivery-stats.js';
import { countRemovalsBetween } from '../db/repositories/package-events.js';
import { countSubscribersCreatedBetween, countSubscribersInError } from '../db/repositories/subscribers.js';
import { dailySecondsByPackage } from '../db/repositories/usage-intervals.js';
import type { Db } from '../db/schema.js';
import { addDays, startOfDay, toCivilDate } from '../domain/calendar.js';
import type { ReviewKind } from '../domain/compliance/review-rules.js';
import type { CustomerStatus } from '../domain/lifecycle.js';
import { daysInMonth } from '../domain/money.js';
import type { UseCaseDeps } from './actor.js';
import { createReport, generateReport } from './billing-reports.js';
import { partnerCharges, type PartnerCharges } from './partner-charges.js';
import { describeMonthDifferences } from './reconciliations.js';
import { reportCsvText } from './report-csv.js';
import type { Store } from './store.js';
import { describeDrift } from './upstream-drift.js';
import { countStoppedTasksOf } from '../db/repositories/tasks.js';
import { parseJsonColumn } from '../db/lease-queue.js';
import type { ActingPartner } from './partner-views.js';

/** The daily digest's chart covers the digest's day and the days before it. */
export const DIGEST_CHART_DAYS = 30;
const DEAD_DELIVERY_WINDOW_MS = 7 * 86_400_000;

export interface NamedCustomer {
  name: string | null;
  externalId: string;
}

export interface DailyDigestData {
  partnerName: string;
  /** The UTC billing day the digest is about. */
  day: string;
  /** The chart's days, oldest first, ending with `day`. */
  chartDays: string[];
  /** Held seconds per day and package over the chart's days (days without usage are absent). */
  usage: { day: string; package: string; seconds: number }[];
  newCustomers: NamedCustomer[];
  removedCustomers: NamedCustomer[];
  newSubscribers: number;
  removedSubscribers: number;
  /** Open compliance reviews, soonest deadline first. */
  openReviews: (NamedCustomer & { kind: ReviewKind; deadlineAt: Date })[];
  /** Customers whose provisioning failed, latest first. */
  failedCustomers: (NamedCustomer & { status: CustomerStatus; reason?: string | undefined })[];
  failedSubscribers: number;
  /** Upstream work waiting for a person (#25): held because Webex refused the token, or failed after its attempts. */
  stoppedTasks?: { parked: number; failed: number };
  /** Outbound webhook deliveries dead-lettered in the 7 days up to the end of `day`. */
  deadDeliveries: number;
  /** Restricted-party screening: whether a list is loaded, and the customers provisioned without one. */
  screening: { list: 'none' | 'indexing' | 'ready'; unscreenedCustomers: number };
  /** Open differences with Webex Wholesale found by `sync`, by kind (upstream mode; none standalone). */
  drift?: { open: number; byKind: Record<string, number>; lastSyncAt: Date | null };
}

const named = (c: { name: string | null; external_id: string }): NamedCustomer => ({ name: c.name, externalId: c.external_id });
/** The first of a record's errors, as the digest names the cause. */
const firstError = (errors: unknown): string | undefined => parseJsonColumn<{ description?: string }[] | null>(errors)?.[0]?.description;

/**
 * What the daily digest for one UTC billing day reports: active licences per package over the chart's
 * days, customers and subscribers added and removed that day, the compliance queue and what failed.
 * Only an ended day is reported: east of UTC a local morning falls before the UTC day has ended, so
 * the day asked for is held to the last UTC day that has (never the hours still to come).
 */
export async function loadDailyDigest(db: Db, partner: ActingPartner, asked: string, now: Date): Promise<DailyDigestData> {
  const lastEnded = addDays(toCivilDate(now), -1);
  const day = asked > lastEnded ? lastEnded : asked;
  const from = startOfDay(day);
  const to = startOfDay(addDays(day, 1));
  const firstChartDay = addDays(day, -(DIGEST_CHART_DAYS - 1));
  const usage = await dailySecondsByPackage(db, partner.id, firstChartDay, addDays(day, 1));
  const newCustomers = await listCustomersCreatedBetween(db, partner.id, from, to);
  const removedCustomers = await listCustomersDeletedBetween(db, partner.id, from, to);
  const newSubscribers = await countSubscribersCreatedBetween(db, partner.id, from, to);
  const removedSubscribers = await countRemovalsBetween(db, partner.id, from, to);
  const reviews = await listOpenReviews(db, partner.id);
  const failedCustomers = await listFailedCustomers(db, partner.id);
  const failedSubscribers = await countSubscribersInError(db, partner.id);
  const deadDeliveries = await countDeadDeliveriesSince(db, partner.id, new Date(to.getTime() - DEAD_DELIVERY_WINDOW_MS));
  return {
    partnerName: partner.name,
    day,
    chartDays: Array.from({ length: DIGEST_CHART_DAYS }, (_, i) => addDays(firstChartDay, i)),
    usage,
    newCustomers: newCustomers.map(named),
    removedCustomers: removedCustomers.map(named),
    newSubscribers,
    removedSubscribers,
    openReviews: reviews.map((r) => ({ ...named(r), kind: r.kind, deadlineAt: new Date(r.deadline_at) })),
    failedCustomers: failedCustomers.map((c) => ({ ...named(c), status: c.status, reason: firstError(c.errors) })),
    failedSubscribers,
    stoppedTasks: await countStoppedTasksOf(db, { partnerId: partner.id, isRoot: partner.parentId === null }),
    deadDeliveries,
    screening: { list: (await screeningAvailability(db)).state, unscreenedCustomers: await countUnscreenedCustomers(db, partner.id) },
    drift: await describeDrift(db, partner.id),
  };
}

export interface MonthlyDigestData {
  partnerName: string;
  month: string;
  charges: PartnerCharges;
  /** The month's CUSTOMER billing report, or null when it could not be generated. */
  report: { first: string; last: string; csv: string } | null;
  /** One line per package Cisco's report differs on, from the month's latest reconciliation; null when not reconciled. */
  reconciliation: string[] | null;
}

/**
 * What the monthly digest for a finished month reports: the SP's charges from the price book and the
 * CUSTOMER billing report of the month, created (and generated at once) unless it already exists.
 */
export async function prepareMonthlyDigest(
  db: Store,
  partner: ActingPartner,
  month: string,
  deps: UseCaseDeps,
): Promise<MonthlyDigestData> {
  const charges = await partnerCharges(db, partner, month, deps.now);
  const first = `${month}-01`;
  const last = addDays(first, daysInMonth(month) - 1);
  const created = await createReport(
    db,
    { partner, label: 'system:digest' },
    { billingStartDate: first, billingEndDate: last, type: 'CUSTOMER' },
    deps,
  );
  let report = created.ok ? created.value.report : undefined;
  if (!created.ok && created.problems.some((p) => p.code === 'report_exists')) {
    report = await findCompletedReport(db, { partner_id: partner.id, type: 'CUSTOMER', billing_start_date: first, billing_end_date: last });
  }
  if (report && report.status === 'IN_PROGRESS') report = await generateReport(db, report.id, deps);
  const csv = report?.status === 'COMPLETED' ? await reportCsvText(db, report) : null;
  const reconciliation = await describeMonthDifferences(db, partner.id, first, last);
  return { partnerName: partner.name, month, charges, report: csv === null ? null : { first, last, csv }, reconciliation };
}
