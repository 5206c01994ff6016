import { runInTransaction } from '../db/run-in-transaction.js';
import { findCustomerWithCounts, type CustomerWithCounts } from '../db/repositories/customers.js';
import { appendPackageEvent, listPackageEvents } from '../db/repositories/package-events.js';
import { enqueueTask } from './enqueue-task.js';
import { insertSubscriberWithAssignment } from '../db/repositories/subscribers.js';
import type { CustomerRow, Db, SubscriberRow } from '../db/schema.js';
import {
  checkAcceptsSubscribers,
  resolveEffectiveAt,
  shouldBecomeAdmin,
  type CustomerStatus,
  type SubscriberStatus,
} from '../domain/lifecycle.js';
import { checkNotBeforeCreation } from '../domain/billing-window.js';
import { checkSubscriberPackages, isCallingPackage, type PackageId } from '../domain/packages.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { checkCallingDetails, pickPackageInput } from '../domain/subscriber-rules.js';
import { checkAdminPackage, checkNumbersFree, checkSubscriberNames } from '../domain/subscriber-admin.js';
import { toWebexId } from '../domain/webex-ids.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { isUniqueViolation } from '../db/is-unique-violation.js';
import { announceNewSubscriber } from './move-subscriber.js';
import { checkAddOnsReachWebex, locationWithoutCalling, type SubscriberParameters } from './subscriber-checks.js';

export interface CreateSubscriberInput {
  customerId: string;
  email: string;
  package?: string | undefined;
  packages?: readonly string[] | undefined;
  provisioningParameters?: SubscriberParameters | undefined;
  effectiveAt?: string | undefined;
}

export interface SubscriberPlan {
  customer: CustomerRow;
  /** The base package. */
  pkg: PackageId;
  addOns: PackageId[];
  locationId: string | null;
  isAdmin: boolean;
  effectiveAt: Date;
}

/** Where a subscriber can be completed at once: the customer's org exists. */
export const ACTIVE_CUSTOMER: readonly CustomerStatus[] = ['provisioned', 'provisioned_with_errors', 'updating'];

/** Every rule for adding a subscriber, all problems at once; shared by POST and the precheck. */
async function planSubscriber(
  db: Db,
  actor: Actor,
  input: CreateSubscriberInput,
  deps: UseCaseDeps,
  opts: { precheck?: boolean } = {},
): Promise<Result<SubscriberPlan | null>> {
  const email = input.email.trim().toLowerCase();
  const params = input.provisioningParameters ?? {};
  // The customer's row lock (taken here inside a transaction) serialises every subscriber write of
  // one customer, so the number and admin checks below cannot race another request.
  const found = await findCustomerWithCounts(db, actor.partner.id, input.customerId, {
    forUpdate: db.isTransaction,
    email,
    extension: params.extension?.trim() || undefined,
    phone: params.primaryPhoneNumber?.trim() || undefined,
  });
  if (!found) return fail(problem('customer_not_found', `customer ${input.customerId} not found`, 'customerId'));
  return checkNewSubscriber(found, actor, input, deps, opts);
}

/** What the rules for a new subscriber read about its customer (one query, or an import's preloaded state). */
export type NewSubscriberContext = Pick<
  CustomerWithCounts,
  'customer' | 'holders' | 'subscribersEver' | 'numberHolders' | 'locationIds' | 'emailUses'
>;

/**
 * The rules for adding a subscriber, given what its customer holds (`numberHolders` and `emailUses`
 * about this subscriber's numbers and email): no reads, so an import checks thousands of rows against
 * state loaded once, by the very rules a single POST runs.
 */
