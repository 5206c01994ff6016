/**
 * Every expected failure in the product, by stable code. The HTTP and chat edges map these to
 * statuses, numeric Webex-style `errorCode`s and replies; nothing inside decides a status.
 */
export type ProblemCode =
  | 'invalid_request'
  | 'unknown_package'
  | 'package_not_for_subscribers'
  | 'package_not_on_customer'
  | 'package_requirement_missing'
  | 'package_limit_reached'
  | 'package_in_use'
  | 'one_package_required'
  | 'addon_base_missing'
  | 'workspace_not_found'
  | 'workspace_name_taken'
  | 'calling_parameters_missing'
  | 'unsupported_locale'
  | 'invalid_address'
  | 'invalid_country'
  | 'invalid_timezone'
  | 'timezone_required'
  | 'invalid_billing_start_date'
  | 'delayed_billing_disabled'
  | 'billing_already_started'
  | 'invalid_effective_at'
  | 'effective_at_before_creation'
  | 'email_in_use'
  | 'external_id_conflict'
  | 'customer_not_accepting'
  | 'customer_busy'
  | 'subscriber_busy'
  | 'name_contains_percent'
  | 'customer_info_required'
  | 'admin_package_level'
  | 'admin_package_downgrade'
  | 'extension_in_use'
  | 'phone_number_in_use'
  | 'template_not_found'
  | 'template_name_taken'
  | 'customer_not_found'
  | 'customer_ambiguous'
  | 'subscriber_not_found'
  | 'location_not_found'
  | 'sub_partner_not_found'
  | 'sub_partner_suspended'
  | 'unauthenticated'
  | 'missing_scope'
  | 'unsupported_media_type'
  | 'body_too_large'
  | 'malformed_body'
  | 'json_too_deep'
  | 'webex_signature_invalid'
  | 'signature_missing'
  | 'signature_malformed'
  | 'signature_mismatch'
  | 'signature_stale'
  | 'signature_future'
  | 'event_not_failed'
  | 'delivery_not_dead'
  | 'webhook_url_not_allowed'
  | 'not_found'
  | 'report_exists'
  | 'report_not_found'
  | 'download_link_invalid'
  | 'download_link_expired'
  | 'price_book_currency_mismatch'
  | 'screening_list_invalid'
  | 'billing_report_file_invalid'
  | 'reconciliation_not_found'
  | 'reconciliation_file_required'
  | 'upstream_report_failed'
  | 'upstream_report_pending'
  | 'upstream_download_refused'
  | 'upstream_download_failed'
  | 'upstream_unavailable'
  | 'upstream_refused'
  | 'review_not_found'
  | 'review_closed'
  | 'review_needs_name'
  | 'staff_not_found'
  | 'space_of_another_partner'
  | 'nothing_to_do'
  | 'rate_limited';

export interface Problem {
  code: ProblemCode;
  message: string;
  /** Dotted path of the offending input, when there is one. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (...problems: Problem[]): { ok: false; problems: Problem[] } => ({ ok: false, problems });
export const problem = (code: ProblemCode, message: string, field?: string): Problem =>
  field === undefined ? { code, message } : { code, message, field };
