import type { Transaction } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findCustomerById, updateCustomer } from '../db/repositories/customers.js';
import { appendPackageEvent, listPackageEvents } from '../db/repositories/package-events.js';
import { findSubscriberById, lockLiveSubscribersOfCustomer } from '../db/repositories/subscribers.js';
import type { CustomerRow, Database } from '../db/schema.js';
import type { TaskPayload } from '../contracts/task-payloads.js';
import { toWebexId } from '../domain/webex-ids.js';
import type { UseCaseDeps } from './actor.js';
import { applySubscriberChange } from './update-subscriber.js';
import { removeSubscriber } from './remove-subscriber.js';
import { startAddOnStreams } from './create-subscriber.js';
import type { SubscriberStatus } from '../domain/lifecycle.js';
import { removeCustomerWorkspaces } from './workspaces.js';
import { moveCustomer } from './move-customer.js';
import { moveSubscriber } from './move-subscriber.js';
import { findOpenReviewOfCustomer, openReview } from './compliance-reviews.js';
import { screenCustomer } from './screening-list.js';

/** `done`: finished; `wait`: not yet possible (e.g. the customer is still provisioning), try again later. */
export type TaskOutcome = 'done' | 'wait';

export type ProvisioningDeps = UseCaseDeps & {
  screeningThreshold: number;
  /** False: without a loaded list, customers are provisioned unscreened (with a warning) rather than held. Default true. */
  screeningRequired?: boolean | undefined;
};

const ACTIVE = ['provisioned', 'provisioned_with_errors', 'updating'];

/*
 * Each task carries one accepted request to its end state. It runs in the transaction that records its
 * outcome, with the entity locked, and checks the current state first, so a task re-run after a crash
 * changes nothing twice. This is where the upstream Webex call will sit; standalone, the engine
 * completes the work itself.
 */

/** Provisions an accepted customer, after screening it (unless a review already cleared it). */
export async function provisionCustomer(
  trx: Transaction<Database>,
  entityId: string,
  payload: TaskPayload<'customer.provision'>,
  deps: ProvisioningDeps,
): Promise<TaskOutcome> {
  const c = await findCustomerById(trx, entityId, { forUpdate: true });
  if (!c || c.status !== 'provisioning') return 'done';
  // Restricted-party screening before anything is provisioned (skipped once a review cleared it).
  if (!payload.screeningCleared && (await screenOrHold(trx, c, 'onboarding', deps))) return 'done';
  await moveCustomer(
    trx,
    c,
    {
      to: 'provisioned',
      set: { org_id: c.org_id ?? toWebexId('ORGANIZATION', deps.uuid()), billing_from: billingFromOnProvisioning(c, payload, deps.now) },
      audit: { actor: 'system:worker', action: 'customer.provisioned', after: (row) => ({ status: row.status, orgId: row.org_id }) },
    },
    deps,
  );
  return 'done';
}

/**
 * Billing starts when the customer is provisioned: after a compliance hold, at approval; without
 * one, at its effectiveAt (its creation), so back-dated orders bill from the date they name.
 */
const billingFromOnProvisioning = (c: CustomerRow, payload: TaskPayload<'customer.provision'>, now: Date): Date =>
  c.billing_from ?? (payload.screeningCleared ? now : payload.releasedAt ? new Date(payload.releasedAt) : c.created_at);

/** Completes an accepted update, screening the customer again when its address changed or its name was given. */
export async function finishCustomerUpdate(
  trx: Transaction<Database>,
  entityId: string,
  payload: TaskPayload<'customer.update'>,
  deps: ProvisioningDeps,
): Promise<TaskOutcome> {
  const c = await findCustomerById(trx, entityId, { forUpdate: true });
  if (!c || c.status !== 'updating') return 'done';
  const rescreen = payload.addressChanged || payload.nameGiven;
  if (rescreen && (await screenOrHold(trx, c, 'address_change', deps))) return 'done';
  await moveCustomer(
    trx,
    c,
    { to: 'provisioned', audit: { actor: 'system:worker', action: 'customer.updated', after: { status: 'provisioned' } } },
    deps,
  );
  return 'done';
}

