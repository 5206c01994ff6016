import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import {
  claimLongNonCompliantCustomer,
  claimOverdueReview,
  closeReview,
  findOpenReviewIdOfCustomer,
  insertReview,
  listOpenReviews,
  listPartnerReviews,
  lockOpenReviewOfCustomer,
  lockReview,
  type ReviewFilter,
  updateReviewContacts,
} from '../db/repositories/compliance-reviews.js';
import { findCustomerById, updateCustomer } from '../db/repositories/customers.js';
import { listPackageEvents } from '../db/repositories/package-events.js';
import { enqueueTask } from './enqueue-task.js';
import { lockLiveSubscribersOfCustomer } from '../db/repositories/subscribers.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import type { CustomerRow, Database, Db, ReviewKind, ReviewRow } from '../db/schema.js';
import {
  MAX_UNANSWERED_CONTACTS,
  NON_COMPLIANCE_WINDOW_MS,
  REVIEW_WINDOW_MS,
  SCREENING_DEPROVISIONED,
  SCREENING_REJECTED,
} from '../domain/compliance/review-rules.js';
import type { ScreeningMatch } from '../domain/compliance/screening-index.js';
import { checkGivenOrgName } from '../domain/compliance/org-name.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { moveCustomer } from './move-customer.js';
import { enqueueDeliveries } from '../db/repositories/webhooks.js';
import { removeSubscriber } from './remove-subscriber.js';
import { removeCustomerWorkspaces } from './workspaces.js';

/**
 * Opens a review: a screening hit, or (`name_missing`) an attached org held until it has a name.
 * Onboarding, address and name reviews hold the customer for 72 hours; a re-screening hit leaves it
 * running for 30 days from when it was first found non-compliant.
 */
export async function openReview(
  trx: Db,
  customer: CustomerRow,
  kind: ReviewKind,
  matches: ScreeningMatch[],
  listVersionId: number | null,
  deps: UseCaseDeps,
  /** Said on the review from the start (a `no_list` hold says why and what to do). */
  note: string | null = null,
): Promise<ReviewRow> {
  const deadline =
    kind === 'list_reload'
      ? new Date((customer.non_compliant_since ?? deps.now).getTime() + NON_COMPLIANCE_WINDOW_MS)
      : new Date(deps.now.getTime() + REVIEW_WINDOW_MS);
  const review = await insertReview(trx, {
    id: deps.uuid(),
    customer_id: customer.id,
    partner_id: customer.partner_id,
    kind,
    status: 'open',
    matches: JSON.stringify(matches),
    list_version_id: listVersionId,
    opened_at: deps.now,
    deadline_at: deadline,
    contacts: '[]',
    decided_at: null,
    decided_by: null,
    reason: note,
  });
  await appendAudit(trx, {
    at: deps.now,
    partnerId: customer.partner_id,
    actor: 'system:screening',
    action: 'compliance.review_opened',
    entityType: 'compliance_review',
    entityId: review.id,
    after: { customerId: customer.id, kind, matches, deadline: review.deadline_at.toISOString() },
  });
  await enqueueDeliveries(trx, customer.partner_id, {
    id: deps.uuid(),
    type: 'compliance.review_required',
    occurredAt: deps.now,
    data: {
      reviewId: review.id,
      customerId: customer.id,
      externalId: customer.external_id,
      kind,
      deadline: review.deadline_at.toISOString(),
      matches,
    },
  });
  return review;
}

/**
 * Stops a customer for compliance: its subscribers are removed and billing stops now, or, when it
 * was never onboarded, never started (their ledger entries are voided at their start).
 */
async function stopCustomer(
  trx: Transaction<Database>,
  customer: CustomerRow,
  errorCode: number,
  description: string,
  voidUsage: boolean,
  deps: UseCaseDeps,
): Promise<void> {
  const subs = await lockLiveSubscribersOfCustomer(trx, customer.id);
  for (const sub of subs) {
    const at = voidUsage ? ((await listPackageEvents(trx, sub.id))[0]?.effective_at ?? deps.now) : deps.now;
    await removeSubscriber(trx, sub, at, deps, 'compliance');
  }
  // Workspaces exist only in onboarded customers, so they stop now.
  await removeCustomerWorkspaces(trx, customer.id, deps.now, deps, 'compliance');
  await moveCustomer(
    trx,
    customer,
    {
      to: 'error',
      set: { errors: JSON.stringify([...customer.errors, { errorCode, description }]) },
      audit: {
        actor: 'system:screening',
        action: voidUsage ? 'compliance.onboarding_stopped' : 'compliance.deprovisioned',
        context: { subscribersRemoved: subs.length, description },
      },
    },
    deps,
  );
}

