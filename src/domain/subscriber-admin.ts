import { PACKAGES, toPackageId, type PackageId } from './packages.js';
import { problem, type Problem } from './problems.js';

/**
 * The services each package a subscriber can hold includes (guide L53680–53698). The guide's admin
 * rule ("admins must be assigned the same package level in which the customer org was created; no
 * downgrade of the customer (full) admin's package", L54035, L54875, article L16) gives no matrix,
 * so "level" is read through these sets: one package is below another when the other includes every
 * service it has and more. Add-ons (Attendant Console) carry no level of their own.
 */
const CALLING_PRO = ['messaging', 'meetings', 'calling', 'calling_multi_device', 'calling_professional'] as const;
export const PACKAGE_SERVICES: Readonly<Partial<Record<PackageId, readonly string[]>>> = {
  webex_calling_standard: ['calling'],
  webex_voice: ['calling', 'calling_multi_device'],
  webex_meetings: ['messaging', 'meetings', 'meetings_full'],
  webex_calling: CALLING_PRO,
  webex_suite: [...CALLING_PRO, 'meetings_full'],
  cx_essentials: [...CALLING_PRO, 'agent_desktop'],
  cx_standard_agent: ['contact_center'],
  cx_premium_agent: ['contact_center', 'contact_center_premium'],
};

const servicesOf = (id: PackageId): readonly string[] => PACKAGE_SERVICES[id] ?? [];

/** True when `to` lacks a service `from` includes: moving from `from` to `to` takes something away. */
export function isDowngrade(from: PackageId, to: PackageId): boolean {
  const next = servicesOf(to);
  return servicesOf(from).some((s) => !next.includes(s));
}

/** `a` is strictly below `b`: `b` includes every service of `a`, and more. */
const isBelow = (a: PackageId, b: PackageId): boolean => !isDowngrade(a, b) && isDowngrade(b, a);

/**
 * The org's package level: the customer's subscriber packages that no other package of the customer
 * includes (for webex_calling + webex_meetings both, for webex_suite + webex_calling only webex_suite).
 */
export function orgPackageLevel(customerPackages: readonly string[]): PackageId[] {
  const own = customerPackages
    .map((p) => toPackageId(p))
    .filter((p): p is PackageId => p !== undefined && PACKAGES[p].forSubscribers && PACKAGE_SERVICES[p] !== undefined);
  return own.filter((p) => !own.some((q) => isBelow(p, q)));
}

export interface AdminPackageCheck {
  /** The subscriber is (or is about to become) the customer's full admin. */
  isAdmin: boolean;
  /** The package the admin holds now; null when the subscriber is being created. */
  current: PackageId | null;
  next: PackageId;
  /** For a new admin: the packages the org was created with (its level); otherwise unused. */
  customerPackages: readonly string[];
}

/** The full admin starts at the org's package level and is never moved to a package with less. */
export function checkAdminPackage(c: AdminPackageCheck, field = 'packages'): Problem[] {
  if (!c.isAdmin) return [];
  if (c.current === null) {
    const level = orgPackageLevel(c.customerPackages);
    if (level.length && !level.includes(c.next))
      return [
        problem(
          'admin_package_level',
          `the first subscriber becomes the customer's full admin and must hold the org's package level, the one it was created with: ${level.join(' or ')}, not ${c.next}`,
          field,
        ),
      ];
    return [];
  }
  if (c.current !== c.next && isDowngrade(c.current, c.next))
    return [
      problem(
        'admin_package_downgrade',
        `this subscriber is the customer's full admin: its package cannot be downgraded from ${c.current} to ${c.next} (${c.next} lacks ${servicesOf(
          c.current,
        )
          .filter((s) => !servicesOf(c.next).includes(s))
          .join(', ')})`,
        field,
      ),
    ];
  return [];
}

/** firstName and lastName are required for every subscriber (guide L54950). */
export function checkSubscriberNames(
  params: { firstName?: string | undefined; lastName?: string | undefined },
  field = 'provisioningParameters',
): Problem[] {
  const problems: Problem[] = [];
  if (!params.firstName?.trim()) problems.push(problem('invalid_request', 'firstName is required', `${field}.firstName`));
  if (!params.lastName?.trim()) problems.push(problem('invalid_request', 'lastName is required', `${field}.lastName`));
  return problems;
}

/** Another live subscriber of the same customer that already holds a number. */
export interface NumberHolder {
  /** The subscriber's id, or the workspace's. */
  subscriberId: string;
  /** The subscriber's email, or the workspace's name. */
  email: string;
  kind?: 'subscriber' | 'workspace';
  extension: string | null;
  primaryPhoneNumber: string | null;
}

const describeHolder = (h: NumberHolder): string =>
  h.kind === 'workspace' ? `workspace "${h.email}" (${h.subscriberId})` : `${h.email} (subscriber ${h.subscriberId})`;

/**
 * An extension or a phone number belongs to one live subscriber or workspace of a customer at a time; the answer
 * names the holder (same customer, same partner: nothing another tenant owns is shown).
 */
export function checkNumbersFree(
  wanted: { extension?: string | null | undefined; primaryPhoneNumber?: string | null | undefined },
  holders: readonly NumberHolder[],
  selfId: string | null,
  field = 'provisioningParameters',
): Problem[] {
  const problems: Problem[] = [];
  const ext = wanted.extension?.trim();
  const phone = wanted.primaryPhoneNumber?.trim();
  const others = holders.filter((h) => h.subscriberId !== selfId);
  const extHolder = ext ? others.find((h) => h.extension === ext) : undefined;
  if (extHolder)
    problems.push(
      problem(
        'extension_in_use',
        `extension ${ext} is already held by ${describeHolder(extHolder)} in this customer`,
        `${field}.extension`,
      ),
    );
  const phoneHolder = phone ? others.find((h) => h.primaryPhoneNumber === phone) : undefined;
  if (phoneHolder)
    problems.push(
      problem(
        'phone_number_in_use',
        `phone number ${phone} is already held by ${describeHolder(phoneHolder)} in this customer`,
        `${field}.primaryPhoneNumber`,
      ),
    );
  return problems;
}
