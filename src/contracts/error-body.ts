import type { Problem, ProblemCode } from '../domain/problems.js';

/** The HTTP statuses an expected failure can map to. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 406 | 409 | 411 | 413 | 415 | 429 | 500 | 502 | 503;

/** How a problem is answered over HTTP: its status, its Webex-style errorCode, and any headers it always carries. */
export interface ProblemHttp {
  status: ProblemStatus;
  errorCode: number;
  headers?: Readonly<Record<string, string>>;
}

/** Status and numeric Webex-style errorCode per problem; 10022 is Webex's own code for a taken email. */
export const PROBLEM_HTTP: Readonly<Record<ProblemCode, ProblemHttp>> = {
  invalid_request: { status: 400, errorCode: 1000 },
  unknown_package: { status: 400, errorCode: 1101 },
  package_not_for_subscribers: { status: 400, errorCode: 1102 },
  package_not_on_customer: { status: 400, errorCode: 1103 },
  package_requirement_missing: { status: 400, errorCode: 1104 },
  package_limit_reached: { status: 409, errorCode: 1105 },
  package_in_use: { status: 409, errorCode: 1106 },
  one_package_required: { status: 400, errorCode: 1107 },
  addon_base_missing: { status: 400, errorCode: 1120 },
  calling_parameters_missing: { status: 400, errorCode: 1108 },
  unsupported_locale: { status: 400, errorCode: 1201 },
  invalid_address: { status: 400, errorCode: 1301 },
  invalid_country: { status: 400, errorCode: 1302 },
  invalid_timezone: { status: 400, errorCode: 1401 },
  timezone_required: { status: 400, errorCode: 1402 },
  invalid_billing_start_date: { status: 400, errorCode: 1501 },
  delayed_billing_disabled: { status: 403, errorCode: 1502 },
  billing_already_started: { status: 409, errorCode: 1503 },
  invalid_effective_at: { status: 400, errorCode: 1601 },
  effective_at_before_creation: { status: 400, errorCode: 1602 },
  email_in_use: { status: 409, errorCode: 10022 },
  external_id_conflict: { status: 409, errorCode: 1701 },
  customer_not_accepting: { status: 409, errorCode: 1702 },
  customer_busy: { status: 409, errorCode: 1703 },
  subscriber_busy: { status: 409, errorCode: 1704 },
  name_contains_percent: { status: 400, errorCode: 1705 },
  customer_info_required: { status: 400, errorCode: 1706 },
  admin_package_level: { status: 409, errorCode: 1801 },
  admin_package_downgrade: { status: 409, errorCode: 1802 },
  extension_in_use: { status: 409, errorCode: 1803 },
  phone_number_in_use: { status: 409, errorCode: 1804 },
  template_not_found: { status: 404, errorCode: 2003 },
  template_name_taken: { status: 409, errorCode: 2006 },
  customer_not_found: { status: 404, errorCode: 2001 },
  customer_ambiguous: { status: 409, errorCode: 2007 },
  subscriber_not_found: { status: 404, errorCode: 2002 },
  workspace_not_found: { status: 404, errorCode: 2010 },
  workspace_name_taken: { status: 409, errorCode: 2011 },
  location_not_found: { status: 404, errorCode: 2005 },
  sub_partner_not_found: { status: 404, errorCode: 2004 },
  sub_partner_suspended: { status: 403, errorCode: 3002 },
  unauthenticated: { status: 401, errorCode: 4001, headers: { 'WWW-Authenticate': 'Bearer' } },
  token_invalid: { status: 401, errorCode: 4001, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
  events_off: { status: 403, errorCode: 4031 },
  length_required: { status: 411, errorCode: 4110 },
  no_partner_yet: { status: 503, errorCode: 5031 },
  database_unavailable: { status: 503, errorCode: 5030 },
  internal_error: { status: 500, errorCode: 5000 },
  missing_scope: { status: 403, errorCode: 3001 },
  unsupported_media_type: { status: 415, errorCode: 4150 },
  body_too_large: { status: 413, errorCode: 4130 },
  malformed_body: { status: 400, errorCode: 4000 },
  json_too_deep: { status: 400, errorCode: 4003 },
  webex_signature_invalid: { status: 401, errorCode: 4012 },
  signature_missing: { status: 401, errorCode: 4011 },
  signature_malformed: { status: 401, errorCode: 4011 },
  signature_mismatch: { status: 401, errorCode: 4011 },
  signature_stale: { status: 401, errorCode: 4011 },
  signature_future: { status: 401, errorCode: 4011 },
  event_not_failed: { status: 409, errorCode: 4091 },
  delivery_not_dead: { status: 409, errorCode: 4092 },
  webhook_url_not_allowed: { status: 400, errorCode: 4020 },
  not_found: { status: 404, errorCode: 2000 },
  report_exists: { status: 409, errorCode: 2025 },
  report_not_found: { status: 404, errorCode: 2024 },
  download_link_invalid: { status: 403, errorCode: 2026 },
  download_link_expired: { status: 403, errorCode: 2027 },
  price_book_currency_mismatch: { status: 409, errorCode: 2030 },
  screening_list_invalid: { status: 400, errorCode: 3100 },
  billing_report_file_invalid: { status: 400, errorCode: 2040 },
  reconciliation_not_found: { status: 404, errorCode: 2041 },
  reconciliation_file_required: { status: 400, errorCode: 2042 },
  upstream_report_failed: { status: 502, errorCode: 2043 },
  upstream_report_pending: { status: 503, errorCode: 2044 },
  upstream_download_refused: { status: 502, errorCode: 2045 },
  upstream_download_failed: { status: 502, errorCode: 2046 },
  upstream_unavailable: { status: 503, errorCode: 2047 },
  upstream_refused: { status: 502, errorCode: 2048 },
  review_not_found: { status: 404, errorCode: 3103 },
  review_closed: { status: 409, errorCode: 3104 },
  review_needs_name: { status: 409, errorCode: 3105 },
  review_needs_list: { status: 409, errorCode: 3111 },
  staff_not_found: { status: 403, errorCode: 3003 },
  session_expired: { status: 401, errorCode: 4002 },
  csrf_rejected: { status: 403, errorCode: 3010 },
  sign_in_failed: { status: 400, errorCode: 3011 },
  space_of_another_partner: { status: 403, errorCode: 3004 },
  nothing_to_do: { status: 409, errorCode: 1010 },
  rate_limited: { status: 429, errorCode: 4290 },
  upstream_only: { status: 409, errorCode: 2100 },
  not_pending_user_migration: { status: 409, errorCode: 2101 },
  webex_unavailable: { status: 503, errorCode: 2102 },
  webex_refused: { status: 400, errorCode: 2103 },
  subscriber_settling: { status: 409, errorCode: 2104 },
  drift_not_found: { status: 404, errorCode: 2121 },
  drift_resolved: { status: 409, errorCode: 2122 },
  drift_push_unsupported: { status: 409, errorCode: 2123 },
  drift_stale: { status: 409, errorCode: 2125 },
  drift_webex_failed: { status: 503, errorCode: 2124 },
  drift_webex_refused: { status: 409, errorCode: 2126 },
  // Webex refused the desk's own credentials: not the caller's fault (their token is fine) and not
  // cured by waiting, so neither 401 nor 503: a bad gateway that says what to fix.
  upstream_unauthorized: { status: 502, errorCode: 2130 },
  task_not_found: { status: 404, errorCode: 2132 },
  task_not_retryable: { status: 409, errorCode: 2133 },
  calling_plan_not_upstream: { status: 400, errorCode: 2150 },
  workspace_settling: { status: 409, errorCode: 2151 },
  sync_not_found: { status: 404, errorCode: 2152 },
  invalid_cursor: { status: 400, errorCode: 2164 },
  location_needs_calling_package: { status: 400, errorCode: 1900 },
  attach_needs_admin_invites: { status: 400, errorCode: 1901 },
  invalid_idp_name: { status: 400, errorCode: 1902 },
  invoice_not_found: { status: 404, errorCode: 2050 },
  invoice_month_open: { status: 409, errorCode: 2051 },
  backdate_too_far: { status: 400, errorCode: 2052 },
  invoice_format_not_acceptable: { status: 406, errorCode: 2065 },
  api_token_not_found: { status: 404, errorCode: 4200 },
  scope_not_held: { status: 403, errorCode: 4201 },
  staff_entry_not_found: { status: 404, errorCode: 4202 },
  staff_self_removal: { status: 409, errorCode: 4203 },
};

/**
 * Most specific first: a missing resource outranks bad input, which outranks a conflict. A request
 * that is both invalid and conflicting answers 400 (every problem listed): it could not succeed even
 * without the conflict, so the client fixes the request first. Webex being unreachable comes last:
 * whatever the desk found on its own is the answer, with that note among its errors.
 */
const STATUS_RANK: readonly ProblemStatus[] = [401, 403, 404, 406, 411, 413, 415, 429, 400, 409, 500, 502, 503];

export function statusFor(problems: readonly Problem[]): ProblemStatus {
  const statuses = problems.map((p) => PROBLEM_HTTP[p.code].status);
  return STATUS_RANK.find((s) => statuses.includes(s)) ?? 400;
}

/**
 * The headers an answer to these problems carries: each problem's fixed ones (a 401's challenge) and
 * Retry-After, the longest any of them asks for.
 */
export function headersFor(problems: readonly Problem[]): Record<string, string> {
  const headers: Record<string, string> = Object.assign({}, ...problems.map((p) => PROBLEM_HTTP[p.code].headers ?? {}));
  const waits = problems.flatMap((p) => (p.retryAfterSeconds === undefined ? [] : [p.retryAfterSeconds]));
  if (waits.length) headers['Retry-After'] = String(Math.max(...waits));
  return headers;
}

/** Webex's error body: every edge that answers HTTP (the API, the Webex receiver) sends this shape. */
export interface ErrorBody {
  message: string;
  errors: { description: string; errorCode: number }[];
  trackingId: string;
}

export function toErrorBody(problems: readonly Problem[], trackingId: string): ErrorBody {
  const errors = problems.map((p) => ({
    description: p.field ? `${p.field}: ${p.message}` : p.message,
    errorCode: PROBLEM_HTTP[p.code].errorCode,
  }));
  const message =
    problems.length === 1
      ? (errors[0] as { description: string }).description
      : `${problems.length} problems: ${errors.map((e) => e.description).join('; ')}`;
  return { message, errors, trackingId };
}
