import { tokenRefused } from '../domain/upstream-health.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findCustomer } from '../db/repositories/customers.js';
import { findSubscriber, findSubscriberById } from '../db/repositories/subscribers.js';
import type { WebexSubscriber } from '../contracts/webex-wholesale.js';
import { moveSubscriber } from './move-subscriber.js';
import type { CustomerRequest } from '../domain/customer-plan.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { type UpstreamAddress, UpstreamError, type UpstreamPrecheckError, type WebexWholesalePort } from '../ports.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { validateCustomer } from './customers.js';
import type { SubscriberRow } from './records.js';
import type { Store } from './store.js';
import { type AcceptedChange, toAcceptedChange } from './responses.js';
import { type CreateSubscriberInput, validateSubscriber } from './create-subscriber.js';
import { callOptions } from './upstream-provisioning.js';

/*
 * Requests that ask Webex Wholesale while the caller waits (upstream mode): the prechecks and the
 * consent email. No transaction is held across the call; what Webex says is answered as typed problems.
 */

const WEBEX_UNREACHABLE = "Webex Wholesale could not be reached, so Webex's own checks did not run; try again later";

/** Webex's answer to a precheck as problems: each of Webex's own errors, or that Webex could not be asked. */
async function askWebex(call: () => Promise<UpstreamPrecheckError[]>, deskPassed: boolean): Promise<Problem[]> {
  try {
    return (await call()).map((e) =>
      problem('webex_refused', `Webex: ${e.description}${e.errorCode !== undefined ? ` (Webex errorCode ${e.errorCode})` : ''}`),
    );
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    const why =
      error.kind === 'unauthorized'
        ? `${tokenRefused(undefined, error.details.status)}; Webex's own checks did not run`
        : WEBEX_UNREACHABLE;
    return [problem('webex_unavailable', `${why}${deskPassed ? " (the desk's own checks passed)" : ''}.`)];
  }
}

/** The customer precheck: the desk's rules, then (upstream) Webex's `customers/validate`; every problem of both in one answer. */
export async function precheckCustomer(
  db: Store,
  actor: Actor,
  input: CustomerRequest & { provisioningId?: string | undefined; externalId?: string | undefined },
  deps: UseCaseDeps,
  upstream: WebexWholesalePort | undefined,
): Promise<Result<true>> {
  const desk = await validateCustomer(db, actor, input, deps);
  if (!upstream) return desk;
  const body = {
    address: input.address as UpstreamAddress,
    ...(input.provisioningId ? { provisioningId: input.provisioningId } : {}),
    ...(input.externalId ? { externalId: input.externalId } : {}),
    ...(input.packages ? { packages: [...input.packages] } : {}),
    ...(input.orgId ? { orgId: input.orgId } : {}),
    ...(input.customerInfo ? { customerInfo: input.customerInfo } : {}),
    ...(input.provisioningParameters ? { provisioningParameters: input.provisioningParameters as Record<string, unknown> } : {}),
  };
  const o = await callOptions(db, actor.partner.id);
  const problems = [...(desk.ok ? [] : desk.problems), ...(await askWebex(() => upstream.validateCustomer(body, o), desk.ok))];
  return problems.length ? fail(...problems) : ok(true);
}

/**
 * The subscriber precheck: the desk's rules, then (upstream) Webex's `subscribers/validate` for the
 * customer's Webex id (without one, Webex checks the email alone); both sets of problems in one answer.
 */
