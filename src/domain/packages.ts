import { fail, ok, problem, type Problem, type Result } from './problems.js';

export const PACKAGE_IDS = [
  'common_area_calling',
  'webex_calling',
  'webex_calling_standard',
  'webex_voice',
  'webex_suite',
  'webex_meetings',
  'cx_essentials',
  'attendant_console',
  'cisco_calling_plan',
  'cx_premium_agent',
  'cx_standard_agent',
  'cx_voice_ports',
  'cx_ai_assistant',
  'webex_ai_agent',
] as const;

export type PackageId = (typeof PACKAGE_IDS)[number];

interface PackageInfo {
  label: string;
  /** A subscriber may hold it (false: workspace or customer-level add-on). */
  forSubscribers: boolean;
  calling: boolean;
  /** Add-on: the customer must also hold one of these. */
  requiresOneOf?: readonly PackageId[];
}

const CALLING_BASE: readonly PackageId[] = [
  'common_area_calling',
  'webex_calling',
  'webex_suite',
  'webex_voice',
  'cx_essentials',
  'webex_calling_standard',
];

export const PACKAGES: Readonly<Record<PackageId, PackageInfo>> = {
  common_area_calling: { label: 'Common Area Calling', forSubscribers: false, calling: true },
  webex_calling: { label: 'Webex Calling', forSubscribers: true, calling: true },
  webex_calling_standard: { label: 'Webex Calling Standard', forSubscribers: true, calling: true },
  webex_voice: { label: 'Webex Voice (Enhanced Calling)', forSubscribers: true, calling: true },
  webex_suite: { label: 'Webex Suite', forSubscribers: true, calling: true },
  webex_meetings: { label: 'Webex Meetings', forSubscribers: true, calling: false },
  cx_essentials: { label: 'Customer Assist', forSubscribers: true, calling: true },
  attendant_console: {
    label: 'Attendant Console',
    forSubscribers: true,
    calling: true,
    requiresOneOf: ['webex_calling', 'webex_suite', 'cx_essentials'],
  },
  cisco_calling_plan: { label: 'Cisco Calling Plan', forSubscribers: false, calling: false, requiresOneOf: CALLING_BASE },
  cx_premium_agent: { label: 'Contact Center Premium Agent', forSubscribers: true, calling: true },
  cx_standard_agent: { label: 'Contact Center Standard Agent', forSubscribers: true, calling: true },
  cx_voice_ports: { label: 'Contact Center Voice Ports', forSubscribers: false, calling: false },
  cx_ai_assistant: { label: 'Contact Center AI Assistant', forSubscribers: false, calling: false },
  webex_ai_agent: { label: 'Webex AI Agent', forSubscribers: false, calling: false },
};

const ALIASES: Readonly<Record<string, PackageId>> = {
  customer_assist: 'cx_essentials',
  customer_experience_essentials: 'cx_essentials',
};

/** Canonical id for user input (case-insensitive, `-` or space for `_`, aliases), or undefined. */
export function toPackageId(input: string): PackageId | undefined {
  const key = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if ((PACKAGE_IDS as readonly string[]).includes(key)) return key as PackageId;
  return ALIASES[key];
}

export const isCallingPackage = (id: PackageId): boolean => PACKAGES[id].calling;

/** Resolves and checks a customer's package list: known ids, no duplicates, add-on requirements met. */
export function checkCustomerPackages(input: readonly string[], field = 'packages'): Result<PackageId[]> {
  const problems: Problem[] = [];
  const ids: PackageId[] = [];
  if (input.length === 0) problems.push(problem('invalid_request', 'packages must name at least one package', field));
  input.forEach((raw, i) => {
    const id = toPackageId(raw);
    if (!id) {
      problems.push(problem('unknown_package', `unknown package "${raw}"; use one of ${PACKAGE_IDS.join(', ')}`, `${field}.${i}`));
    } else if (!ids.includes(id)) {
      ids.push(id);
    }
  });
  for (const id of ids) {
    const needs = PACKAGES[id].requiresOneOf;
    if (needs && !needs.some((n) => ids.includes(n))) {
      problems.push(
        problem('package_requirement_missing', `${id} is an add-on and requires one of ${needs.join(', ')} on the customer`, field),
      );
    }
  }
  return problems.length ? fail(...problems) : ok(ids);
}

export interface SubscriberPackageContext {
  customerPackages: readonly string[];
  /** Caps from provisioningParameters.packages.limits. */
  limits: Readonly<Record<string, number>>;
  /** Live subscribers currently holding each package (excluding the one being changed). */
  holders: Readonly<Record<string, number>>;
}

/** The single package a subscriber may hold: known, for subscribers, on the customer, under its limit. */
export function checkSubscriberPackage(input: readonly string[], ctx: SubscriberPackageContext, field = 'packages'): Result<PackageId> {
  if (input.length !== 1) {
    return fail(problem('one_package_required', `a subscriber holds exactly one package; got ${input.length}`, field));
  }
  const raw = input[0] as string;
  const id = toPackageId(raw);
  if (!id) return fail(problem('unknown_package', `unknown package "${raw}"; use one of ${PACKAGE_IDS.join(', ')}`, field));
  if (!PACKAGES[id].forSubscribers) {
    return fail(problem('package_not_for_subscribers', `${id} cannot be assigned to a subscriber`, field));
  }
  if (!ctx.customerPackages.includes(id)) {
    return fail(
      problem(
        'package_not_on_customer',
        `${id} is not one of the customer's packages (${ctx.customerPackages.join(', ') || 'none'})`,
        field,
      ),
    );
  }
  const limit = ctx.limits[id];
  const held = ctx.holders[id] ?? 0;
  if (limit !== undefined && held >= limit) {
    return fail(problem('package_limit_reached', `the customer's limit of ${limit} ${id} subscribers is reached`, field));
  }
  return ok(id);
}

/** Packages left out of a customer update are removed; refuse while subscribers still hold them. */
export function checkPackageRemoval(
  current: readonly string[],
  next: readonly string[],
  holders: Readonly<Record<string, number>>,
): Problem[] {
  return current
    .filter((id) => !next.includes(id) && (holders[id] ?? 0) > 0)
    .map((id) => {
      const n = holders[id] ?? 0;
      return problem(
        'package_in_use',
        `cannot remove ${id}: ${n} subscriber${n === 1 ? '' : 's'} still hold${n === 1 ? 's' : ''} it; move or remove them first`,
        'packages',
      );
    });
}
