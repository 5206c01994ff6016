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
  /** Loading the restricted-party screening list, which every tenant is screened against: root partner only. */
  'wholesale-desk:screening_list',
] as const;

export const ALL_SCOPES = [...WEBEX_SCOPES, ...DESK_SCOPES] as const;
export type Scope = (typeof ALL_SCOPES)[number];

/** Scopes over what all tenants share: a sub-partner's token never holds them. */
export const ROOT_PARTNER_SCOPES: readonly Scope[] = ['wholesale-desk:screening_list'];

/** Every scope a sub-partner's token may hold (the default for `token create --partner`). */
export const SUB_PARTNER_SCOPES: readonly Scope[] = ALL_SCOPES.filter((s) => !ROOT_PARTNER_SCOPES.includes(s));

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}
