import type { Transaction } from 'kysely';
import type { TaskPayload } from '../contracts/task-payloads.js';
import type { WebexCustomer, WebexError, WebexSubscriber } from '../contracts/webex-wholesale.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findCustomerById, updateCustomer } from '../db/repositories/customers.js';
import { listLocations } from '../db/repositories/locations.js';
import { findPartnerById } from '../db/repositories/partners.js';
import { findSubscriberById, updateSubscriber } from '../db/repositories/subscribers.js';
import { appendPackageEvent, listPackageEvents } from '../db/repositories/package-events.js';
import type { SubscriberStatus } from '../domain/lifecycle.js';
import type { CustomerRow, Database, StoredProblem } from '../db/schema.js';
import type { CustomerStatus } from '../domain/lifecycle.js';
import { type UpstreamCallOptions, type UpstreamCustomerRequest, UpstreamError, type WebexWholesalePort } from '../ports.js';
import { WEBEX_TOKEN_REFUSED } from '../domain/upstream-health.js';
import { moveCustomer } from './move-customer.js';
import { moveSubscriber } from './move-subscriber.js';
import { startAddOnStreams } from './create-subscriber.js';
import {
  finishCustomerDelete,
  finishCustomerUpdate,
  finishSubscriberDelete,
  finishSubscriberUpdate,
  type ProvisioningDeps,
  provisionSubscriber,
  screenOrHold,
  type TaskOutcome,
} from './provisioning-tasks.js';
import type { Store } from './store.js';

/*
 * Upstream mode (#15): the provisioning tasks carry each accepted request to Webex Wholesale and copy
 * back what Webex reports. They own their transactions (no database lock is held across a network
 * call) and are safe to run again after a crash at any point:
 *
 * - a customer POST is made only while the desk holds no Webex id for it; a run after a failed or
 *   interrupted one (attempt > 1) first looks the externalId up, so a POST whose answer was lost never
 *   creates a second Webex customer; a 409 on the externalId adopts the customer Webex has;
 * - a subscriber POST likewise looks the email up first on a later attempt, and adopts on a 409;
 * - customer updates and deletes read Webex's state first and send the PUT/DELETE only when it is still needed;
 * - a subscriber's package change PUTs the package (idempotent: the same state again); its removal
 *   DELETEs, and a 404 (an earlier DELETE whose answer was lost) counts as done. The ledger records
 *   either only once Webex confirmed it.
 *
 * Webex's refusals (4xx) end the request in `error` with Webex's errors; unavailability (timeouts,
 * 5xx, an open circuit) throws, and the task queue retries with backoff.
 */

export type UpstreamDeps = ProvisioningDeps & { upstream: WebexWholesalePort };

const SETTLED: readonly string[] = ['provisioned', 'provisioned_with_errors', 'error'];

/** Calls for a sub-partner's customer carry the sub-partner's org id. */
export async function callOptions(db: Store, partnerId: string): Promise<UpstreamCallOptions> {
  const partner = await findPartnerById(db, partnerId);
  return partner?.parent_id ? { subPartnerOrgId: partner.org_id } : {};
}

const toProblems = (errors: readonly WebexError[] | undefined): StoredProblem[] =>
  (errors ?? []).map((e) => ({ errorCode: e.errorCode ?? 0, description: e.description ?? 'Webex reported an error' }));

/**
 * What Webex's refusal leaves behind: on the desk's record its errors (or, when it gave none, its status
 * and message), and in the audit its status, trackingId and errors.
 */
function refusalOf(error: UpstreamError) {
  const errors = toProblems(error.details.errors);
  return {
    stored: JSON.stringify(errors.length ? errors : [{ errorCode: error.details.status ?? 0, description: error.message }]),
    audit: { status: error.details.status, trackingId: error.details.trackingId, errors },
  };
}

