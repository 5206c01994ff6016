import { checkAddress, type Address } from './address.js';
import { toCivilDate } from './calendar.js';
import { planCustomer, type CustomerRequest, type PlannedLocation } from './customer-plan.js';
import { checkBillingStartDate, checkCustomerSettled, type CustomerStatus } from './lifecycle.js';
import { checkCustomerPackages, checkPackageRemoval, PACKAGES, type PackageId } from './packages.js';
import { fail, ok, problem, type Problem, type Result } from './problems.js';
import { pickCallInNumber } from './regions.js';

export interface CustomerUpdateRequest {
  /** The complete list: packages left out are removed. Left out, the packages stay as they are. */
  packages?: readonly string[] | undefined;
  externalId?: string | undefined;
  address?: Address | undefined;
  provisioningParameters?: CustomerRequest['provisioningParameters'];
  billingStartDate?: string | undefined;
}

/** The customer as it stands, in the terms the rules need. */
export interface CurrentCustomer {
  status: CustomerStatus;
  externalId: string;
  packages: readonly string[];
  limits: Readonly<Record<string, number>>;
  address: Address;
  orgCountry: string;
  locale: string;
  /** The customer's creation day, YYYY-MM-DD. */
  createdOn: string;
  billingStartDate: string | null;
}

export interface UpdateContext {
  /** Live subscribers holding each package now. */
  holders: Readonly<Record<string, number>>;
  /** The customer already has a calling location. */
  hasLocation: boolean;
  /** Names of the customer's locations (HQ and branches), to tell a new branch from one it has. */
  locationNames?: readonly string[] | undefined;
  /** Some subscriber already held a package: billing has started. */
  hasUsage: boolean;
  /** The customer that already uses the requested externalId, when it is another one. */
  externalIdOwner: string | null;
  numbersByCountry: Readonly<Record<string, readonly string[]>>;
  delayedBillingEnabled: boolean;
  now: Date;
}

export interface CustomerUpdatePlan {
  packages: PackageId[];
  externalId: string;
  address: Address;
  orgCountry: string;
  callInNumber: string | null;
  limits: Record<string, number>;
  billingStartDate: string | null;
  /** The calling location to add: the first one, or a branch whose name the customer does not have yet. */
  newLocation: PlannedLocation | null;
  addressChanged: boolean;
}

const limitField = (pkg: string) => `provisioningParameters.packages.limits.${pkg}`;

/**
 * Every rule of a customer update at once, as `planCustomer` does for a new customer: the customer
 * must be settled; packages known and complete (one still held cannot be removed); a new limit not
 * below the subscribers holding the package; a calling package added to a customer without a calling
 * location needs one; the billing start date may move only before billing starts. A calling location
 * given is checked by `planCustomer`'s own location rules and added as a branch (guide L54839:
 * "additional locations such as branch offices") unless the customer already has a location of that
 * name, so a retried PUT adds nothing twice. Every field is optional: packages left out stay as they are.
 */
export function planCustomerUpdate(current: CurrentCustomer, req: CustomerUpdateRequest, ctx: UpdateContext): Result<CustomerUpdatePlan> {
  const settled = checkCustomerSettled(current.status, 'update');
  if (settled.length) return fail(...settled);

  const problems: Problem[] = [];
  const packages = checkCustomerPackages(req.packages ?? current.packages);
  if (!packages.ok) problems.push(...packages.problems);
  else problems.push(...checkPackageRemoval(current.packages, packages.value, ctx.holders));

  let address = current.address;
  if (req.address) {
    const checked = checkAddress(req.address);
    if (checked.ok) address = checked.value;
    else problems.push(...checked.problems);
  }
  if (req.externalId && req.externalId !== current.externalId && ctx.externalIdOwner !== null) {
    problems.push(
      problem('external_id_conflict', `externalId ${req.externalId} already belongs to customer ${ctx.externalIdOwner}`, 'externalId'),
    );
  }
  const limits = { ...current.limits };
  for (const [pkg, limit] of Object.entries(req.provisioningParameters?.packages?.limits ?? {})) {
    const held = ctx.holders[pkg] ?? 0;
    if (!(pkg in PACKAGES)) problems.push(problem('unknown_package', `limit for unknown package "${pkg}"`, limitField(pkg)));
    else if (held > limit)
      problems.push(
        problem('package_limit_reached', `limit ${limit} for ${pkg} is below the ${held} subscribers holding it`, limitField(pkg)),
      );
    else limits[pkg] = limit;
  }
  if (packages.ok) {
    // The calling plan rides on another calling package's location; it needs none of its own.
    const addsCalling = packages.value.some((p) => PACKAGES[p].calling && p !== 'cisco_calling_plan');
    if (addsCalling && !ctx.hasLocation && !req.provisioningParameters?.calling) {
      problems.push(
        problem(
          'calling_parameters_missing',
          'provisioningParameters.calling.location is required to add a calling package to a customer without a calling location',
          'provisioningParameters.calling',
        ),
      );
    }
  }
  const billingStart = checkBillingStartDate({
    requested: req.billingStartDate ?? null,
    delayedBillingEnabled: ctx.delayedBillingEnabled,
    createdOn: current.createdOn,
    today: toCivilDate(ctx.now),
    current: current.billingStartDate,
    hasUsage: ctx.hasUsage,
  });
  if (!billingStart.ok) problems.push(...billingStart.problems);
  if (problems.length || !packages.ok || !billingStart.ok) return fail(...problems);

  let newLocation: PlannedLocation | null = null;
  const location = req.provisioningParameters?.calling?.location;
  if (location) {
    const plan = planCustomer(
      { address, packages: packages.value, provisioningParameters: { calling: { location } } },
      {
        template: { country: current.orgCountry, language: current.locale },
        numbersByCountry: ctx.numbersByCountry,
        delayedBillingEnabled: ctx.delayedBillingEnabled,
        now: ctx.now,
        packagesRequired: false,
      },
    );
    if (!plan.ok) return plan;
    const known = (ctx.locationNames ?? []).map((n) => n.trim().toLowerCase());
    const planned = plan.value.location;
    if (planned && !known.includes(planned.name.toLowerCase())) newLocation = planned;
  }
  return ok({
    packages: packages.value,
    externalId: req.externalId ?? current.externalId,
    address,
    orgCountry: address.country,
    callInNumber: pickCallInNumber(address.country, ctx.numbersByCountry).number,
    limits,
    billingStartDate: billingStart.value,
    newLocation,
    addressChanged: Boolean(req.address),
  });
}
