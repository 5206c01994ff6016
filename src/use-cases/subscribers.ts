import { appendAudit } from '../db/repositories/audit-log.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import { findCustomer, findCustomerWithCounts, type CustomerWithCounts } from '../db/repositories/customers.js';
import { listLocations } from '../db/repositories/locations.js';
import { appendPackageEvent, currentPackage, listAddOnSlots, listPackageEvents } from '../db/repositories/package-events.js';
import { enqueueTask } from './enqueue-task.js';
import {
  countHolders,
  findNumberHolders,
  findSubscriber,
  insertSubscriberWithAssignment,
  listSubscribers,
  type SubscriberFilter,
} from '../db/repositories/subscribers.js';
import type { CustomerRow, Db, SubscriberRow } from '../db/schema.js';
import {
  checkAcceptsSubscribers,
  isSubscriberStatus,
  resolveEffectiveAt,
  shouldBecomeAdmin,
  type CustomerStatus,
  type SubscriberStatus,
} from '../domain/lifecycle.js';
import { checkNotBeforeCreation } from '../domain/billing-window.js';
import { checkSubscriberPackages, isCallingPackage, toPackageId, type PackageId } from '../domain/packages.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { checkCallingDetails, pickPackageInput } from '../domain/subscriber-rules.js';
import { checkAdminPackage, checkNumbersFree, checkSubscriberNames } from '../domain/subscriber-admin.js';
import { toWebexId } from '../domain/webex-ids.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { isUniqueViolation } from '../db/is-unique-violation.js';
import { subscriberSnapshot } from './snapshots.js';
import { announceNewSubscriber, moveSubscriber } from './move-subscriber.js';

export interface SubscriberParameters {
  firstName?: string | undefined;
  lastName?: string | undefined;
  primaryPhoneNumber?: string | undefined;
  extension?: string | undefined;
  locationId?: string | undefined;
}

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

/** locationId picks a calling location: "calling packages only" (the guide's subscriber field table, seed-provisioning.md line 257). */
const locationWithoutCalling = (pkg: PackageId): Problem =>
  problem(
    'location_needs_calling_package',
    `locationId is for subscribers with a calling package; ${pkg} has no calling, so leave locationId out`,
    'provisioningParameters.locationId',
  );

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

export async function getSubscriber(db: Db, actor: Actor, id: string): Promise<Result<SubscriberRow>> {
  const row = await findSubscriber(db, actor.partner.id, id);
  return row ? ok(row) : fail(problem('subscriber_not_found', `subscriber ${id} not found`));
}

export const findSubscribers = (
  db: Db,
  actor: Actor,
  f: Omit<SubscriberFilter, 'partnerId' | 'statuses'> & { statuses?: string[] | undefined },
) => listSubscribers(db, { partnerId: actor.partner.id, ...f, statuses: f.statuses?.filter(isSubscriberStatus) });

export interface UpdateSubscriberInput {
  package?: string | undefined;
  packages?: readonly string[] | undefined;
  provisioningParameters?: Omit<SubscriberParameters, 'firstName' | 'lastName'> | undefined;
  effectiveAt?: string | undefined;
}

/**
 * Every rule for changing a subscriber's packages, all problems at once, without writing: what a
 * PUT applies and what chat checks before it asks to confirm.
 */