/** The customer as Cisco's POST /wholesale/customers takes it, from what the desk stored. */
async function customerRequest(db: Store, c: CustomerRow): Promise<UpstreamCustomerRequest> {
  const locations = await listLocations(db, c.id);
  const location = locations[0];
  const stored = c.provisioning_parameters as { meetings?: { timezone?: string } };
  const limits = c.package_limits;
  return {
    provisioningId: c.provisioning_id,
    externalId: c.external_id,
    packages: c.packages,
    address: c.address,
    ...(c.attached_org && c.org_id ? { orgId: c.org_id } : {}),
    ...(c.name && c.primary_email ? { customerInfo: { name: c.name, primaryEmail: c.primary_email, language: c.locale } } : {}),
    provisioningParameters: {
      ...(location
        ? {
            calling: {
              location: {
                name: location.name,
                address: location.address,
                timezone: location.timezone,
                language: location.language,
                ...(location.emergency_location_identifier ? { emergencyLocationIdentifier: location.emergency_location_identifier } : {}),
              },
            },
          }
        : {}),
      ...(stored.meetings?.timezone ? { meetings: { timezone: stored.meetings.timezone } } : {}),
      ...(Object.keys(limits).length ? { packages: { limits } } : {}),
    },
  };
}

/** Webex refused the request for good: the desk's customer ends in error with Webex's errors. */
async function failCustomer(db: Store, id: string, from: CustomerStatus, error: UpstreamError, deps: UpstreamDeps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const c = await findCustomerById(trx, id, { forUpdate: true });
    if (!c || c.status !== from) return;
    const refusal = refusalOf(error);
    await moveCustomer(
      trx,
      c,
      {
        to: 'error',
        set: { errors: refusal.stored },
        audit: { actor: 'system:webex', action: 'customer.upstream_refused', context: refusal.audit },
      },
      deps,
    );
  });
}

/** Copies Webex's view of the customer onto the desk's (status, orgId, errors, warnings, resourceDetails). */
async function applyCustomer(
  db: Store,
  id: string,
  expected: CustomerStatus[],
  w: WebexCustomer,
  deps: UpstreamDeps,
): Promise<CustomerStatus | undefined> {
  return db.transaction().execute(async (trx) => {
    const c = await findCustomerById(trx, id, { forUpdate: true });
    if (!c || !expected.includes(c.status)) return undefined;
    const status = (SETTLED.includes(w.status) || w.status === 'pending_rpl_review' ? w.status : c.status) as CustomerStatus;
    await moveCustomer(
      trx,
      c,
      {
        to: status,
        set: {
          org_id: w.orgId ?? c.org_id,
          errors: JSON.stringify(toProblems(w.errors)),
          warnings: JSON.stringify(toProblems(w.warnings ?? w.resourceDetails?.packages?.flatMap((p) => p.warnings ?? []))),
          resource_details: w.resourceDetails ? JSON.stringify(w.resourceDetails) : c.resource_details,
          // The ledger follows what Webex confirms: the customer's usage bills from the moment Webex reports it provisioned.
          ...(c.billing_from === null && (status === 'provisioned' || status === 'provisioned_with_errors')
            ? { billing_from: deps.now }
            : {}),
        },
        audit:
          status === c.status
            ? null
            : {
                actor: 'system:webex',
                action: `customer.${status}`,
                after: (row) => ({ status, orgId: row.org_id, webexCustomerId: c.webex_customer_id }),
              },
      },
      deps,
    );
    return status;
  });
}

