import { appendAudit } from '../db/repositories/audit-log.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import { findCustomer, findCustomerByExternalId, findEmailUses, insertCustomer, listCustomers, updateCustomer } from '../db/repositories/customers.js';
import { insertLocation, listLocations } from '../db/repositories/locations.js';
import { enqueueTask } from './enqueue-task.js';
import { countHolders } from '../db/repositories/subscribers.js';
import type { CustomerRow, Db } from '../db/schema.js';
import { toCivilDate } from '../domain/calendar.js';
import { fingerprintRequest, planCustomer, type CustomerRequest } from '../domain/customer-plan.js';
import { checkBillingStartDate, checkCustomerSettled, resolveEffectiveAt, type CustomerStatus } from '../domain/lifecycle.js';
import { checkAddress, type Address } from '../domain/address.js';
import { checkCustomerPackages, checkPackageRemoval, PACKAGES, type PackageId } from '../domain/packages.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { pickCallInNumber } from '../domain/regions.js';
import { toWebexId } from '../domain/webex-ids.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { findUsableTemplate, isDelayedBillingEnabled, isUniqueViolation, loadCallInNumbers } from './customer-context.js';
import { customerSnapshot } from './snapshots.js';
import { customerStatusChanged } from './emit-events.js';
import type { PlannedLocation } from '../domain/customer-plan.js';

export interface CreateCustomerInput extends CustomerRequest {
  provisioningId: string;
  externalId: string;
  packages: readonly string[];
  subPartnerAdminEmail?: string | undefined;
}

async function planFor(db: Db, actor: Actor, input: CustomerRequest & { provisioningId?: string | undefined }, deps: UseCaseDeps, packagesRequired: boolean) {
  const problems: Problem[] = [];
  let templateCtx = { country: input.address.country.toUpperCase(), language: 'en_US' };
  if (input.provisioningId !== undefined) {
    const template = await findUsableTemplate(db, actor.partner, input.provisioningId);
    if (template.ok) templateCtx = { country: template.value.country, language: template.value.language };
    else problems.push(...template.problems);
  } else if (packagesRequired) {
    problems.push(problem('invalid_request', 'provisioningId is required', 'provisioningId'));
  }
  const plan = planCustomer(input, {
    template: templateCtx,
    numbersByCountry: await loadCallInNumbers(db),
    delayedBillingEnabled: await isDelayedBillingEnabled(db, actor.partner),
    now: deps.now,
    packagesRequired,
  });
  if (!plan.ok) problems.push(...plan.problems);
  const primaryEmail = input.customerInfo?.primaryEmail.trim().toLowerCase();
  if (primaryEmail) problems.push(...(await checkPrimaryEmail(db, primaryEmail)));
  return problems.length || !plan.ok ? fail(...problems) : plan;
}

async function checkPrimaryEmail(db: Db, email: string): Promise<Problem[]> {
  const use = (await findEmailUses(db, email))[0];
  if (!use) return [];
  const what = use.kind === 'customer' ? 'an existing customer' : 'an existing user';
  return [problem('email_in_use', `The email is already associated with ${what} (${email}).`, 'customerInfo.primaryEmail')];
}

/**
 * Accepts a new customer: every rule checked first, then one transaction writes the customer,
 * its calling location, the audit record and the provisioning task. A retried POST with the same
 * externalId and body returns the customer already accepted.
 */
export async function createCustomer(db: Db, actor: Actor, input: CreateCustomerInput, deps: UseCaseDeps): Promise<Result<{ customer: CustomerRow; created: boolean }>> {
  const fingerprint = fingerprintRequest(input);
  const existing = await findCustomerByExternalId(db, actor.partner.id, input.externalId);
  if (existing) return sameOrConflict(existing, fingerprint);

  const plan = await planFor(db, actor, input, deps, true);
  if (!plan.ok) return plan;
  const p = plan.value;
  const id = toWebexId('WHOLESALE_CUSTOMER', deps.uuid());
  try {
    const customer = await runInTransaction(db, async (trx) => {
      const row = await insertCustomer(trx, {
        id,
        partner_id: actor.partner.id,
        external_id: input.externalId,
        org_id: p.attachedOrgId,
        attached_org: p.attachedOrgId !== null,
        provisioning_id: input.provisioningId,
        name: p.name,
        primary_email: p.primaryEmail,
        locale: p.locale,
        meetings_locale: p.meetingsLocale,
        org_country: p.orgCountry,
        call_in_number: p.callInNumber,
        address: JSON.stringify(p.address),
        packages: JSON.stringify(p.packages),
        package_limits: JSON.stringify(p.limits),
        provisioning_parameters: JSON.stringify({ meetings: p.meetingsTimezone ? { timezone: p.meetingsTimezone } : undefined }),
        sub_partner_admin_email: input.subPartnerAdminEmail?.toLowerCase() ?? null,
        billing_start_date: p.billingStartDate,
        status: 'provisioning',
        errors: '[]',
        warnings: '[]',
        request_fingerprint: fingerprint,
        created_at: p.effectiveAt,
        updated_at: deps.now,
        status_changed_at: deps.now,
      });
      if (p.location) {
        await insertPlannedLocation(trx, id, p.location, deps);
      }
      await enqueueTask(trx, { kind: 'customer.provision', entityId: id, now: deps.now });
      await customerStatusChanged(trx, row, null, deps);
      await appendAudit(trx, { at: deps.now, partnerId: actor.partner.id, actor: actor.label, action: 'customer.create', entityType: 'customer', entityId: id, after: customerSnapshot(row) });
      return row;
    });
    return ok({ customer, created: true });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent POST with the same externalId won the race.
    const winner = await findCustomerByExternalId(db, actor.partner.id, input.externalId);
    if (!winner) throw error;
    return sameOrConflict(winner, fingerprint);
  }
}

