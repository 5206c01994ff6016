import { addDays, daysBetween, isCivilDate } from './calendar.js';
import { fail, ok, problem, type Problem, type Result } from './problems.js';

export const CUSTOMER_STATUSES = [
  'provisioning',
  'pending_rpl_review',
  'provisioned',
  'provisioned_with_errors',
  'error',
  'updating',
  'deleting',
  'deleted',
] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/**
 * `pending_user_migration` (upstream mode): Webex found a free Webex user with the email, who must consent to the move.
 * `updating` / `deleting` (upstream mode): a package change or removal sent to Webex, until Webex confirms it.
 */
export const SUBSCRIBER_STATUSES = [
  'provisioning',
  'pending_user_migration',
  'provisioned',
  'updating',
  'deleting',
  'error',
  'deleted',
] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

export const isCustomerStatus = (s: string): s is CustomerStatus => (CUSTOMER_STATUSES as readonly string[]).includes(s);
export const isSubscriberStatus = (s: string): s is SubscriberStatus => (SUBSCRIBER_STATUSES as readonly string[]).includes(s);

const CUSTOMER_TRANSITIONS: Readonly<Record<CustomerStatus, readonly CustomerStatus[]>> = {
  provisioning: ['pending_rpl_review', 'provisioned', 'provisioned_with_errors', 'error', 'deleting'],
  pending_rpl_review: ['provisioning', 'provisioned', 'error', 'deleting'],
  provisioned: ['updating', 'deleting', 'pending_rpl_review', 'error'],
  provisioned_with_errors: ['updating', 'deleting', 'pending_rpl_review', 'error'],
  updating: ['provisioned', 'provisioned_with_errors', 'error', 'pending_rpl_review', 'deleting'],
  // A retried task (#25) takes an errored customer back to what the task was doing.
  error: ['deleting', 'provisioning', 'updating'],
  // A removal Webex refused, or whose task stopped, shows error until retried.
  deleting: ['deleted', 'error'],
  deleted: [],
};

const SUBSCRIBER_TRANSITIONS: Readonly<Record<SubscriberStatus, readonly SubscriberStatus[]>> = {
  provisioning: ['provisioned', 'pending_user_migration', 'error', 'deleting', 'deleted'],
  pending_user_migration: ['provisioned', 'updating', 'deleting', 'error', 'deleted'],
  provisioned: ['updating', 'deleting', 'deleted', 'error'],
  updating: ['provisioned', 'pending_user_migration', 'deleting', 'error', 'deleted'],
  deleting: ['deleted', 'error'],
  // A retried task (#25) takes an errored subscriber back to what the task was doing.
  error: ['deleted', 'provisioning', 'updating', 'deleting'],
  deleted: [],
};

export const canCustomerMove = (from: CustomerStatus, to: CustomerStatus): boolean => CUSTOMER_TRANSITIONS[from].includes(to);
export const canSubscriberMove = (from: SubscriberStatus, to: SubscriberStatus): boolean => SUBSCRIBER_TRANSITIONS[from].includes(to);

/**
 * A drift repair (the SP resolves a difference between the desk and Webex) is outside the ordinary
 * lifecycle: Webex's word, or a re-provisioning of what Webex lost, may move a live record to any
 * live status. Nothing comes back from `deleted`, and a repair never deletes outright (it deletes
 * through `deleting`, like any removal).
 */
export const canRepairMove = <S extends string>(from: S, to: S): boolean => from !== 'deleted' && to !== 'deleted';

/** A customer under compliance review, failed, or going away takes no new subscribers. */
export function checkAcceptsSubscribers(status: CustomerStatus, customerLabel: string): Problem[] {
  if (status === 'pending_rpl_review' || status === 'error' || status === 'deleting' || status === 'deleted') {
    return [problem('customer_not_accepting', `customer ${customerLabel} is ${status} and accepts no new subscribers`, 'customerId')];
  }
  return [];
}

/** Updates and deletes wait for the running operation to settle, so two never interleave. */
export function checkCustomerSettled(status: CustomerStatus, action: 'update' | 'delete'): Problem[] {
  if (status === 'deleting' || status === 'deleted') return [problem('customer_not_found', 'customer not found')];
  if (action === 'update' && (status === 'provisioning' || status === 'updating' || status === 'pending_rpl_review')) {
    return [problem('customer_busy', `the customer is ${status}; wait until it settles, then retry the update`)];
  }
  if (action === 'update' && status === 'error') {
    return [problem('customer_busy', 'the customer is in error; delete it and provision it again')];
  }
  return [];
}

/**
 * The first subscriber ever accepted for a customer the desk created becomes its full admin; not in an
 * attached existing org. Counted over every subscriber the customer ever had (removed ones too), so
 * the admin role never passes to the next subscriber when the first is removed.
 */
