import { appendAudit } from '../db/repositories/audit-log.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import {
  type CustomerFilter,
  findCustomer,
  findCustomerByExternalId,
  findEmailUses,
  insertCustomer,
  listCustomers,
} from '../db/repositories/customers.js';
import { insertLocation, listLocations } from '../db/repositories/locations.js';
import { enqueueTask } from './enqueue-task.js';
import { hasPackageEvents } from '../db/repositories/package-events.js';
import { countHolders } from '../db/repositories/subscribers.js';
import type { CustomerRow, Db } from '../db/schema.js';
import { checkNotBeforeCreation } from '../domain/billing-window.js';
import { toCivilDate } from '../domain/calendar.js';
import { fingerprintRequest, planCustomer, type CustomerRequest } from '../domain/customer-plan.js';
import { planCustomerUpdate, type CustomerUpdateRequest } from '../domain/customer-update-plan.js';
import { checkCustomerSettled, isCustomerStatus, resolveEffectiveAt } from '../domain/lifecycle.js';
import type { KeyedItem } from '../domain/list-keyset.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import { toWebexId } from '../domain/webex-ids.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { toCustomerResponse, toLocationResponse } from './responses.js';
import type { CustomerResponse, LocationResponse } from '../contracts/index.js';
import { isUniqueViolation } from '../db/is-unique-violation.js';
import { findUsableTemplate, isDelayedBillingEnabled, loadCallInNumbers } from './customer-context.js';
import { customerSnapshot } from './snapshots.js';
import { announceNewCustomer, moveCustomer } from './move-customer.js';
import { giveHeldOrgItsName } from './compliance-reviews.js';
import { checkGivenOrgName } from '../domain/compliance/org-name.js';
import type { PlannedLocation } from '../domain/customer-plan.js';

export interface CreateCustomerInput extends CustomerRequest {
  provisioningId: string;
  externalId: string;
  packages: readonly string[];
  subPartnerAdminEmail?: string | undefined;
}

async function planFor(
  db: Db,
  actor: Actor,
  input: CustomerRequest & { provisioningId?: string | undefined },
  deps: UseCaseDeps,
  packagesRequired: boolean,
) {
  const problems: Problem[] = [];
  let templateCtx = { country: input.address.country.toUpperCase(), language: 'en_US' };
  if (input.provisioningId !== undefined) {
    const template = await findUsableTemplate(db, actor.partner, input.provisioningId);
    if (template.ok) {
      templateCtx = { country: template.value.country, language: template.value.language };
      // The guide's attach procedure (seed-provisioning.md line 288, L54762/L55005): the template must allow
      // admin-invite emails when attaching to existing orgs.
      if (input.orgId?.trim() && !template.value.allow_admin_invite_emails)
        problems.push(
          problem(
            'attach_needs_admin_invites',
            `template "${template.value.name}" does not allow admin-invite emails when attaching to existing orgs, which attaching an org (orgId) requires: use a template that allows them (allowAdminInviteEmails: true)`,
            'provisioningId',
          ),
        );
    } else problems.push(...template.problems);
  } else if (packagesRequired) {
    problems.push(problem('invalid_request', 'provisioningId is required', 'provisioningId'));
  }
  const plan = planCustomer(input, {
    template: templateCtx,
    numbersByCountry: await loadCallInNumbers(db),
    delayedBillingEnabled: await isDelayedBillingEnabled(db, actor.partner),
    now: deps.now,
    packagesRequired,
    backdateMaxDays: deps.backdateMaxDays,
  });
  if (!plan.ok) problems.push(...plan.problems);
  const primaryEmail = input.customerInfo?.primaryEmail.trim().toLowerCase();
  if (primaryEmail) problems.push(...(await checkPrimaryEmail(db, actor.partner.id, primaryEmail)));
  return problems.length || !plan.ok ? fail(...problems) : plan;
}

/**
 * The partner's own use of the email only: whether another partner uses it is never told (the answer
 * would be an existence oracle across tenants), so a customer is accepted alike either way.
 */
async function checkPrimaryEmail(db: Db, partnerId: string, email: string): Promise<Problem[]> {
  const use = (await findEmailUses(db, partnerId, email))[0];
  if (!use) return [];
  const what = use.kind === 'customer' ? 'an existing customer' : 'an existing user';
  return [problem('email_in_use', `The email is already associated with ${what} (${email}).`, 'customerInfo.primaryEmail')];
}

/**
 * Accepts a new customer: every rule checked first, then one transaction writes the customer,
 * its calling location, the audit record and the provisioning task. A retried POST with the same
 * externalId and body returns the customer already accepted.
 */
