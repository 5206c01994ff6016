import { checkAddress, type Address } from './address.js';
import { toCivilDate } from './calendar.js';
import { checkBillingStartDate, resolveEffectiveAt } from './lifecycle.js';
import { resolveLocale, type Locale } from './locale.js';
import { checkCustomerPackages, isCallingPackage, PACKAGES, type PackageId } from './packages.js';
import { fail, ok, problem, type Problem, type Result } from './problems.js';
import { pickCallInNumber } from './regions.js';
import { resolveTimezone, isTimezone } from './timezone.js';

export interface CustomerRequest {
  packages?: readonly string[] | undefined;
  orgId?: string | undefined;
  address: Address;
  customerInfo?: { name?: string | undefined; primaryEmail: string; language?: string | undefined } | undefined;
  provisioningParameters?:
    | {
        calling?:
          | {
              location: {
                name: string;
                address: Address;
                timezone?: string | undefined;
                language?: string | undefined;
                emergencyLocationIdentifier?: string | undefined;
              };
            }
          | undefined;
        meetings?: { timezone?: string | undefined } | undefined;
        packages?: { limits: Readonly<Record<string, number>> } | undefined;
      }
    | undefined;
  billingStartDate?: string | undefined;
  effectiveAt?: string | undefined;
}

export interface PlanContext {
  template: { country: string; language: string };
  numbersByCountry: Readonly<Record<string, readonly string[]>>;
  delayedBillingEnabled: boolean;
  now: Date;
  /** Package list is optional for a precheck. */
  packagesRequired: boolean;
  /** BACKDATE_MAX_DAYS (the default when unset). */
  backdateMaxDays?: number | undefined;
}

export interface PlannedLocation {
  name: string;
  address: Address;
  timezone: string;
  language: Locale;
  emergencyLocationIdentifier: string | null;
}

export interface CustomerPlan {
  packages: PackageId[];
  address: Address;
  locale: Locale;
  meetingsLocale: Locale;
  orgCountry: string;
  callInNumber: string | null;
  limits: Record<string, number>;
  location: PlannedLocation | null;
  meetingsTimezone: string | null;
  billingStartDate: string | null;
  attachedOrgId: string | null;
  name: string | null;
  primaryEmail: string | null;
  effectiveAt: Date;
}

/**
 * Applies every Wholesale rule to a new customer at once (packages, address, locale, calling
 * location, limits, billing start, effective time) and reports all problems together.
 */
export function planCustomer(req: CustomerRequest, ctx: PlanContext): Result<CustomerPlan> {
  const problems: Problem[] = [];
  const collect = <T>(r: Result<T>): T | undefined => {
    if (r.ok) return r.value;
    problems.push(...r.problems);
    return undefined;
  };

  const packages = req.packages !== undefined || ctx.packagesRequired ? (collect(checkCustomerPackages(req.packages ?? [])) ?? []) : [];
  const address = collect(checkAddress(req.address));
  const attachedOrgId = req.orgId?.trim() || null;
  if (!attachedOrgId && !req.customerInfo?.name && ctx.packagesRequired) {
    problems.push(
      problem(
        'customer_info_required',
        'customerInfo with name and primaryEmail is required for a new customer (or give orgId to attach an existing org)',
        'customerInfo',
      ),
    );
  }
  if (req.customerInfo?.name?.includes('%')) {
    problems.push(problem('name_contains_percent', 'customerInfo.name may not contain "%"', 'customerInfo.name'));
  }
  const locale = collect(resolveLocale(req.customerInfo?.language, ctx.template, 'customerInfo.language'));
  const location = planLocation(req, packages, ctx, problems);
  const meetingsTz = req.provisioningParameters?.meetings?.timezone?.trim() || null;
  if (meetingsTz && !isTimezone(meetingsTz)) {
    problems.push(problem('invalid_timezone', `"${meetingsTz}" is not an IANA time zone`, 'provisioningParameters.meetings.timezone'));
  }
  const limits = checkLimits(req.provisioningParameters?.packages?.limits ?? {}, packages, problems);
  const effectiveAt = collect(resolveEffectiveAt(req.effectiveAt, ctx.now, undefined, ctx.backdateMaxDays));
  const billingStartDate = collect(
    checkBillingStartDate({
      requested: req.billingStartDate ?? null,
      delayedBillingEnabled: ctx.delayedBillingEnabled,
      createdOn: toCivilDate(effectiveAt ?? ctx.now),
      today: toCivilDate(ctx.now),
    }),
  );

  if (problems.length || !address || !locale || !effectiveAt || billingStartDate === undefined) return fail(...problems);
  return ok({
    packages,
    address,
    locale: locale.locale,
    meetingsLocale: locale.meetingsLocale,
    orgCountry: address.country,
    callInNumber: pickCallInNumber(address.country, ctx.numbersByCountry).number,
    limits,
    location,
    meetingsTimezone: meetingsTz,
    billingStartDate,
    attachedOrgId,
    name: req.customerInfo?.name?.trim() ?? null,
    primaryEmail: req.customerInfo?.primaryEmail.toLowerCase() ?? null,
    effectiveAt,
  });
}

function planLocation(req: CustomerRequest, packages: readonly PackageId[], ctx: PlanContext, problems: Problem[]): PlannedLocation | null {
  const given = req.provisioningParameters?.calling?.location;
  if (!given) {
    const calling = packages.filter((p) => isCallingPackage(p));
    if (calling.length) {
      problems.push(
        problem(
          'calling_parameters_missing',
          `provisioningParameters.calling.location is required for calling packages (${calling.join(', ')})`,
          'provisioningParameters.calling',
        ),
      );
    }
    return null;
  }
  const field = 'provisioningParameters.calling.location';
  const address = checkAddress(given.address, `${field}.address`);
  if (!address.ok) problems.push(...address.problems);
  const timezone = resolveTimezone(
    given.timezone,
    (address.ok ? address.value.country : given.address.country.toUpperCase()) || '',
    `${field}.timezone`,
  );
  if (!timezone.ok) problems.push(...timezone.problems);
  const language = resolveLocale(given.language, ctx.template, `${field}.language`);
  if (!language.ok) problems.push(...language.problems);
  if (!address.ok || !timezone.ok || !language.ok) return null;
  return {
    name: given.name.trim(),
    address: address.value,
    timezone: timezone.value,
    language: language.value.locale,
    emergencyLocationIdentifier: given.emergencyLocationIdentifier?.trim() || null,
  };
}

function checkLimits(
  limits: Readonly<Record<string, number>>,
  packages: readonly PackageId[],
  problems: Problem[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(limits)) {
    const id = key as PackageId;
    if (!(key in PACKAGES)) {
      problems.push(problem('unknown_package', `limit for unknown package "${key}"`, `provisioningParameters.packages.limits.${key}`));
    } else if (packages.length && !packages.includes(id)) {
      problems.push(
        problem(
          'package_not_on_customer',
          `limit for ${key}, which is not one of the customer's packages`,
          `provisioningParameters.packages.limits.${key}`,
        ),
      );
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Canonical JSON (sorted keys) of a request, to tell a retried POST from a different one. */
export function fingerprintRequest(body: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .filter((k) => k !== 'effectiveAt' && (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(canonical(body));
}