/** Removes a deleting customer's subscribers and workspaces (billing stops at effectiveAt), then the customer. */
export async function finishCustomerDelete(
  trx: Transaction<Database>,
  entityId: string,
  payload: TaskPayload<'customer.delete'>,
  deps: ProvisioningDeps,
): Promise<TaskOutcome> {
  const c = await findCustomerById(trx, entityId, { forUpdate: true });
  if (!c || c.status !== 'deleting') return 'done';
  const effectiveAt = payload.effectiveAt ? new Date(payload.effectiveAt) : deps.now;
  const subs = await lockLiveSubscribersOfCustomer(trx, c.id);
  for (const sub of subs) await removeSubscriber(trx, sub, effectiveAt, deps, 'customer.delete');
  await removeCustomerWorkspaces(trx, c.id, effectiveAt, deps, 'customer.delete');
  await moveCustomer(
    trx,
    c,
    {
      to: 'deleted',
      audit: {
        actor: 'system:worker',
        action: 'customer.deleted',
        context: { subscribersRemoved: subs.length, effectiveAt: effectiveAt.toISOString() },
      },
    },
    deps,
  );
  return 'done';
}

/** Provisions a subscriber once its customer is; fails it (unbilled) when the customer failed or went away. */
export async function provisionSubscriber(
  trx: Transaction<Database>,
  entityId: string,
  _payload: TaskPayload<'subscriber.provision'>,
  deps: ProvisioningDeps,
): Promise<TaskOutcome> {
  const s = await findSubscriberById(trx, entityId, { forUpdate: true });
  if (!s || s.status !== 'provisioning') return 'done';
  const c = await findCustomerById(trx, s.customer_id);
  if (c && ACTIVE.includes(c.status)) {
    const done = await moveSubscriber(
      trx,
      s,
      { to: 'provisioned', set: { person_id: s.person_id ?? toWebexId('PEOPLE', deps.uuid()) }, audit: null },
      deps,
    );
    // Accepted in upstream mode (add-ons wait for a confirmation) but completed here: they start now.
    await startAddOnStreams(trx, done, deps.now, deps, 'subscriber.create');
    await appendAudit(trx, {
      at: deps.now,
      partnerId: s.partner_id,
      actor: 'system:worker',
      action: 'subscriber.provisioned',
      entityType: 'subscriber',
      entityId: s.id,
    });
    return 'done';
  }
  if (c && (c.status === 'provisioning' || c.status === 'pending_rpl_review')) return 'wait';
  // The customer failed or went away before the subscriber could be provisioned: nothing is billed.
  const events = await listPackageEvents(trx, s.id);
  const firstAssigned = events[0]?.effective_at ?? deps.now;
  await appendPackageEvent(trx, {
    subscriberId: s.id,
    customerId: s.customer_id,
    partnerId: s.partner_id,
    package: null,
    effectiveAt: firstAssigned,
    recordedAt: deps.now,
    cause: 'subscriber.provision_failed',
  });
  const description = `The customer is ${c?.status ?? 'gone'}; the subscriber was not provisioned.`;
  await moveSubscriber(
    trx,
    s,
    {
      to: 'error',
      set: { errors: JSON.stringify([{ errorCode: 1702, description }]) },
      audit: { actor: 'system:worker', action: 'subscriber.provision_failed', context: { description } },
    },
    deps,
  );
  return 'done';
}

/**
 * Screens the customer (audited either way); on a hit holds it in pending_rpl_review with an open
 * review, marks it non-compliant (the 30-day clock) and answers true. A new customer without a name
 * (an attached org) is held the same way in a `name_missing` review until its name is given; an
 * update of one is completed unscreened (audited), as re-screening does. A customer that already has
 * an open review stays under that review and its clock: the update completes.
 *
 * Screening fails closed: with no list loaded (or the active one still being indexed) a new customer
 * is held in a `no_list` review that says so, released when a list is loaded. Only when the SP set
 * SCREENING_REQUIRED=false (and there is no list at all) does it go through, marked unscreened
 * (`unscreened_since`, shown as a warning) until a list load screens it. An update that cannot be
 * screened completes, marked the same way.
 */