async function lockOpenReview(
  trx: Transaction<Database>,
  partnerId: string,
  id: string,
): Promise<Result<{ review: ReviewRow; customer: CustomerRow }>> {
  const review = await lockReview(trx, partnerId, id);
  if (!review) return fail(problem('review_not_found', `no compliance review ${id}`));
  if (review.status !== 'open') return fail(problem('review_closed', `the review is already ${review.status}`));
  const customer = await findCustomerById(trx, review.customer_id, { forUpdate: true });
  if (!customer) return fail(problem('customer_not_found', `customer ${review.customer_id} not found`));
  return ok({ review, customer });
}

/** The customer was held before it was ever provisioned: stopping it voids its usage from the start. */
const neverOnboarded = (r: ReviewRow) => r.kind === 'onboarding' || r.kind === 'name_missing' || r.kind === 'no_list';

/** Already stopped or going away: a deadline has nothing left to stop. */
const isStopped = (c: CustomerRow) => c.status === 'error' || c.status === 'deleting' || c.status === 'deleted';

const close = (trx: Db, id: string, status: ReviewRow['status'], by: string, reason: string | null, now: Date) =>
  closeReview(trx, id, { status, by, reason, at: now });

/** A review as the API shows it: the contract's names (camelCase, ISO times), not the row's. */
export const toReviewResponse = (r: ReviewRow) => ({
  id: r.id,
  customerId: r.customer_id,
  kind: r.kind,
  status: r.status,
  matches: r.matches,
  openedAt: r.opened_at.toISOString(),
  deadline: r.deadline_at.toISOString(),
  unansweredContacts: r.unanswered_contacts,
  contacts: r.contacts,
  decidedAt: r.decided_at?.toISOString() ?? null,
  decidedBy: r.decided_by,
  reason: r.reason,
});
export type ReviewResponse = ReturnType<typeof toReviewResponse>;

/** Clears a hit: onboarding continues, an address change settles, a re-screening hit is lifted. */
export async function approveReview(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  note: string | null,
  deps: UseCaseDeps,
): Promise<Result<ReviewResponse>> {
  return runInTransaction(db, async (trx) => {
    const locked = await lockOpenReview(trx, actor.partner.id, id);
    if (!locked.ok) return locked;
    const { review, customer } = locked.value;
    if (review.kind === 'name_missing')
      return fail(
        problem(
          'review_needs_name',
          'this customer is held because its org has no name to screen; give the name (PUT the customer with customerInfo.name) or reject the review',
        ),
      );
    if (review.kind === 'no_list')
      return fail(
        problem(
          'review_needs_list',
          'this customer is held because no screening list is loaded; load one (POST /v1/compliance/screening-list) and it is screened and released, or reject the review',
        ),
      );
    if (review.kind === 'onboarding') {
      await moveCustomer(trx, customer, { to: 'provisioning', set: { non_compliant_since: null }, audit: null }, deps);
      await enqueueTask(trx, { kind: 'customer.provision', entityId: customer.id, payload: { screeningCleared: true }, now: deps.now });
    } else if (review.kind === 'address_change') {
      await moveCustomer(trx, customer, { to: 'provisioned', set: { non_compliant_since: null }, audit: null }, deps);
    } else {
      await updateCustomer(trx, customer.id, { non_compliant_since: null, updated_at: deps.now });
    }
    const after = await close(trx, id, 'approved', actor.label, note, deps.now);
    await appendAudit(trx, {
      at: deps.now,
      partnerId: review.partner_id,
      actor: actor.label,
      action: 'compliance.approved',
      entityType: 'compliance_review',
      entityId: id,
      context: { customerId: customer.id, kind: review.kind, note },
    });
    return ok(toReviewResponse(after));
  });
}

/** Confirms a hit: nothing more is provisioned or billed for the customer. */
export async function rejectReview(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  reason: string,
  deps: UseCaseDeps,
): Promise<Result<ReviewResponse>> {
  return runInTransaction(db, async (trx) => {
    const locked = await lockOpenReview(trx, actor.partner.id, id);
    if (!locked.ok) return locked;
    const { review, customer } = locked.value;
    await stopCustomer(trx, customer, SCREENING_REJECTED, `Restricted party screening rejected: ${reason}`, neverOnboarded(review), deps);
    const after = await close(trx, id, 'rejected', actor.label, reason, deps.now);
    await appendAudit(trx, {
      at: deps.now,
      partnerId: review.partner_id,
      actor: actor.label,
      action: 'compliance.rejected',
      entityType: 'compliance_review',
      entityId: id,
      context: { customerId: customer.id, kind: review.kind, reason },
    });
    return ok(toReviewResponse(after));
  });
}