function sameOrConflict(existing: CustomerRow, fingerprint: string): Result<{ customer: CustomerRow; created: boolean }> {
  if (existing.request_fingerprint === fingerprint) return ok({ customer: existing, created: false });
  return fail(problem('external_id_conflict', `externalId ${existing.external_id} already belongs to customer ${existing.id} with a different request; use a new externalId or update that customer`, 'externalId'));
}

/** The precheck: the same rules as creation plus uniqueness, nothing written. */
export async function validateCustomer(db: Db, actor: Actor, input: CustomerRequest & { provisioningId?: string | undefined; externalId?: string | undefined }, deps: UseCaseDeps): Promise<Result<true>> {
  const problems: Problem[] = [];
  const plan = await planFor(db, actor, input, deps, false);
  if (!plan.ok) problems.push(...plan.problems);
  if (input.externalId) {
    const existing = await findCustomerByExternalId(db, actor.partner.id, input.externalId);
    if (existing) problems.push(problem('external_id_conflict', `externalId ${input.externalId} already belongs to customer ${existing.id}`, 'externalId'));
  }
  return problems.length ? fail(...problems) : ok(true);
}

export async function getCustomer(db: Db, actor: Actor, id: string): Promise<Result<CustomerRow>> {
  const customer = await findCustomer(db, actor.partner.id, id);
  return customer ? ok(customer) : fail(problem('customer_not_found', `customer ${id} not found`));
}

export async function findCustomers(db: Db, actor: Actor, f: { externalId?: string | undefined; orgId?: string | undefined; statuses?: string[] | undefined; offset: number; max: number }) {
  return listCustomers(db, { partnerId: actor.partner.id, ...f });
}

export interface UpdateCustomerInput {
  packages: readonly string[];
  externalId?: string | undefined;
  address?: Address | undefined;
  provisioningParameters?: CustomerRequest['provisioningParameters'];
  billingStartDate?: string | undefined;
  effectiveAt?: string | undefined;
}

/**
 * Updates a customer: `packages` is the complete list (left-out packages are removed, refused while
 * held). The change is applied in one transaction and the customer is `updating` until the worker settles it.
 */