export function checkNewSubscriber(
  found: NewSubscriberContext,
  actor: Actor,
  input: CreateSubscriberInput,
  deps: UseCaseDeps,
  opts: { precheck?: boolean } = {},
): Result<SubscriberPlan | null> {
  const problems: Problem[] = [];
  const email = input.email.trim().toLowerCase();
  const params = input.provisioningParameters ?? {};
  const { customer, holders, subscribersEver, numberHolders, locationIds, emailUses: uses } = found;
  const isAdmin = shouldBecomeAdmin(customer.attached_org, subscribersEver);
  // A precheck checks what it is given, as with the package: the names once provisioningParameters carries
  // anything. Checked here with every other rule (not in the request's shape), so missing names never hide
  // the other problems.
  if (!opts.precheck || Object.values(params).some((v) => v !== undefined)) problems.push(...checkSubscriberNames(params));
  problems.push(...checkNumbersFree({ extension: params.extension, primaryPhoneNumber: params.primaryPhoneNumber }, numberHolders, null));
  problems.push(...checkAcceptsSubscribers(customer.status, customer.name ?? customer.external_id));

  // Only the partner's own uses count: refusing (or answering in any other way) because another
  // partner uses the email would tell one tenant about another's users. The answer is the same as for
  // an email nobody uses; upstream, Webex refuses an address it already has, as for any Webex user.
  const own = uses.filter((u) => u.partner_id === actor.partner.id);
  const asSubscriber = own.find((u) => u.kind === 'subscriber');
  const asOtherAdmin = own.find((u) => u.kind === 'customer' && u.customer_id !== customer.id);
  if (asSubscriber) {
    problems.push(problem('email_in_use', `The email is already associated with an existing user (${email}).`, 'email'));
  } else if (asOtherAdmin) {
    problems.push(problem('email_in_use', `The email is already associated with another customer's administrator (${email}).`, 'email'));
  }

  let pkg: PackageId | undefined;
  let addOns: PackageId[] = [];
  const packageGiven = input.package !== undefined || input.packages !== undefined;
  const requested = pickPackageInput(input);
  if (!requested.ok) {
    if (packageGiven || !opts.precheck) problems.push(...requested.problems);
  } else {
    const checked = checkSubscriberPackages(requested.value, {
      customerPackages: customer.packages,
      limits: customer.package_limits,
      holders,
    });
    if (checked.ok) {
      ({ base: pkg, addOns } = checked.value);
      // The guide: "the same package level in which the customer org was created", not the packages it has now.
      problems.push(
        ...checkAdminPackage({ isAdmin, current: null, next: pkg, customerPackages: customer.created_packages ?? customer.packages }),
      );
      problems.push(...checkAddOnsReachWebex(addOns, deps));
    } else problems.push(...checked.problems);
  }

  let locationId: string | null = null;
  // A location named must be the customer's, whatever the package; only calling packages get a default.
  if (params.locationId) {
    if (!locationIds.includes(params.locationId))
      problems.push(
        problem(
          'location_not_found',
          `location ${params.locationId} is not one of the customer's locations`,
          'provisioningParameters.locationId',
        ),
      );
    else locationId = params.locationId;
  }
  if (pkg) {
    problems.push(...checkCallingDetails(pkg, params));
    if (params.locationId && !isCallingPackage(pkg)) problems.push(locationWithoutCalling(pkg));
    if (isCallingPackage(pkg) && !params.locationId) {
      if (locationIds[0]) locationId = locationIds[0];
      else
        problems.push(
          problem(
            'calling_parameters_missing',
            'the customer has no calling location; update it with provisioningParameters.calling.location first',
            'provisioningParameters.locationId',
          ),
        );
    }
  }
  const effectiveAt = resolveEffectiveAt(input.effectiveAt, deps.now, undefined, deps.backdateMaxDays);
  if (!effectiveAt.ok) problems.push(...effectiveAt.problems);
  else problems.push(...checkNotBeforeCreation(effectiveAt.value, customer.created_at, 'customer'));
  if (problems.length || !effectiveAt.ok) return fail(...problems);
  if (!pkg) return ok(null);
  return ok({
    customer,
    pkg,
    addOns,
    locationId,
    isAdmin,
    effectiveAt: effectiveAt.value,
  });
}