/**
 * Records an attempt to reach the partner about an unresolved hit (at onboarding, after an address
 * change or a list reload); the third unanswered one stops the customer.
 */
export async function recordContactAttempt(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
  attempt: { outcome: 'no_answer' | 'reached'; note: string | null },
  deps: UseCaseDeps,
): Promise<Result<ReviewResponse>> {
  return runInTransaction(db, async (trx) => {
    const locked = await lockOpenReview(trx, actor.partner.id, id);
    if (!locked.ok) return locked;
    const { review, customer } = locked.value;
    if (review.kind === 'name_missing')
      return fail(problem('review_needs_name', 'this customer is held for its org name, not for a hit; contact attempts belong to hits'));
    if (review.kind === 'no_list')
      return fail(
        problem('review_needs_list', 'this customer is held for want of a screening list, not for a hit; contact attempts belong to hits'),
      );
    const unanswered = review.unanswered_contacts + (attempt.outcome === 'no_answer' ? 1 : 0);
    let after = await updateReviewContacts(trx, id, unanswered, [
      ...review.contacts,
      { at: deps.now.toISOString(), outcome: attempt.outcome, note: attempt.note, by: actor.label },
    ]);
    await appendAudit(trx, {
      at: deps.now,
      partnerId: review.partner_id,
      actor: actor.label,
      action: 'compliance.contact_attempt',
      entityType: 'compliance_review',
      entityId: id,
      context: { outcome: attempt.outcome, unanswered, note: attempt.note },
    });
    if (unanswered >= MAX_UNANSWERED_CONTACTS) {
      await stopCustomer(
        trx,
        customer,
        SCREENING_DEPROVISIONED,
        `Deprovisioned: ${MAX_UNANSWERED_CONTACTS} contact attempts about a restricted party match went unanswered`,
        neverOnboarded(review),
        deps,
      );
      after = await close(trx, id, 'deprovisioned', 'system:screening', `${MAX_UNANSWERED_CONTACTS} unanswered contact attempts`, deps.now);
    }
    return ok(toReviewResponse(after));
  });
}

/**
 * An attached org held for its name gets one: the name is stored, the `name_missing` review closes,
 * and the customer goes back to provisioning, where it is screened on that name before anything is
 * provisioned. Nothing else may change in the same request (the update waits until it settles).
 */
export async function giveHeldOrgItsName(
  trx: Transaction<Database>,
  actor: Actor,
  customer: CustomerRow,
  requestedName: string,
  changesMore: boolean,
  deps: UseCaseDeps,
): Promise<Result<CustomerRow>> {
  const review = await lockOpenReviewOfCustomer(trx, customer.id);
  if (review?.kind !== 'name_missing')
    return fail(problem('customer_busy', 'the customer is pending_rpl_review; wait until it settles, then retry the update'));
  if (changesMore)
    return fail(
      problem(
        'customer_busy',
        'the customer is held until its org has a name: send customerInfo.name (with its current packages) alone, then the other changes once it settles',
      ),
    );
  const name = checkGivenOrgName(customer.name, requestedName);
  if (!name.ok) return name;
  const after = await moveCustomer(trx, customer, { to: 'provisioning', set: { name: name.value.name }, audit: null }, deps);
  await close(trx, review.id, 'approved', actor.label, 'the org name was given; screened on it', deps.now);
  await enqueueTask(trx, { kind: 'customer.provision', entityId: customer.id, now: deps.now });
  await appendAudit(trx, {
    at: deps.now,
    partnerId: customer.partner_id,
    actor: actor.label,
    action: 'compliance.name_given',
    entityType: 'compliance_review',
    entityId: review.id,
    context: { customerId: customer.id, name: name.value.name },
  });
  return ok(after);
}

/**
 * Applies every passed deadline: an onboarding, address or name review left 72 hours expires (error,
 * nothing provisioned or billed when the customer was never onboarded); a re-screening hit left 30
 * days deprovisions. Then every customer still non-compliant 30 days after it was first found so
 * (`non_compliant_since`), whatever review it has or lacks, is deprovisioned. Reviews and customers
 * are claimed with SKIP LOCKED, one transaction each, so instances running this together never double up.
 */