export const shouldBecomeAdmin = (attachedOrg: boolean, subscribersEver: number): boolean => !attachedOrg && subscribersEver === 0;

export const MAX_BILLING_DEFERRAL_DAYS = 90;

export interface BillingStartContext {
  requested: string | null;
  delayedBillingEnabled: boolean;
  /** The customer's creation day (today for a new customer). */
  createdOn: string;
  today: string;
  /** The customer's current billingStartDate, for updates. */
  current?: string | null;
  /** True once any package has been held (billing runs unless a future billingStartDate defers it). */
  hasUsage?: boolean;
}

/** billingStartDate: partner setting on, at most 90 days after creation, changeable only before billing starts. */
export function checkBillingStartDate(ctx: BillingStartContext, field = 'billingStartDate'): Result<string | null> {
  if (ctx.requested === null) return ok(ctx.current ?? null);
  if (!ctx.delayedBillingEnabled) {
    return fail(
      problem(
        'delayed_billing_disabled',
        'billingStartDate needs the partner setting enable_wholesale_delayed_billing; ask an admin to turn it on',
        field,
      ),
    );
  }
  if (!isCivilDate(ctx.requested))
    return fail(problem('invalid_billing_start_date', `billingStartDate "${ctx.requested}" is not a YYYY-MM-DD date`, field));
  const problems: Problem[] = [];
  const started = ctx.current ? ctx.current <= ctx.today : Boolean(ctx.hasUsage);
  if (ctx.current !== undefined && started && ctx.requested !== ctx.current) {
    problems.push(
      problem(
        'billing_already_started',
        `billing for this customer already started${ctx.current ? ` on ${ctx.current}` : ''}; billingStartDate can no longer change`,
        field,
      ),
    );
  }
  if (ctx.requested < ctx.createdOn) {
    problems.push(
      problem(
        'invalid_billing_start_date',
        `billingStartDate ${ctx.requested} is before the customer was created (${ctx.createdOn})`,
        field,
      ),
    );
  }
  if (daysBetween(ctx.createdOn, ctx.requested) > MAX_BILLING_DEFERRAL_DAYS) {
    problems.push(
      problem(
        'invalid_billing_start_date',
        `billingStartDate may be at most ${MAX_BILLING_DEFERRAL_DAYS} days after creation (latest ${addDays(ctx.createdOn, MAX_BILLING_DEFERRAL_DAYS)})`,
        field,
      ),
    );
  }
  return problems.length ? fail(...problems) : ok(ctx.requested);
}

/** How far back a change may be dated unless BACKDATE_MAX_DAYS says otherwise (issue #26: closed periods). */
export const DEFAULT_BACKDATE_MAX_DAYS = 62;

/**
 * effectiveAt: when a change takes effect in the ledger; not in the future, at most `maxDays` back
 * (BACKDATE_MAX_DAYS). A change dated into a month already invoiced is billed as an adjustment on the next invoice.
 */
export function resolveEffectiveAt(
  requested: string | undefined,
  now: Date,
  field = 'effectiveAt',
  maxDays: number = DEFAULT_BACKDATE_MAX_DAYS,
): Result<Date> {
  if (requested === undefined || requested === '') return ok(now);
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(requested)
    ? new Date(requested)
    : new Date(Number.NaN);
  if (Number.isNaN(instant.getTime())) {
    return fail(
      problem(
        'invalid_effective_at',
        `effectiveAt "${requested}" is not an ISO 8601 instant with a zone, such as 2026-03-01T00:00:00Z`,
        field,
      ),
    );
  }
  if (instant.getTime() > now.getTime())
    return fail(
      problem('invalid_effective_at', `effectiveAt ${instant.toISOString()} is in the future; orders take effect now or earlier`, field),
    );
  const oldest = new Date(now.getTime() - maxDays * 86_400_000);
  if (instant < oldest)
    return fail(
      problem(
        'backdate_too_far',
        `effectiveAt ${instant.toISOString()} is more than ${maxDays} days back; the earliest allowed is ${oldest.toISOString()} (the SP's limit, BACKDATE_MAX_DAYS)`,
        field,
      ),
    );
  return ok(instant);
}

/**
 * Upstream mode: Webex Wholesale bills a change from when it receives it, whatever effectiveAt says. A
 * change dated more than a minute back is then counted differently by the desk and by Webex; the note
 * says so (in ASCII: it travels in an HTTP header).
 */
export function upstreamBackdateNote(requested: string | undefined, now: Date): string | null {
  if (requested === undefined || requested === '') return null;
  const at = Date.parse(requested);
  if (Number.isNaN(at) || now.getTime() - at <= 60_000) return null;
  return `effectiveAt ${new Date(at).toISOString()} is in the past: the desk's ledger and invoices count the change from then, but Webex Wholesale bills it from when it received it (${now.toISOString()}); the difference will show when this period is reconciled against Webex's billing report`;
}
