/** Webex Wholesale scopes, spelled as Webex spells them, plus the desk's own. */
export const WEBEX_SCOPES = [
  'spark-admin:wholesale_customers_read',
  'spark-admin:wholesale_customers_write',
  'spark-admin:wholesale_subscribers_read',
  'spark-admin:wholesale_subscribers_write',
  'spark-admin:wholesale_billing_reports_read',
  'spark-admin:wholesale_billing_reports_write',
] as const;

export const DESK_SCOPES = [
  /** Onboarding templates, telephony table, API tokens. */
  'wholesale-desk:admin',
  /** Reading the compliance review queue. */
  'wholesale-desk:compliance_read',
  /** Approving and rejecting compliance reviews: a decision with legal weight, kept apart. */
  'wholesale-desk:compliance_decide',
] as const;

export const ALL_SCOPES = [...WEBEX_SCOPES, ...DESK_SCOPES] as const;
export type Scope = (typeof ALL_SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}