/** Provisions an accepted customer in Webex, after the desk's own screening, and follows it until it settles. */
export async function provisionCustomerUpstream(
  db: Store,
  entityId: string,
  payload: TaskPayload<'customer.provision'>,
  attempt: number,
  deps: UpstreamDeps,
): Promise<TaskOutcome> {
  let c = await findCustomerById(db, entityId);
  if (!c || !['provisioning', 'pending_rpl_review'].includes(c.status)) return 'done';
  const o = await callOptions(db, c.partner_id);
  if (!c.webex_customer_id) {
    // A desk hold (the SP's own restricted-party screening) waits for its review, which queues this again.
    if (c.status !== 'provisioning') return 'done';
    if (!payload.screeningCleared) {
      const held = await db.transaction().execute(async (trx) => {
        const locked = await findCustomerById(trx, entityId, { forUpdate: true });
        return !locked || locked.status !== 'provisioning' || (await screenOrHold(trx, locked, 'onboarding', deps));
      });
      if (held) return 'done';
    }
    let webexId = attempt > 1 ? (await deps.upstream.findCustomerByExternalId(c.external_id, o))?.id : undefined;
    if (!webexId) {
      try {
        webexId = (await deps.upstream.createCustomer(await customerRequest(db, c), o)).customerId;
      } catch (error) {
        if (!(error instanceof UpstreamError) || error.kind !== 'rejected') throw error;
        // The externalId exists in Webex already (an earlier POST whose answer was lost): adopt it.
        if (error.details.status === 409) webexId = (await deps.upstream.findCustomerByExternalId(c.external_id, o))?.id;
        if (!webexId) {
          await failCustomer(db, entityId, 'provisioning', error, deps);
          return 'done';
        }
      }
    }
    const id = webexId;
    c = await db.transaction().execute(async (trx) => {
      const locked = await findCustomerById(trx, entityId, { forUpdate: true });
      return locked ? updateCustomer(trx, locked.id, { webex_customer_id: id, updated_at: deps.now }) : undefined;
    });
    if (!c) return 'done';
  }
  const w = await deps.upstream.getCustomer(c.webex_customer_id!, o);
  if (!w) {
    await failCustomer(db, entityId, c.status, new UpstreamError('rejected', 'Webex has no such customer any more', { status: 404 }), deps);
    return 'done';
  }
  const status = await applyCustomer(db, entityId, ['provisioning', 'pending_rpl_review'], w, deps);
  // Still provisioning, or in Webex's denied-party review: followed until it settles.
  return status === 'provisioning' || status === 'pending_rpl_review' ? 'wait' : 'done';
}

/** Sends an accepted update (the complete package list) to Webex and follows it until it settles. */
export async function updateCustomerUpstream(
  db: Store,
  entityId: string,
  payload: TaskPayload<'customer.update'>,
  deps: UpstreamDeps,
): Promise<TaskOutcome> {
  const c = await findCustomerById(db, entityId);
  if (!c || c.status !== 'updating') return 'done';
  if (!c.webex_customer_id) return local(db, (trx) => finishCustomerUpdate(trx, entityId, payload, deps));
  const o = await callOptions(db, c.partner_id);
  const w = await deps.upstream.getCustomer(c.webex_customer_id, o);
  if (!w) {
    await failCustomer(
      db,
      entityId,
      'updating',
      new UpstreamError('rejected', 'Webex has no such customer any more', { status: 404 }),
      deps,
    );
    return 'done';
  }
  if (w.status === 'updating' || w.status === 'provisioning') return 'wait';
  const same = [...(w.packages ?? [])].sort().join(',') === [...c.packages].sort().join(',');
  if (!same) {
    const { provisioningId: _unused, ...body } = await customerRequest(db, c);
    try {
      await deps.upstream.updateCustomer(c.webex_customer_id, body, o);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.kind !== 'rejected') throw error;
      await failCustomer(db, entityId, 'updating', error, deps);
      return 'done';
    }
    return 'wait';
  }
  await applyCustomer(db, entityId, ['updating'], w, deps);
  return 'done';
}

/** Deletes the customer in Webex and waits until Webex no longer has it, then completes the delete locally. */
export async function deleteCustomerUpstream(
  db: Store,
  entityId: string,
  payload: TaskPayload<'customer.delete'>,
  deps: UpstreamDeps,
): Promise<TaskOutcome> {
  const c = await findCustomerById(db, entityId);
  if (!c || c.status !== 'deleting') return 'done';
  if (c.webex_customer_id) {
    const o = await callOptions(db, c.partner_id);
    const w = await deps.upstream.getCustomer(c.webex_customer_id, o);
    if (w) {
      if (w.status !== 'deleting') await deps.upstream.deleteCustomer(c.webex_customer_id, o);
      return 'wait';
    }
  }
  return local(db, (trx) => finishCustomerDelete(trx, entityId, payload, deps));
}