export async function screenOrHold(
  trx: Transaction<Database>,
  c: CustomerRow,
  kind: 'onboarding' | 'address_change',
  deps: ProvisioningDeps,
): Promise<boolean> {
  const screening = await screenCustomer(trx, c, deps.screeningThreshold);
  const action = screening.unavailable
    ? 'screening.unavailable'
    : screening.nameMissing
      ? 'screening.name_missing'
      : screening.matches.length
        ? 'screening.hit'
        : 'screening.clear';
  await appendAudit(trx, {
    at: deps.now,
    partnerId: c.partner_id,
    actor: 'system:screening',
    action,
    entityType: 'customer',
    entityId: c.id,
    context: {
      trigger: kind,
      listVersion: screening.versionId,
      matches: screening.matches,
      ...(screening.unavailable ? { reason: screening.unavailable } : {}),
    },
  });
  if (screening.unavailable) {
    const mustHold = screening.unavailable === 'indexing' || deps.screeningRequired !== false;
    if (kind === 'onboarding' && mustHold) {
      const held = await moveCustomer(trx, c, { to: 'pending_rpl_review', audit: null }, deps);
      await openReview(trx, held, 'no_list', [], screening.versionId, deps, noListReason(screening.unavailable));
      return true;
    }
    if (!c.unscreened_since) await updateCustomer(trx, c.id, { unscreened_since: deps.now });
    return false;
  }
  if (screening.nameMissing) {
    if (kind !== 'onboarding') return false;
    const held = await moveCustomer(trx, c, { to: 'pending_rpl_review', audit: null }, deps);
    await openReview(trx, held, 'name_missing', [], null, deps);
    return true;
  }
  // Screened on its name: whatever it was provisioned without before is made good.
  if (c.unscreened_since) await updateCustomer(trx, c.id, { unscreened_since: null });
  if (!screening.matches.length) return false;
  if (await findOpenReviewOfCustomer(trx, c.id)) return false;
  const held = await moveCustomer(
    trx,
    c,
    { to: 'pending_rpl_review', set: { non_compliant_since: c.non_compliant_since ?? deps.now }, audit: null },
    deps,
  );
  await openReview(trx, held, kind, screening.matches, screening.versionId, deps);
  return true;
}

/** What a `no_list` review tells the people who look at the queue: why, and what to do. */
const noListReason = (why: 'no_list' | 'indexing'): string =>
  why === 'no_list'
    ? 'no screening list loaded: the root partner loads the restricted-party list (POST /v1/compliance/screening-list); ' +
      'the customer is then screened and provisioned, or held for review on a match'
    : 'the screening list is being indexed: the customer is screened as soon as it is ready, then provisioned, or held for review on a match';

/**
 * Records a package change Webex confirmed (upstream; standalone, a task left from upstream mode is
 * completed as the desk would): the ledger at the request's effectiveAt, else now, the confirmation.
 */
export async function finishSubscriberUpdate(
  trx: Transaction<Database>,
  entityId: string,
  payload: TaskPayload<'subscriber.update'>,
  deps: ProvisioningDeps,
  status: SubscriberStatus = 'provisioned',
  actor = 'system:worker',
): Promise<TaskOutcome> {
  const s = await findSubscriberById(trx, entityId, { forUpdate: true });
  if (!s || s.status !== 'updating') return 'done';
  await applySubscriberChange(
    trx,
    s,
    {
      pkg: payload.package,
      addOns: payload.addOns,
      primaryPhoneNumber: payload.primaryPhoneNumber,
      extension: payload.extension,
      locationId: payload.locationId,
      effectiveAt: payload.effectiveAt ? new Date(payload.effectiveAt) : deps.now,
    },
    deps,
    actor,
    status,
  );
  return 'done';
}

/** Records a removal Webex confirmed: billing stops at the request's effectiveAt, else now. */
export async function finishSubscriberDelete(
  trx: Transaction<Database>,
  entityId: string,
  payload: TaskPayload<'subscriber.delete'>,
  deps: ProvisioningDeps,
  actor = 'system:worker',
): Promise<TaskOutcome> {
  const s = await findSubscriberById(trx, entityId, { forUpdate: true });
  if (!s || s.status !== 'deleting') return 'done';
  const effectiveAt = payload.effectiveAt ? new Date(payload.effectiveAt) : deps.now;
  await removeSubscriber(trx, s, effectiveAt, deps, 'subscriber.delete');
  await appendAudit(trx, {
    at: deps.now,
    partnerId: s.partner_id,
    actor,
    action: 'subscriber.deleted',
    entityType: 'subscriber',
    entityId: s.id,
    context: { effectiveAt: effectiveAt.toISOString() },
  });
  return 'done';
}