export async function precheckSubscriber(
  db: Store,
  actor: Actor,
  input: CreateSubscriberInput,
  deps: UseCaseDeps,
  upstream: WebexWholesalePort | undefined,
): Promise<Result<true>> {
  const desk = await validateSubscriber(db, actor, input, deps);
  if (!upstream) return desk;
  const customer = await findCustomer(db, actor.partner.id, input.customerId);
  // An unknown customer is the desk's answer alone: there is nothing for Webex to look at.
  if (!customer) return desk;
  const base = input.packages?.[0] ?? input.package;
  const params = input.provisioningParameters ?? {};
  const body = {
    email: input.email.trim().toLowerCase(),
    ...(customer.webex_customer_id ? { customerId: customer.webex_customer_id } : {}),
    ...(base ? { packages: [base] } : {}),
    provisioningParameters: {
      ...(params.firstName ? { firstName: params.firstName } : {}),
      ...(params.lastName ? { lastName: params.lastName } : {}),
      ...(params.primaryPhoneNumber ? { primaryPhoneNumber: params.primaryPhoneNumber } : {}),
      ...(params.extension ? { extension: params.extension } : {}),
    },
  };
  const o = await callOptions(db, actor.partner.id);
  const problems = [...(desk.ok ? [] : desk.problems), ...(await askWebex(() => upstream.validateSubscriber(body, o), desk.ok))];
  return problems.length ? fail(...problems) : ok(true);
}

/**
 * Asks Webex to send a `pending_user_migration` subscriber the consent email again
 * (`POST /subscribers/{id}/emails/consentMove`). Standalone there is no Webex user to move: a typed refusal.
 */
export async function resendConsentEmail(
  db: Store,
  actor: Actor,
  id: string,
  deps: UseCaseDeps,
  upstream: WebexWholesalePort | undefined,
): Promise<Result<AcceptedChange<SubscriberRow['status']>>> {
  if (!upstream)
    return fail(
      problem(
        'upstream_only',
        'the desk runs standalone: nothing is sent to Webex, so there is no consent email to resend (it needs upstream mode)',
      ),
    );
  const s = await findSubscriber(db, actor.partner.id, id);
  if (!s || s.status === 'deleted') return fail(problem('subscriber_not_found', `subscriber ${id} not found`));
  if (s.status !== 'pending_user_migration' || !s.webex_subscriber_id)
    return fail(
      problem(
        'not_pending_user_migration',
        `${s.email} is ${s.status}, not pending_user_migration: only a user who must consent to moving an existing Webex account gets the email`,
      ),
    );
  const o = await callOptions(db, s.partner_id);
  try {
    // The desk does not poll a pending migration; asked about one, it looks first: a user who has
    // consented meanwhile is recorded as provisioned, and gets no further email.
    const current = await upstream.getSubscriber(s.webex_subscriber_id, o);
    if (current && current.status !== 'pending_user_migration') {
      await recordMigrationSettled(db, s, current, deps);
      return fail(problem('not_pending_user_migration', `${s.email} has accepted the move meanwhile: Webex reports it ${current.status}`));
    }
    await upstream.resendConsentEmail(s.webex_subscriber_id, o);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    return fail(
      error.kind === 'rejected'
        ? problem('webex_refused', `Webex refused to resend the consent email: ${error.message}`)
        : error.kind === 'unauthorized'
          ? problem('upstream_unauthorized', `${tokenRefused(undefined, error.details.status)}; the consent email was not resent`)
          : problem('webex_unavailable', `Webex Wholesale could not be reached; the consent email was not resent. Try again later.`),
    );
  }
  await appendAudit(db, {
    at: deps.now,
    partnerId: s.partner_id,
    actor: actor.label,
    action: 'subscriber.consent_email_resent',
    entityType: 'subscriber',
    entityId: s.id,
  });
  return ok(toAcceptedChange(s));
}

/** Webex reports a pending migration settled: the desk's subscriber follows (provisioned, with its person id). */
async function recordMigrationSettled(db: Store, s: SubscriberRow, w: WebexSubscriber, deps: UseCaseDeps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const locked = await findSubscriberById(trx, s.id, { forUpdate: true });
    if (!locked || locked.status !== 'pending_user_migration') return;
    await moveSubscriber(
      trx,
      locked,
      {
        to: 'provisioned',
        set: { person_id: w.personId ?? locked.person_id },
        audit: { actor: 'system:webex', action: 'subscriber.provisioned', after: { status: 'provisioned', webexStatus: w.status } },
      },
      deps,
    );
  });
}