/** Provisions a subscriber in Webex once its customer is there; a retry finds it by email instead of posting twice. */
export async function provisionSubscriberUpstream(
  db: Store,
  entityId: string,
  payload: TaskPayload<'subscriber.provision'>,
  attempt: number,
  deps: UpstreamDeps,
): Promise<TaskOutcome> {
  const s = await findSubscriberById(db, entityId);
  if (!s || s.status !== 'provisioning') return 'done';
  const c = await findCustomerById(db, s.customer_id);
  if (!c || !c.webex_customer_id || !['provisioned', 'provisioned_with_errors', 'updating'].includes(c.status)) {
    // Not in Webex (yet): wait while it is on its way there; otherwise the subscriber fails, unbilled.
    if (c && ['provisioning', 'pending_rpl_review'].includes(c.status)) return 'wait';
    // Its customer's own work is held (the token refused): held alike, so one retry brings both back.
    if (c?.status === 'error' && c.errors.some((e) => e.errorCode === WEBEX_TOKEN_REFUSED))
      throw new UpstreamError('unauthorized', `its customer ${c.external_id} is held: Webex refused the desk's token`);
    return local(db, (trx) => provisionSubscriber(trx, entityId, payload, deps));
  }
  const o = await callOptions(db, c.partner_id);
  let found = s.webex_subscriber_id
    ? await deps.upstream.getSubscriber(s.webex_subscriber_id, o)
    : attempt > 1
      ? await deps.upstream.findSubscriberByEmail(s.email, o)
      : undefined;
  if (!found) {
    const body = {
      customerId: c.webex_customer_id,
      email: s.email,
      // Cisco's `packages`: the base package, then its add-ons (attendant_console).
      packages: [s.package, ...s.addons],
      provisioningParameters: {
        ...(s.first_name ? { firstName: s.first_name } : {}),
        ...(s.last_name ? { lastName: s.last_name } : {}),
        ...(s.primary_phone_number ? { primaryPhoneNumber: s.primary_phone_number } : {}),
        ...(s.extension ? { extension: s.extension } : {}),
      },
    };
    try {
      found = (await deps.upstream.createSubscriber(body, o)).subscriber;
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.kind !== 'rejected') throw error;
      if (error.details.status === 409) found = await deps.upstream.findSubscriberByEmail(s.email, o);
      if (!found) {
        await failSubscriber(db, entityId, error, deps);
        return 'done';
      }
    }
  }
  const w = found;
  await db.transaction().execute(async (trx) => {
    const locked = await findSubscriberById(trx, entityId, { forUpdate: true });
    // Removed while the POST was on its way: its removal task needs the id Webex gave.
    if (locked?.status === 'deleting' && !locked.webex_subscriber_id) await updateSubscriber(trx, locked.id, { webex_subscriber_id: w.id });
    if (!locked || locked.status !== 'provisioning') return;
    const status = webexSubscriberStatus(w);
    const after = await moveSubscriber(
      trx,
      locked,
      {
        to: status,
        set: { webex_subscriber_id: w.id, person_id: w.personId ?? locked.person_id, errors: JSON.stringify(toProblems(w.errors)) },
        audit: null,
      },
      deps,
    );
    // Webex confirmed the add-ons with the subscriber: their ledger streams start now.
    await startAddOnStreams(trx, after, deps.now, deps, 'subscriber.create');
    await appendAudit(trx, {
      at: deps.now,
      partnerId: locked.partner_id,
      actor: 'system:webex',
      action: `subscriber.${status}`,
      entityType: 'subscriber',
      entityId: locked.id,
      after: { status, webexSubscriberId: w.id },
    });
  });
  return 'done';
}

const webexSubscriberStatus = (w: WebexSubscriber): SubscriberStatus =>
  w.status === 'pending_user_migration' ? 'pending_user_migration' : 'provisioned';

/** Webex refused the subscriber for good: it ends in error, and nothing of it is billed. */
async function failSubscriber(db: Store, id: string, error: UpstreamError, deps: UpstreamDeps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = await findSubscriberById(trx, id, { forUpdate: true });
    if (!s || s.status !== 'provisioning') return;
    // Its assignment was recorded on acceptance; closing it at that same instant bills none of it.
    const events = await listPackageEvents(trx, s.id);
    await appendPackageEvent(trx, {
      subscriberId: s.id,
      customerId: s.customer_id,
      partnerId: s.partner_id,
      package: null,
      effectiveAt: events[0]?.effective_at ?? deps.now,
      recordedAt: deps.now,
      cause: 'subscriber.upstream_refused',
    });
    const refusal = refusalOf(error);
    await moveSubscriber(
      trx,
      s,
      {
        to: 'error',
        set: { errors: refusal.stored },
        audit: { actor: 'system:webex', action: 'subscriber.upstream_refused', context: refusal.audit },
      },
      deps,
    );
  });
}

