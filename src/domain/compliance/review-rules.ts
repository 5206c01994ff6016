/**
 * Why a review was opened: a hit at onboarding, after an address (or name) change, or after a list
 * reload; or, `name_missing`, an attached org held because it has no name to screen yet; or,
 * `no_list`, a new customer held because no screening list is loaded (released when one is).
 */
export const REVIEW_KINDS = ['onboarding', 'address_change', 'list_reload', 'name_missing', 'no_list'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_STATUSES = ['open', 'approved', 'rejected', 'expired', 'deprovisioned'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** Compliance deadlines, from the Wholesale RTM guide and its RPL article. */
export const REVIEW_WINDOW_MS = 72 * 3_600_000;
export const NON_COMPLIANCE_WINDOW_MS = 30 * 86_400_000;
export const MAX_UNANSWERED_CONTACTS = 3;
/** Chosen on the labelled fixture: the highest threshold that still finds every true variant (docs/compliance.md). */
export const DEFAULT_SCREENING_THRESHOLD = 0.84;

/** Error codes put on a customer the screening stopped. */
export const SCREENING_REJECTED = 3101;
export const SCREENING_DEPROVISIONED = 3102;
/** Warning on a customer provisioned without screening (no list loaded, SCREENING_REQUIRED=false). */
export const SCREENING_SKIPPED = 3110;
export const SCREENING_SKIPPED_WARNING =
  'provisioned without restricted-party screening: no screening list was loaded (SCREENING_REQUIRED=false); ' +
  'it is screened when the root partner loads one (POST /v1/compliance/screening-list)';