/** The row a planned subscriber is stored as; `immediate` when it is provisioned at once (no task). */
export function newSubscriberRow(plan: SubscriberPlan, actor: Actor, input: CreateSubscriberInput, deps: UseCaseDeps) {
  const params = input.provisioningParameters ?? {};
  const { customer, pkg, addOns, locationId, isAdmin } = plan;
  // Upstream, Webex provisions it: a task posts it and records Webex's answer.
  const immediate = !deps.viaWebex && ACTIVE_CUSTOMER.includes(customer.status);
  const status: SubscriberStatus = immediate ? 'provisioned' : 'provisioning';
  const values = {
    id: toWebexId('WHOLESALE_SUBSCRIBER', deps.uuid()),
    partner_id: actor.partner.id,
    customer_id: customer.id,
    email: input.email.trim().toLowerCase(),
    first_name: params.firstName?.trim() || null,
    last_name: params.lastName?.trim() || null,
    package: pkg,
    addons: JSON.stringify(addOns),
    primary_phone_number: params.primaryPhoneNumber?.trim() || null,
    extension: params.extension?.trim() || null,
    location_id: locationId,
    is_admin: isAdmin,
    person_id: immediate ? toWebexId('PEOPLE', deps.uuid()) : null,
    status,
    errors: '[]',
    created_at: deps.now,
    last_status_change: deps.now,
  };
  return { values, immediate };
}

/**
 * Adds a subscriber: row, ledger assignment (billing starts at effectiveAt) and audit in one
 * transaction. Into an active customer it is provisioned at once (Webex answers this call with 200);
 * while the customer is still provisioning, a task finishes it once the org exists.
 */
export async function createSubscriber(
  db: Db,
  actor: Actor,
  input: CreateSubscriberInput,
  deps: UseCaseDeps,
): Promise<Result<{ subscriber: SubscriberRow; customer: CustomerRow }>> {
  try {
    return await runInTransaction(db, async (trx) => {
      const plan = await planSubscriber(trx, actor, input, deps);
      if (!plan.ok) return plan;
      if (!plan.value) throw new Error('a subscriber plan without a package');
      const { customer, pkg, addOns, locationId, isAdmin, effectiveAt } = plan.value;
      const { values, immediate } = newSubscriberRow(plan.value, actor, input, deps);
      const id = values.id;
      const row = await insertSubscriberWithAssignment(trx, values, {
        effectiveAt,
        recordedAt: deps.now,
        cause: 'subscriber.create',
        audit: {
          actor: actor.label,
          action: 'subscriber.create',
          after: { email: values.email, customerId: customer.id, package: pkg, addOns, status: values.status, isAdmin, locationId },
          context: { effectiveAt: effectiveAt.toISOString() },
        },
      });
      // Each add-on is a ledger stream of its own, accruing from the same instant as the base package;
      // upstream, from Webex's confirmation (the provisioning task starts it).
      if (!deps.viaWebex)
        for (const addOn of addOns)
          await appendPackageEvent(trx, {
            subscriberId: id,
            slot: addOn,
            customerId: customer.id,
            partnerId: actor.partner.id,
            package: addOn,
            effectiveAt,
            recordedAt: deps.now,
            cause: 'subscriber.create',
          });
      if (!immediate) await enqueueTask(trx, { kind: 'subscriber.provision', entityId: id, now: deps.now });
      await announceNewSubscriber(trx, row, deps);
      return ok({ subscriber: row, customer });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      return fail(
        problem('email_in_use', `The email is already associated with an existing user (${input.email.toLowerCase()}).`, 'email'),
      );
    throw error;
  }
}

export async function validateSubscriber(db: Db, actor: Actor, input: CreateSubscriberInput, deps: UseCaseDeps): Promise<Result<true>> {
  const plan = await planSubscriber(db, actor, input, deps, { precheck: true });
  return plan.ok ? ok(true) : plan;
}

/**
 * Starts the ledger stream of each add-on the subscriber lists and does not hold yet, at `at`: upstream,
 * add-ons bill from Webex's confirmation, as base packages do.
 */
export async function startAddOnStreams(trx: Db, s: SubscriberRow, at: Date, deps: UseCaseDeps, cause: string): Promise<void> {
  if (!s.addons.length) return;
  const started = new Set((await listPackageEvents(trx, s.id)).map((e) => e.slot));
  for (const addOn of s.addons)
    if (!started.has(addOn))
      await appendPackageEvent(trx, {
        subscriberId: s.id,
        slot: addOn,
        customerId: s.customer_id,
        partnerId: s.partner_id,
        package: addOn,
        effectiveAt: at,
        recordedAt: deps.now,
        cause,
      });
}