export async function updateCustomerRequest(db: Db, actor: Actor, id: string, input: UpdateCustomerInput, deps: UseCaseDeps): Promise<Result<CustomerRow>> {
  const effective = resolveEffectiveAt(input.effectiveAt, deps.now);
  if (!effective.ok) return effective;
  const delayed = await isDelayedBillingEnabled(db, actor.partner);
  const numbers = await loadCallInNumbers(db);
  return runInTransaction(db, async (trx) => {
    const before = await findCustomer(trx, actor.partner.id, id, { forUpdate: true });
    if (!before) return fail(problem('customer_not_found', `customer ${id} not found`));
    const settled = checkCustomerSettled(before.status as CustomerStatus, 'update');
    if (settled.length) return fail(...settled);

    const problems: Problem[] = [];
    const packages = checkCustomerPackages(input.packages);
    if (!packages.ok) problems.push(...packages.problems);
    const holders = await countHolders(trx, id);
    if (packages.ok) problems.push(...checkPackageRemoval(before.packages, packages.value, holders));

    let address = before.address;
    if (input.address) {
      const checked = checkAddress(input.address);
      if (checked.ok) address = checked.value;
      else problems.push(...checked.problems);
    }
    if (input.externalId && input.externalId !== before.external_id) {
      const taken = await findCustomerByExternalId(trx, actor.partner.id, input.externalId);
      if (taken) problems.push(problem('external_id_conflict', `externalId ${input.externalId} already belongs to customer ${taken.id}`, 'externalId'));
    }
    const limits = { ...before.package_limits };
    for (const [pkg, limit] of Object.entries(input.provisioningParameters?.packages?.limits ?? {})) {
      if (!(pkg in PACKAGES)) problems.push(problem('unknown_package', `limit for unknown package "${pkg}"`, `provisioningParameters.packages.limits.${pkg}`));
      else if ((holders[pkg] ?? 0) > limit) problems.push(problem('package_limit_reached', `limit ${limit} for ${pkg} is below the ${holders[pkg]} subscribers holding it`, `provisioningParameters.packages.limits.${pkg}`));
      else limits[pkg] = limit;
    }
    const hasLocation = (await listLocations(trx, id)).length > 0;
    if (packages.ok) {
      const addsCalling = packages.value.some((p) => PACKAGES[p].calling && p !== 'cisco_calling_plan');
      if (addsCalling && !hasLocation && !input.provisioningParameters?.calling) {
        problems.push(problem('calling_parameters_missing', 'provisioningParameters.calling.location is required to add a calling package to a customer without a calling location', 'provisioningParameters.calling'));
      }
    }
    const hasUsage = Boolean(await trx.selectFrom('package_events').select('id').where('customer_id', '=', id).limit(1).executeTakeFirst());
    const billingStart = checkBillingStartDate({
      requested: input.billingStartDate ?? null,
      delayedBillingEnabled: delayed,
      createdOn: toCivilDate(before.created_at),
      today: toCivilDate(deps.now),
      current: before.billing_start_date,
      hasUsage,
    });
    if (!billingStart.ok) problems.push(...billingStart.problems);
    if (problems.length || !packages.ok || !billingStart.ok) return fail(...problems);

    const location = input.provisioningParameters?.calling?.location;
    if (location) {
      const plan = planCustomer(
        { address, packages: packages.value, provisioningParameters: { calling: { location } } },
        { template: { country: before.org_country, language: before.locale }, numbersByCountry: numbers, delayedBillingEnabled: delayed, now: deps.now, packagesRequired: false },
      );
      if (!plan.ok) return plan;
      // Webex keeps the first calling location; a later one in an update is checked, not added.
      if (plan.value.location && !hasLocation) await insertPlannedLocation(trx, id, plan.value.location, deps);
    }
    const after = await updateCustomer(trx, id, {
      packages: JSON.stringify(packages.value satisfies PackageId[]),
      external_id: input.externalId ?? before.external_id,
      address: JSON.stringify(address),
      org_country: address.country,
      call_in_number: pickCallInNumber(address.country, numbers).number,
      package_limits: JSON.stringify(limits),
      billing_start_date: billingStart.value,
      status: 'updating',
      updated_at: deps.now,
      status_changed_at: deps.now,
    });
    await enqueueTask(trx, { kind: 'customer.update', entityId: id, payload: { addressChanged: Boolean(input.address) }, now: deps.now });
    await customerStatusChanged(trx, after, before.status, deps);
    await appendAudit(trx, { at: deps.now, partnerId: actor.partner.id, actor: actor.label, action: 'customer.update', entityType: 'customer', entityId: id, before: customerSnapshot(before), after: customerSnapshot(after) });
    return ok(after);
  });
}

/** Starts deleting a customer: `deleting` now; the worker removes its subscribers (billing stops at effectiveAt) and the customer. */
export async function deleteCustomerRequest(db: Db, actor: Actor, id: string, effectiveAtInput: string | undefined, deps: UseCaseDeps): Promise<Result<CustomerRow>> {
  const effective = resolveEffectiveAt(effectiveAtInput, deps.now);
  if (!effective.ok) return effective;
  return runInTransaction(db, async (trx) => {
    const before = await findCustomer(trx, actor.partner.id, id, { forUpdate: true });
    if (!before) return fail(problem('customer_not_found', `customer ${id} not found`));
    const settled = checkCustomerSettled(before.status as CustomerStatus, 'delete');
    if (settled.length) return fail(...settled);
    const after = await updateCustomer(trx, id, { status: 'deleting', updated_at: deps.now, status_changed_at: deps.now });
    await enqueueTask(trx, { kind: 'customer.delete', entityId: id, payload: { effectiveAt: effective.value.toISOString() }, now: deps.now });
    await customerStatusChanged(trx, after, before.status, deps);
    await appendAudit(trx, { at: deps.now, partnerId: actor.partner.id, actor: actor.label, action: 'customer.delete', entityType: 'customer', entityId: id, before: customerSnapshot(before), context: { effectiveAt: effective.value.toISOString() } });
    return ok(after);
  });
}

function insertPlannedLocation(trx: Db, customerId: string, location: PlannedLocation, deps: UseCaseDeps) {
  return insertLocation(trx, {
    id: toWebexId('LOCATION', deps.uuid()),
    customer_id: customerId,
    name: location.name,
    address: JSON.stringify(location.address),
    timezone: location.timezone,
    language: location.language,
    emergency_location_identifier: location.emergencyLocationIdentifier,
    created_at: deps.now,
  });
}