async function planSubscriberUpdate(db: Db, actor: Actor, id: string, input: UpdateSubscriberInput, deps: UseCaseDeps) {
  const effective = resolveEffectiveAt(input.effectiveAt, deps.now, undefined, deps.backdateMaxDays);
  if (!effective.ok) return effective;
  const requested = pickPackageInput(input);
  if (!requested.ok) return requested;
  const forUpdate = db.isTransaction;
  const before = await findSubscriber(db, actor.partner.id, id, { forUpdate });
  if (!before) return fail(problem('subscriber_not_found', `subscriber ${id} not found`));
  if (before.status === 'error') return fail(problem('subscriber_busy', 'the subscriber is in error; delete it and add it again'));
  // Upstream: one change at a time per subscriber, each after Webex has settled the one before.
  if (deps.viaWebex && ['provisioning', 'updating', 'deleting'].includes(before.status))
    return fail(problem('subscriber_settling', `the subscriber is ${before.status} in Webex; retry when it has settled`));
  const customer = await findCustomer(db, actor.partner.id, before.customer_id, { forUpdate });
  if (!customer) return fail(problem('customer_not_found', `customer ${before.customer_id} not found`));
  const problems: Problem[] = checkNotBeforeCreation(effective.value, await subscriberCreatedAt(db, before), 'subscriber');
  const checked = checkSubscriberPackages(requested.value, {
    customerPackages: customer.packages,
    limits: customer.package_limits,
    holders: await countHolders(db, customer.id, id),
  });
  if (!checked.ok) return fail(...problems, ...checked.problems);
  const { base: pkg, addOns } = checked.value;
  problems.push(...checkAddOnsReachWebex(addOns, deps));
  const params = input.provisioningParameters ?? {};
  const phone = params.primaryPhoneNumber ?? before.primary_phone_number ?? undefined;
  const extension = params.extension ?? before.extension ?? undefined;
  problems.push(...checkCallingDetails(pkg, { primaryPhoneNumber: phone, extension }));
  problems.push(
    ...checkAdminPackage({
      isAdmin: before.is_admin,
      current: toPackageId(before.package) ?? null,
      next: pkg,
      customerPackages: customer.packages,
    }),
  );
  const numbers = { extension: params.extension, primaryPhoneNumber: params.primaryPhoneNumber };
  problems.push(
    ...checkNumbersFree(
      numbers,
      await findNumberHolders(db, customer.id, { extension: numbers.extension, phone: numbers.primaryPhoneNumber }),
      id,
    ),
  );
  // A subscriber without a calling package has no location (guide: locationId is for calling packages only).
  let locationId = isCallingPackage(pkg) ? (params.locationId ?? before.location_id) : null;
  // A location named must be the customer's whatever the package (as on creation).
  if (isCallingPackage(pkg) || params.locationId) {
    const locations = await listLocations(db, customer.id);
    const named = params.locationId ?? locationId;
    if (named && !locations.some((l) => l.id === named))
      problems.push(
        problem('location_not_found', `location ${named} is not one of the customer's locations`, 'provisioningParameters.locationId'),
      );
    if (params.locationId && !isCallingPackage(pkg)) problems.push(locationWithoutCalling(pkg));
    if (isCallingPackage(pkg)) locationId ??= locations[0]?.id ?? null;
    if (!locationId && isCallingPackage(pkg))
      problems.push(
        problem(
          'calling_parameters_missing',
          'the customer has no calling location; update it with provisioningParameters.calling.location first',
          'provisioningParameters.locationId',
        ),
      );
  }
  if (problems.length) return fail(...problems);
  return ok({ before, customer, pkg, addOns, phone, extension, locationId, effectiveAt: effective.value });
}

/** Checks a package change without applying it (chat asks to confirm only what can be done). */
export async function validateSubscriberUpdate(
  db: Db,
  actor: Actor,
  id: string,
  input: UpdateSubscriberInput,
  deps: UseCaseDeps,
): Promise<Result<true>> {
  const plan = await planSubscriberUpdate(db, actor, id, input, deps);
  return plan.ok ? ok(true) : plan;
}

/**
 * Changes a subscriber's packages (one base plus add-ons). The change is a ledger fact at effectiveAt; a back-dated change
 * that lands before a later one alters history but not what the subscriber holds now.
 */
export async function updateSubscriberRequest(
  db: Db,
  actor: Actor,
  id: string,
  input: UpdateSubscriberInput,
  deps: UseCaseDeps,
): Promise<Result<SubscriberRow>> {
  return runInTransaction(db, async (trx) => {
    const plan = await planSubscriberUpdate(trx, actor, id, input, deps);
    if (!plan.ok) return plan;
    const { before, pkg, addOns, phone, extension, locationId, effectiveAt } = plan.value;
    const change: SubscriberChange = {
      pkg,
      addOns,
      primaryPhoneNumber: phone ?? null,
      extension: extension ?? null,
      locationId,
      effectiveAt,
    };
    if (deps.viaWebex && before.webex_subscriber_id) {
      // Upstream: Webex decides. The change waits in a task; the ledger records it when Webex confirms.
      await enqueueTask(trx, {
        kind: 'subscriber.update',
        entityId: id,
        now: deps.now,
        payload: {
          package: pkg,
          addOns,
          extension: change.extension,
          primaryPhoneNumber: change.primaryPhoneNumber,
          locationId,
          ...(input.effectiveAt !== undefined ? { effectiveAt: effectiveAt.toISOString() } : {}),
        },
      });
      const after = await moveSubscriber(
        trx,
        before,
        {
          to: 'updating',
          audit: {
            actor: actor.label,
            action: 'subscriber.update_requested',
            before: subscriberSnapshot(before),
            context: { package: pkg, addOns, ...(input.effectiveAt !== undefined ? { effectiveAt: effectiveAt.toISOString() } : {}) },
          },
        },
        deps,
      );
      return ok(after);
    }
    return ok(await applySubscriberChange(trx, before, change, deps, actor.label));
  });
}