/** Sends a checked package change to Webex (PUT: idempotent) and records it once Webex confirms. */
export async function updateSubscriberUpstream(
  db: Store,
  entityId: string,
  payload: TaskPayload<'subscriber.update'>,
  deps: UpstreamDeps,
): Promise<TaskOutcome> {
  const s = await findSubscriberById(db, entityId);
  if (!s || s.status !== 'updating') return 'done';
  if (!s.webex_subscriber_id) return local(db, (trx) => finishSubscriberUpdate(trx, entityId, payload, deps));
  const o = await callOptions(db, s.partner_id);
  let w: WebexSubscriber;
  try {
    // The complete set, as Cisco's PUT takes it: the base package, then its add-ons.
    w = await deps.upstream.updateSubscriber(
      s.webex_subscriber_id,
      {
        packages: [payload.package, ...payload.addOns],
        provisioningParameters: {
          ...(payload.primaryPhoneNumber ? { primaryPhoneNumber: payload.primaryPhoneNumber } : {}),
          ...(payload.extension ? { extension: payload.extension } : {}),
        },
      },
      o,
    );
  } catch (error) {
    if (!(error instanceof UpstreamError) || error.kind !== 'rejected') throw error;
    const current = error.details.status === 404 ? undefined : await deps.upstream.getSubscriber(s.webex_subscriber_id, o);
    await refuseSubscriberChange(db, entityId, 'updating', current ? webexSubscriberStatus(current) : 'error', error, deps);
    return 'done';
  }
  await local(db, (trx) => finishSubscriberUpdate(trx, entityId, payload, deps, webexSubscriberStatus(w), 'system:webex'));
  return 'done';
}

/** Removes the subscriber in Webex (a 404 is done: an earlier DELETE got there), then in the desk. */
export async function deleteSubscriberUpstream(
  db: Store,
  entityId: string,
  payload: TaskPayload<'subscriber.delete'>,
  deps: UpstreamDeps,
): Promise<TaskOutcome> {
  const s = await findSubscriberById(db, entityId);
  if (!s || s.status !== 'deleting') return 'done';
  const o = await callOptions(db, s.partner_id);
  // Removed before its POST was answered: Webex may hold it under its email.
  const webexId = s.webex_subscriber_id ?? (await deps.upstream.findSubscriberByEmail(s.email, o))?.id;
  if (webexId) {
    try {
      await deps.upstream.deleteSubscriber(webexId, o);
    } catch (error) {
      if (!(error instanceof UpstreamError) || error.kind !== 'rejected') throw error;
      await refuseSubscriberChange(db, entityId, 'deleting', 'error', error, deps);
      return 'done';
    }
  }
  return local(db, (trx) => finishSubscriberDelete(trx, entityId, payload, deps, 'system:webex'));
}

/** Webex refused a change: the subscriber shows Webex's state and errors; the ledger is untouched. */
async function refuseSubscriberChange(
  db: Store,
  id: string,
  from: SubscriberStatus,
  to: SubscriberStatus,
  error: UpstreamError,
  deps: UpstreamDeps,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const s = await findSubscriberById(trx, id, { forUpdate: true });
    if (!s || s.status !== from) return;
    const refusal = refusalOf(error);
    await moveSubscriber(
      trx,
      s,
      {
        to,
        set: { errors: refusal.stored },
        audit: {
          actor: 'system:webex',
          action: from === 'updating' ? 'subscriber.update_refused' : 'subscriber.delete_refused',
          context: refusal.audit,
        },
      },
      deps,
    );
  });
}

const local = (db: Store, run: (trx: Transaction<Database>) => Promise<TaskOutcome>) => db.transaction().execute(run);