export async function createCustomer(
  db: Db,
  actor: Actor,
  input: CreateCustomerInput,
  deps: UseCaseDeps,
): Promise<Result<{ customer: CustomerResponse; created: boolean }>> {
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
        created_packages: JSON.stringify(p.packages),
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
      await announceNewCustomer(trx, row, deps);
      await appendAudit(trx, {
        at: deps.now,
        partnerId: actor.partner.id,
        actor: actor.label,
        action: 'customer.create',
        entityType: 'customer',
        entityId: id,
        after: customerSnapshot(row),
      });
      return row;
    });
    return ok({ customer: toCustomerResponse(customer), created: true });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent POST with the same externalId won the race.
    const winner = await findCustomerByExternalId(db, actor.partner.id, input.externalId);
    if (!winner) throw error;
    return sameOrConflict(winner, fingerprint);
  }
}

function sameOrConflict(existing: CustomerRow, fingerprint: string): Result<{ customer: CustomerResponse; created: boolean }> {
  if (existing.request_fingerprint === fingerprint) return ok({ customer: toCustomerResponse(existing), created: false });
  return fail(
    problem(
      'external_id_conflict',
      `externalId ${existing.external_id} already belongs to customer ${existing.id} with a different request; use a new externalId or update that customer`,
      'externalId',
    ),
  );
}

/** The precheck: the same rules as creation plus uniqueness, nothing written. */
export async function validateCustomer(
  db: Db,
  actor: Actor,
  input: CustomerRequest & { provisioningId?: string | undefined; externalId?: string | undefined },
  deps: UseCaseDeps,
): Promise<Result<true>> {
  const problems: Problem[] = [];
  const plan = await planFor(db, actor, input, deps, false);
  if (!plan.ok) problems.push(...plan.problems);
  if (input.externalId) {
    const existing = await findCustomerByExternalId(db, actor.partner.id, input.externalId);
    if (existing)
      problems.push(
        problem('external_id_conflict', `externalId ${input.externalId} already belongs to customer ${existing.id}`, 'externalId'),
      );
  }
  return problems.length ? fail(...problems) : ok(true);
}

/** A customer as the API answers it; `includePackageLicenseInfo` adds each provisioned package's licenseIds. */
export async function getCustomer(
  db: Db,
  actor: Actor,
  id: string,
  o: { includePackageLicenseInfo?: boolean } = {},
): Promise<Result<CustomerResponse>> {
  const customer = await findCustomer(db, actor.partner.id, id);
  return customer ? ok(toCustomerResponse(customer, o)) : fail(problem('customer_not_found', `customer ${id} not found`));
}

/** A customer's locations, HQ (the first) first. */
export async function getCustomerLocations(db: Db, actor: Actor, id: string): Promise<Result<LocationResponse[]>> {
  const customer = await findCustomer(db, actor.partner.id, id);
  return customer
    ? ok((await listLocations(db, customer.id)).map(toLocationResponse))
    : fail(problem('customer_not_found', `customer ${id} not found`));
}

export async function findCustomers(
  db: Db,
  actor: Actor,
  f: Omit<CustomerFilter, 'partnerId' | 'statuses'> & { statuses?: string[] | undefined },
): Promise<KeyedItem<CustomerResponse>[]> {
  // The edge refuses unknown statuses; the guard only narrows the type.
  const rows = await listCustomers(db, { partnerId: actor.partner.id, ...f, statuses: f.statuses?.filter(isCustomerStatus) });
  return rows.map((row) => ({ item: toCustomerResponse(row), key: { at: row.page_key, id: row.id } }));
}

export interface UpdateCustomerInput extends CustomerUpdateRequest {
  effectiveAt?: string | undefined;
  /** The name of an attached org that has none yet (it is screened on it). */
  customerInfo?: { name: string } | undefined;
}

/** Anything in an update beyond the org's name (the current packages may be repeated). */
function changesMoreThanName(before: CustomerRow, input: UpdateCustomerInput): boolean {
  const samePackages =
    input.packages === undefined ||
    (input.packages.length === before.packages.length && input.packages.every((p) => before.packages.includes(p)));
  return (
    !samePackages ||
    input.externalId !== undefined ||
    input.address !== undefined ||
    input.provisioningParameters !== undefined ||
    input.billingStartDate !== undefined
  );
}

/**
 * Updates a customer: every field optional; `packages`, when given, is the complete list (left-out
 * packages are removed, refused while held); a calling location of a new name is added as a branch.
 * The change is applied in one transaction and the customer is `updating` until the worker settles it.
 *
 * `effectiveAt` is checked as Webex checks it (a bad value is refused) but dates nothing: billing is
 * the subscribers' package facts, which carry their own effectiveAt, and a customer update changes no
 * such fact (a package still held cannot be removed, and a new limit or address is not billed). The
 * customer.update task therefore gets no effectiveAt either; the customer.delete task does, because
 * deleting a customer ends its subscribers' packages at that instant.
 */