/**
 * Cisco's subscriber API takes `attendant_console` as an add-on in `packages`, but not
 * `cisco_calling_plan` (a customer package there, absent from its subscriber packages): upstream, it
 * is refused rather than billed for something Webex never received.
 */
export function checkAddOnsReachWebex(addOns: readonly string[], deps: Pick<UseCaseDeps, 'viaWebex'>): Problem[] {
  if (!deps.viaWebex || !addOns.includes('cisco_calling_plan')) return [];
  return [
    problem(
      'calling_plan_not_upstream',
      "Cisco Calling Plan cannot be given to a subscriber in upstream mode: Webex's subscriber API has no way to receive it (Cisco lists it as a customer package); remove cisco_calling_plan from packages",
      'packages',
    ),
  ];
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

/** A checked package change of one subscriber: base package, add-ons, numbers and location. */
export interface SubscriberChange {
  pkg: string;
  addOns: readonly string[];
  primaryPhoneNumber: string | null;
  extension: string | null;
  locationId: string | null;
  effectiveAt: Date;
}

/**
 * Records a checked change: ledger facts at effectiveAt (base slot and every add-on slot), the row, the
 * audit. `status`: the subscriber's status after it (upstream: Webex's).
 */
export async function applySubscriberChange(
  trx: Db,
  before: SubscriberRow,
  change: SubscriberChange,
  deps: UseCaseDeps,
  actorLabel: string,
  status?: SubscriberStatus,
): Promise<SubscriberRow> {
  const id = before.id;
  const { pkg, addOns } = change;
  await appendPackageEvent(trx, {
    subscriberId: id,
    customerId: before.customer_id,
    partnerId: before.partner_id,
    package: pkg,
    effectiveAt: change.effectiveAt,
    recordedAt: deps.now,
    cause: 'subscriber.update',
  });
  // From effectiveAt on the subscriber holds exactly these add-ons: a fact in every add-on slot it
  // has ever used or now takes (null where it no longer holds the add-on).
  const slots = [...new Set([...addOns, ...(await listAddOnSlots(trx, id))])].sort();
  for (const slot of slots)
    await appendPackageEvent(trx, {
      subscriberId: id,
      slot,
      customerId: before.customer_id,
      partnerId: before.partner_id,
      package: addOns.includes(slot) ? slot : null,
      effectiveAt: change.effectiveAt,
      recordedAt: deps.now,
      cause: 'subscriber.update',
    });
  const holding = (await currentPackage(trx, id)) ?? pkg;
  const heldAddOns: string[] = [];
  for (const slot of slots) if (await currentPackage(trx, id, slot)) heldAddOns.push(slot);
  const unchanged = before.package === holding && before.addons.join() === heldAddOns.join() && (status ?? before.status) === before.status;
  const after = await moveSubscriber(
    trx,
    before,
    {
      to: status ?? before.status,
      set: {
        package: holding,
        addons: JSON.stringify(heldAddOns),
        primary_phone_number: change.primaryPhoneNumber,
        extension: change.extension,
        location_id: change.locationId,
        // Webex's confirmation clears what an earlier refusal left.
        ...(status ? { errors: '[]' } : {}),
        last_status_change: unchanged ? before.last_status_change : deps.now,
      },
      audit: {
        actor: actorLabel,
        action: 'subscriber.update',
        before: subscriberSnapshot(before),
        after: subscriberSnapshot,
        context: { package: pkg, addOns, effectiveAt: change.effectiveAt.toISOString() },
      },
    },
    deps,
  );
  return after;
}

/** Checks a removal without making it (chat asks to confirm only what can be done). */
export async function validateSubscriberRemoval(
  db: Db,
  actor: Actor,
  id: string,
  effectiveAtInput: string | undefined,
  deps: UseCaseDeps,
): Promise<Result<true>> {
  const effective = resolveEffectiveAt(effectiveAtInput, deps.now, undefined, deps.backdateMaxDays);
  if (!effective.ok) return effective;
  const sub = await findSubscriber(db, actor.partner.id, id);
  if (!sub) return fail(problem('subscriber_not_found', `subscriber ${id} not found`));
  const tooEarly = checkNotBeforeCreation(effective.value, await subscriberCreatedAt(db, sub), 'subscriber');
  return tooEarly.length ? fail(...tooEarly) : ok(true);
}

/** Removes a subscriber at once (Webex answers 204): billing stops at effectiveAt. Upstream, through Webex first. */
export async function deleteSubscriberRequest(
  db: Db,
  actor: Actor,
  id: string,
  effectiveAtInput: string | undefined,
  deps: UseCaseDeps,
): Promise<Result<SubscriberRow>> {
  const effective = resolveEffectiveAt(effectiveAtInput, deps.now, undefined, deps.backdateMaxDays);
  if (!effective.ok) return effective;
  return runInTransaction(db, async (trx) => {
    const before = await findSubscriber(trx, actor.partner.id, id, { forUpdate: true });
    if (!before) return fail(problem('subscriber_not_found', `subscriber ${id} not found`));
    const tooEarly = checkNotBeforeCreation(effective.value, await subscriberCreatedAt(trx, before), 'subscriber');
    if (tooEarly.length) return fail(...tooEarly);
    if (deps.viaWebex && (before.webex_subscriber_id || before.status === 'provisioning')) {
      // Upstream: Webex removes it first (a subscriber still being posted is found by email); billing
      // stops when Webex confirms, or at the effectiveAt the request named.
      if (before.status === 'deleting') return ok(before);
      // A package change on its way to Webex settles first, so Webex sees the two in the order asked.
      if (before.status === 'updating')
        return fail(problem('subscriber_settling', 'the subscriber is updating in Webex; retry when it has settled'));
      await enqueueTask(trx, {
        kind: 'subscriber.delete',
        entityId: id,
        now: deps.now,
        payload: effectiveAtInput !== undefined ? { effectiveAt: effective.value.toISOString() } : {},
      });
      const after = await moveSubscriber(
        trx,
        before,
        {
          to: 'deleting',
          audit: {
            actor: actor.label,
            action: 'subscriber.delete_requested',
            before: subscriberSnapshot(before),
            context: effectiveAtInput !== undefined ? { effectiveAt: effective.value.toISOString() } : null,
          },
        },
        deps,
      );
      return ok(after);
    }
    const after = await removeSubscriber(trx, before, effective.value, deps, 'subscriber.delete');
    await appendAudit(trx, {
      at: deps.now,
      partnerId: before.partner_id,
      actor: actor.label,
      action: 'subscriber.delete',
      entityType: 'subscriber',
      entityId: id,
      before: subscriberSnapshot(before),
      context: { effectiveAt: effective.value.toISOString() },
    });
    return ok(after);
  });
}

/** When the subscriber came into being: its first ledger fact (a back-dated creation names its own instant). */
async function subscriberCreatedAt(trx: Db, sub: SubscriberRow): Promise<Date> {
  return (await listPackageEvents(trx, sub.id))[0]?.effective_at ?? sub.created_at;
}

/** Marks a subscriber deleted and ends its package in the ledger; shared by deletes, customer deletes and compliance. */
export async function removeSubscriber(
  trx: Db,
  sub: SubscriberRow,
  effectiveAt: Date,
  deps: UseCaseDeps,
  cause: string,
): Promise<SubscriberRow> {
  await appendPackageEvent(trx, {
    subscriberId: sub.id,
    customerId: sub.customer_id,
    partnerId: sub.partner_id,
    package: null,
    effectiveAt,
    recordedAt: deps.now,
    cause,
  });
  return moveSubscriber(trx, sub, { to: 'deleted', audit: null }, deps);
}
