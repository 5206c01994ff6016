import { addDays, isCivilDate, startOfDay, toCivilDate } from './calendar.js';
import { toLedgerInstant } from './ledger.js';
import { daysInMonth } from './money.js';
import { fail, ok, problem, type Problem, type Result } from './problems.js';

/*
 * When usage becomes billable, and which part of a month has happened. Pure: the instants come in.
 */

export interface BillingOpens {
  /** The instant the customer became provisioned (its effectiveAt without a compliance hold); null: never yet. */
  billingFrom: Date | null;
  /** The customer's deferred billingStartDate (a UTC day), if any. */
  billingStartDate: string | null;
  /** The customer's sub-partner's billing start date (a UTC day), if the customer belongs to a sub-partner. */
  partnerBillingStartDate: string | null;
}

/**
 * The first billable instant of a customer's usage: the latest of the instant it was provisioned, its
 * billingStartDate and its sub-partner's billing start date. Null: nothing is billable (it was never
 * provisioned: still provisioning, held in review, rejected or expired).
 */
export function billingOpensAt(c: BillingOpens): Date | null {
  if (c.billingFrom === null) return null;
  const days = [c.billingStartDate, c.partnerBillingStartDate].filter((d): d is string => d !== null).map((d) => startOfDay(d).getTime());
  return new Date(Math.max(c.billingFrom.getTime(), ...days));
}

/**
 * effectiveAt may not precede what it changes: a new subscriber its customer's creation, an update or
 * removal the subscriber's creation (its first ledger fact). Instants compare in whole seconds, as the
 * ledger stores them.
 */
export function checkNotBeforeCreation(
  effectiveAt: Date,
  createdAt: Date,
  subject: 'customer' | 'subscriber',
  field = 'effectiveAt',
): Problem[] {
  const earliest = toLedgerInstant(createdAt);
  if (toLedgerInstant(effectiveAt).getTime() >= earliest.getTime()) return [];
  return [
    problem(
      'effective_at_before_creation',
      `${toLedgerInstant(effectiveAt).toISOString()} is before the ${subject} was created; the earliest instant allowed is ${earliest.toISOString()}`,
      field,
    ),
  ];
}

export interface BillingMonth {
  month: string;
  /** Start of the month's first day. */
  from: Date;
  /** Exclusive end of what is counted: the month's end, or the start of today for the current month. */
  to: Date;
  daysInMonth: number;
  /** True for the current month: an invoice to date, which will still change. */
  provisional: boolean;
  /** The last day counted ('YYYY-MM-DD'); null when no day of the month has ended yet (the 1st). */
  through: string | null;
}

/**
 * The part of a month (`YYYY-MM`) that has happened, in whole UTC days: an ended month whole, the
 * current month up to the start of today (provisional), a future month refused.
 */
export function planBillingMonth(month: string, now: Date, field = 'month'): Result<BillingMonth> {
  const first = `${month}-01`;
  if (!/^\d{4}-\d{2}$/.test(month) || !isCivilDate(first))
    return fail(problem('invalid_request', `"${month}" is not a YYYY-MM month`, field));
  const today = toCivilDate(now);
  const thisMonth = today.slice(0, 7);
  if (month > thisMonth)
    return fail(
      problem(
        'invalid_request',
        `${month} has not started; invoices cover ended months, or the current month (${thisMonth}) to date`,
        field,
      ),
    );
  const from = startOfDay(first);
  const days = daysInMonth(month);
  if (month < thisMonth) {
    const last = addDays(first, days - 1);
    return ok({ month, from, to: startOfDay(addDays(last, 1)), daysInMonth: days, provisional: false, through: last });
  }
  const to = startOfDay(today);
  return ok({ month, from, to, daysInMonth: days, provisional: true, through: to > from ? addDays(today, -1) : null });
}

/**
 * A sub-partner's billing start date (guide L55115): set when it is set up (by default that day),
 * changeable by its parent until the date arrives, never to a day already past.
 */
export function checkSubPartnerBillingStart(
  requested: string,
  today: string,
  current: string | null = null,
  field = 'billingStartDate',
): Result<string> {
  if (!isCivilDate(requested))
    return fail(problem('invalid_billing_start_date', `billing start date "${requested}" is not a YYYY-MM-DD date`, field));
  if (current !== null && current <= today && requested !== current)
    return fail(
      problem(
        'billing_already_started',
        `billing for this sub-partner started on ${current}; its billing start date can no longer change`,
        field,
      ),
    );
  if (requested < today && requested !== current)
    return fail(
      problem('invalid_billing_start_date', `billing start date ${requested} is in the past; give today (${today}) or a later day`, field),
    );
  return ok(requested);
}
