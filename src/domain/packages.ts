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
  /**
   * A subscriber add-on, held on top of the subscriber's one base package, which must be one of these.
   * Each add-on is a ledger stream of its own (slot = its id), billed per holder and day like a package.
   */
  addOnFor?: readonly PackageId[];
  /** Held by workspaces (not subscribers): Common Area Calling. */
  forWorkspaces?: true;
}

const CALLING_BASE: readonly PackageId[] = [
  'common_area_calling',
  'webex_calling',
  'webex_suite',
  'webex_voice',
  'cx_essentials',
  'webex_calling_standard',
];

/** Base packages a subscriber add-on of calling can sit on: the calling packages users hold. */
const USER_CALLING_BASE: readonly PackageId[] = ['webex_calling', 'webex_calling_standard', 'webex_voice', 'webex_suite', 'cx_essentials'];

export const PACKAGES: Readonly<Record<PackageId, PackageInfo>> = {
  common_area_calling: { label: 'Common Area Calling', forSubscribers: false, calling: true, forWorkspaces: true },
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
    addOnFor: ['webex_calling', 'webex_suite', 'cx_essentials'],
  },
  // Bundled PSTN for a calling user (guide L53698, L54045): a per-user add-on on a calling base package.
  cisco_calling_plan: {
    label: 'Cisco Calling Plan',
    forSubscribers: true,
    calling: false,
    requiresOneOf: CALLING_BASE,
    addOnFor: USER_CALLING_BASE,
  },
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

/** A package list typed in chat or a CSV cell: `webex_calling,attendant_console` (commas or `+`). */
export const splitPackageList = (text: string): string[] =>
  text
    .split(/[,+]/)
    .map((p) => p.trim())
    .filter(Boolean);

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
  /** Live holders of each package (base packages, add-ons and workspaces), excluding the one being changed. */
  holders: Readonly<Record<string, number>>;
}

export const isAddOn = (id: PackageId): boolean => PACKAGES[id].addOnFor !== undefined;

/** What a subscriber holds: one base package and its add-ons (each an add-on id, at most once). */
export interface SubscriberPackages {
  base: PackageId;
  addOns: PackageId[];
}

/**
 * A subscriber's packages: exactly one base package plus optional add-ons, each known, for
 * subscribers, on the customer and under its limit; an add-on also needs a base it can sit on.
 * Every problem at once.
 */
export function checkSubscriberPackages(
  input: readonly string[],
  ctx: SubscriberPackageContext,
  field = 'packages',
): Result<SubscriberPackages> {
  const problems: Problem[] = [];
  const ids: PackageId[] = [];
  input.forEach((raw, i) => {
    const id = toPackageId(raw);
    const at = input.length > 1 ? `${field}.${i}` : field;
    if (!id) problems.push(problem('unknown_package', `unknown package "${raw}"; use one of ${PACKAGE_IDS.join(', ')}`, at));
    else if (!PACKAGES[id].forSubscribers)
      problems.push(problem('package_not_for_subscribers', `${id} cannot be assigned to a subscriber`, at));
    else if (ids.includes(id)) problems.push(problem('invalid_request', `${id} is listed twice`, at));
    else ids.push(id);
  });
  const bases = ids.filter((id) => !isAddOn(id));
  const addOns = ids.filter(isAddOn);
  // A package refused outright (unknown, or not for subscribers) says enough: what was meant is unclear.
  if (bases.length !== 1 && !problems.some((p) => p.code === 'unknown_package' || p.code === 'package_not_for_subscribers'))
    problems.push(
      problem(
        'one_package_required',
        `a subscriber holds exactly one base package plus optional add-ons (${PACKAGE_IDS.filter(isAddOn).join(', ')}); got ${bases.length} base packages${bases.length ? ` (${bases.join(', ')})` : ''}`,
        field,
      ),
    );
  const base = bases.length === 1 ? bases[0] : undefined;
  for (const id of addOns) {
    const needs = PACKAGES[id].addOnFor ?? [];
    if (base && !needs.includes(base))
      problems.push(
        problem(
          'addon_base_missing',
          `${id} is an add-on that needs one of ${needs.join(', ')} as the base package; this one has ${base}`,
          field,
        ),
      );
  }
  for (const id of ids) {
    if (!ctx.customerPackages.includes(id)) {
      problems.push(
        problem(
          'package_not_on_customer',
          `${id} is not one of the customer's packages (${ctx.customerPackages.join(', ') || 'none'})`,
          field,
        ),
      );
      continue;
    }
    const limit = ctx.limits[id];
    const held = ctx.holders[id] ?? 0;
    if (limit !== undefined && held >= limit)
      problems.push(problem('package_limit_reached', `the customer's limit of ${limit} ${id} is reached (${held} held)`, field));
  }
  return problems.length || !base ? fail(...problems) : ok({ base, addOns });
}

/** The package a workspace holds: Common Area Calling, on the customer and under its limit. */
export function checkWorkspacePackage(ctx: SubscriberPackageContext, field = 'customerId'): Problem[] {
  const id: PackageId = 'common_area_calling';
  if (!ctx.customerPackages.includes(id))
    return [
      problem(
        'package_not_on_customer',
        `a workspace holds ${id}, which is not one of the customer's packages (${ctx.customerPackages.join(', ') || 'none'})`,
        field,
      ),
    ];
  const limit = ctx.limits[id];
  const held = ctx.holders[id] ?? 0;
  if (limit !== undefined && held >= limit)
    return [problem('package_limit_reached', `the customer's limit of ${limit} ${id} is reached (${held} held)`, field)];
  return [];
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