export async function updateCustomerRequest(
  db: Db,
  actor: Actor,
  id: string,
  input: UpdateCustomerInput,
  deps: UseCaseDeps,
): Promise<Result<CustomerResponse>> {
  const effective = resolveEffectiveAt(input.effectiveAt, deps.now, undefined, deps.backdateMaxDays);
  if (!effective.ok) return effective;
  const delayed = await isDelayedBillingEnabled(db, actor.partner);
  const numbers = await loadCallInNumbers(db);
  return runInTransaction(db, async (trx) => {
    const before = await findCustomer(trx, actor.partner.id, id, { forUpdate: true });
    if (!before) return fail(problem('customer_not_found', `customer ${id} not found`));
    // An attached org held for its name: the name alone releases it to screening.
    if (before.status === 'pending_rpl_review' && input.customerInfo) {
      const named = await giveHeldOrgItsName(trx, actor, before, input.customerInfo.name, changesMoreThanName(before, input), deps);
      return named.ok ? ok(toCustomerResponse(named.value)) : named;
    }
    const orgName = checkGivenOrgName(before.name, input.customerInfo?.name);
    const owner =
      input.externalId && input.externalId !== before.external_id
        ? await findCustomerByExternalId(trx, actor.partner.id, input.externalId)
        : undefined;
    const locations = await listLocations(trx, id);
    const plan = planCustomerUpdate(
      {
        status: before.status,
        externalId: before.external_id,
        packages: before.packages,
        limits: before.package_limits,
        address: before.address,
        orgCountry: before.org_country,
        locale: before.locale,
        createdOn: toCivilDate(before.created_at),
        billingStartDate: before.billing_start_date,
      },
      input,
      {
        holders: await countHolders(trx, id),
        hasLocation: locations.length > 0,
        locationNames: locations.map((l) => l.name),
        hasUsage: await hasPackageEvents(trx, id),
        externalIdOwner: owner?.id ?? null,
        numbersByCountry: numbers,
        delayedBillingEnabled: delayed,
        now: deps.now,
      },
    );
    if (!plan.ok || !orgName.ok) return fail(...(plan.ok ? [] : plan.problems), ...(orgName.ok ? [] : orgName.problems));
    const p = plan.value;
    if (p.newLocation) await insertPlannedLocation(trx, id, p.newLocation, deps);
    await enqueueTask(trx, {
      kind: 'customer.update',
      entityId: id,
      payload: { addressChanged: Boolean(input.address), nameGiven: orgName.value.given },
      now: deps.now,
    });
    const after = await moveCustomer(
      trx,
      before,
      {
        to: 'updating',
        set: {
          packages: JSON.stringify(p.packages),
          external_id: p.externalId,
          address: JSON.stringify(p.address),
          org_country: p.orgCountry,
          call_in_number: p.callInNumber,
          package_limits: JSON.stringify(p.limits),
          billing_start_date: p.billingStartDate,
          name: orgName.value.name,
        },
        audit: { actor: actor.label, action: 'customer.update', before: customerSnapshot(before), after: customerSnapshot },
      },
      deps,
    );
    return ok(toCustomerResponse(after));
  });
}

/** Starts deleting a customer: `deleting` now; the worker removes its subscribers (billing stops at effectiveAt) and the customer. */
export async function deleteCustomerRequest(
  db: Db,
  actor: Actor,
  id: string,
  effectiveAtInput: string | undefined,
  deps: UseCaseDeps,
): Promise<Result<CustomerResponse>> {
  const effective = resolveEffectiveAt(effectiveAtInput, deps.now, undefined, deps.backdateMaxDays);
  if (!effective.ok) return effective;
  return runInTransaction(db, async (trx) => {
    const before = await findCustomer(trx, actor.partner.id, id, { forUpdate: true });
    if (!before) return fail(problem('customer_not_found', `customer ${id} not found`));
    const settled = checkCustomerSettled(before.status, 'delete');
    if (settled.length) return fail(...settled);
    const tooEarly = checkNotBeforeCreation(effective.value, before.created_at, 'customer');
    if (tooEarly.length) return fail(...tooEarly);
    await enqueueTask(trx, {
      kind: 'customer.delete',
      entityId: id,
      payload: { effectiveAt: effective.value.toISOString() },
      now: deps.now,
    });
    const after = await moveCustomer(
      trx,
      before,
      {
        to: 'deleting',
        audit: {
          actor: actor.label,
          action: 'customer.delete',
          before: customerSnapshot(before),
          context: { effectiveAt: effective.value.toISOString() },
        },
      },
      deps,
    );
    return ok(toCustomerResponse(after));
  });
}

/** Upstream, the location is carried to Webex's org of the customer by a task (found there by name, or POSTed). */
async function insertPlannedLocation(trx: Db, customerId: string, location: PlannedLocation, deps: UseCaseDeps) {
  const id = toWebexId('LOCATION', deps.uuid());
  if (deps.viaWebex) await enqueueTask(trx, { kind: 'location.provision', entityId: id, now: deps.now });
  return insertLocation(trx, {
    id,
    status: deps.viaWebex ? 'provisioning' : 'provisioned',
    customer_id: customerId,
    name: location.name,
    address: JSON.stringify(location.address),
    timezone: location.timezone,
    language: location.language,
    emergency_location_identifier: location.emergencyLocationIdentifier,
    created_at: deps.now,
  });
}
