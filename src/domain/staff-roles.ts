import { ALL_SCOPES, ROOT_PARTNER_SCOPES, type Scope } from './scopes.js';

/** What a partner's staff member may do in chat, least first. */
export const STAFF_ROLES = ['viewer', 'operator', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const READ: readonly Scope[] = [
  'spark-admin:wholesale_customers_read',
  'spark-admin:wholesale_subscribers_read',
  'spark-admin:wholesale_billing_reports_read',
  'wholesale-desk:compliance_read',
];
const OPERATE: readonly Scope[] = [
  ...READ,
  'spark-admin:wholesale_customers_write',
  'spark-admin:wholesale_subscribers_write',
  'spark-admin:wholesale_billing_reports_write',
];

/**
 * The API scopes a person signed in to the console holds, by role: the same line chat draws (viewers
 * read, operators provision, admins also decide compliance reviews and administer). The shared
 * screening list stays with the root partner's admins.
 */
export function scopesOfStaffRole(role: StaffRole, partner: { isRoot: boolean }): Scope[] {
  if (role === 'viewer') return [...READ];
  if (role === 'operator') return [...OPERATE];
  return ALL_SCOPES.filter((s) => partner.isRoot || !ROOT_PARTNER_SCOPES.includes(s));
}

export const isStaffRole = (value: unknown): value is StaffRole => (STAFF_ROLES as readonly unknown[]).includes(value);

/** An email a person signs in with: something@domain.tld, no spaces (compared lower-case). */
export const isStaffEmail = (value: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value);
