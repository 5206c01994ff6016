import { runInTransaction } from '../db/run-in-transaction.js';
import { findCustomer } from '../db/repositories/customers.js';
import { listLocations } from '../db/repositories/locations.js';
import { appendPackageEvent, currentPackage, listAddOnSlots } from '../db/repositories/package-events.js';
import { enqueueTask } from './enqueue-task.js';
import { countHolders, findNumberHolders, findSubscriber } from '../db/repositories/subscribers.js';
import type { Db, SubscriberRow } from '../db/schema.js';
import { resolveEffectiveAt, type SubscriberStatus } from '../domain/lifecycle.js';
import { checkNotBeforeCreation } from '../domain/billing-window.js';
import { checkSubscriberPackages, isCallingPackage, toPackageId } from '../domain/packages.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { checkCallingDetails, pickPackageInput } from '../domain/subscriber-rules.js';
import { checkAdminPackage, checkNumbersFree } from '../domain/subscriber-admin.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { subscriberSnapshot } from './snapshots.js';
import { moveSubscriber } from './move-subscriber.js';
import { checkAddOnsReachWebex, locationWithoutCalling, type SubscriberParameters, subscriberCreatedAt } from './subscriber-checks.js';

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