export async function enforceComplianceDeadlines(db: Kysely<Database>, deps: UseCaseDeps): Promise<number> {
  let done = 0;
  while (await db.transaction().execute((trx) => expireOneReview(trx, deps))) done += 1;
  const cutoff = new Date(deps.now.getTime() - NON_COMPLIANCE_WINDOW_MS);
  while (await db.transaction().execute((trx) => deprovisionOneNonCompliant(trx, cutoff, deps))) done += 1;
  return done;
}

async function expireOneReview(trx: Transaction<Database>, deps: UseCaseDeps): Promise<boolean> {
  const review = await claimOverdueReview(trx, deps.now);
  if (!review) return false;
  const customer = await findCustomerById(trx, review.customer_id, { forUpdate: true });
  if (customer && !isStopped(customer)) {
    if (review.kind === 'list_reload') {
      await stopCustomer(
        trx,
        customer,
        SCREENING_DEPROVISIONED,
        'Deprovisioned: still non-compliant 30 days after a restricted party match',
        false,
        deps,
      );
    } else {
      const description =
        review.kind === 'name_missing'
          ? 'The org had no name to screen within 72 hours; nothing was provisioned'
          : review.kind === 'no_list'
            ? 'No screening list was loaded within 72 hours to screen the customer against; nothing was provisioned'
            : 'Restricted party review not decided within 72 hours';
      await stopCustomer(trx, customer, SCREENING_REJECTED, description, neverOnboarded(review), deps);
    }
  }
  await close(trx, review.id, review.kind === 'list_reload' ? 'deprovisioned' : 'expired', 'system:deadline', 'deadline passed', deps.now);
  await appendAudit(trx, {
    at: deps.now,
    partnerId: review.partner_id,
    actor: 'system:deadline',
    action: review.kind === 'list_reload' ? 'compliance.deadline_deprovisioned' : 'compliance.review_expired',
    entityType: 'compliance_review',
    entityId: review.id,
    context: { customerId: review.customer_id, deadline: review.deadline_at.toISOString() },
  });
  return true;
}

/** One customer non-compliant since before the cutoff and not yet stopped: deprovisioned, its open review closed. */
async function deprovisionOneNonCompliant(trx: Transaction<Database>, cutoff: Date, deps: UseCaseDeps): Promise<boolean> {
  const customer = await claimLongNonCompliantCustomer(trx, cutoff);
  if (!customer) return false;
  const review = await lockOpenReviewOfCustomer(trx, customer.id);
  await stopCustomer(
    trx,
    customer,
    SCREENING_DEPROVISIONED,
    'Deprovisioned: still non-compliant 30 days after a restricted party match',
    review ? neverOnboarded(review) : false,
    deps,
  );
  if (review) await close(trx, review.id, 'deprovisioned', 'system:deadline', 'non-compliant for 30 days', deps.now);
  await appendAudit(trx, {
    at: deps.now,
    partnerId: customer.partner_id,
    actor: 'system:deadline',
    action: 'compliance.deadline_deprovisioned',
    entityType: 'customer',
    entityId: customer.id,
    context: { nonCompliantSince: customer.non_compliant_since?.toISOString() ?? null, reviewId: review?.id ?? null },
  });
  return true;
}

/** An open review as chat lists it: its customer's names, its kind, its deadline and what the list matched. */
export interface QueuedReview {
  id: string;
  customerId: string;
  kind: ReviewKind;
  deadlineAt: Date;
  matches: ReviewRow['matches'];
  name: string | null;
  externalId: string;
}

/** The partner's open reviews with their customer's name, soonest deadline first. */
export const listReviewQueue = async (db: Db, partner: { id: string }, limit: number): Promise<QueuedReview[]> =>
  (await listOpenReviews(db, partner.id, limit)).map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    kind: r.kind,
    deadlineAt: r.deadline_at,
    matches: r.matches,
    name: r.name,
    externalId: r.external_id,
  }));

/** The id of the customer's open review, if it has one. */
export const findOpenReviewOfCustomer = (db: Db, customerId: string): Promise<string | undefined> =>
  findOpenReviewIdOfCustomer(db, customerId);

/** One page of the partner's reviews, filtered, nearest deadline first (the API's list). */
export const listReviews = async (db: Db, partner: { id: string }, filter: ReviewFilter): Promise<ReviewResponse[]> =>
  (await listPartnerReviews(db, partner.id, filter)).map(toReviewResponse);
