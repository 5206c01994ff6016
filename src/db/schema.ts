import type { ColumnType, Generated, Insertable, JSONColumnType, Kysely, Selectable, Transaction } from 'kysely';
import type { ConsoleChatMessage } from '../contracts/console-session.js';
import type { TaskKind } from '../contracts/task-payloads.js';
import type { OutboundEventType } from '../contracts/webhook-subscriptions.js';
import type { AuthMode } from '../domain/auth-modes.js';
import type { ReportCategory, ReportStatus, ReportType } from '../domain/billing-reports.js';
import type { ChatTransport } from '../domain/chat-transports.js';
import type { ReviewKind, ReviewStatus } from '../domain/compliance/review-rules.js';
import type { DeliveryStatus } from '../domain/delivery-statuses.js';
import type { CustomerStatus, SubscriberStatus } from '../domain/lifecycle.js';
import type { PartnerState } from '../domain/partner-states.js';
import type { ReconciliationClass } from '../domain/reconciliation.js';
import type { InvoicePolicy } from '../domain/invoice-policies.js';
import type { StaffRole } from '../domain/staff-roles.js';

export type { ReportCategory, ReportStatus, ReportType, ReviewKind, ReviewStatus };

/** Written as a JS Date or ISO string, always read back as a Date (both drivers). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** `date` columns are parsed to 'YYYY-MM-DD' strings on both drivers (see create-db.ts). */
type CivilDate = string;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

export interface PartnersTable {
  id: string;
  org_id: string;
  name: string;
  parent_id: string | null;
  provisioning_state: PartnerState;
  subscription_id: string | null;
  billing_start_date: CivilDate | null;
  settings: Json<PartnerSettings>;
  created_at: Generated<Date>;
}

export interface PartnerSettings {
  enable_wholesale_delayed_billing?: boolean;
}

export interface ApiTokensTable {
  id: string;
  partner_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  scopes: Json<string[]>;
  created_at: Generated<Date>;
  revoked_at: NullableTimestamp;
}

export interface StaffTable {
  id: string;
  partner_id: string;
  email: string;
  display_name: string | null;
  role: StaffRole;
  created_at: Generated<Date>;
}

export interface OidcSignInsTable {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: Date;
  /** The hash of the address that began the sign-in ('' for rows from before it was kept). */
  client_key: Generated<string>;
}

export interface ConsoleSessionsTable {
  id_hash: string;
  partner_id: string;
  staff_id: string;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
}

export interface OnboardingTemplatesTable {
  id: string;
  partner_id: string;
  name: string;
  country: string;
  language: string;
  auth_mode: AuthMode;
  idp_entity_id: string | null;
  brand_name: string;
  pstn_provider: string | null;
  allow_admin_invite_emails: boolean;
  disable_webex_calling_1to1: boolean;
  created_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  partner_id: string | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: Json<object> | null;
  after: Json<object> | null;
  context: Json<Record<string, unknown>> | null;
}

export interface TelephonyCallInNumbersTable {
  country: string;
  position: number;
  number: string;
}

export interface StoredAddress {
  addressLine1: string;
  addressLine2?: string | undefined;
  city: string;
  stateOrProvince?: string | undefined;
  zipOrPostalCode?: string | undefined;
  country: string;
}

export interface StoredProblem {
  errorCode: number;
  description: string;
}

export interface CustomersTable {
  id: string;
  partner_id: string;
  external_id: string;
  org_id: string | null;
  attached_org: boolean;
  provisioning_id: string;
  name: string | null;
  primary_email: string | null;
  locale: string;
  meetings_locale: string;
  org_country: string;
  call_in_number: string | null;
  address: Json<StoredAddress>;
  packages: Json<string[]>;
  package_limits: Json<Record<string, number>>;
  provisioning_parameters: Json<Record<string, unknown>>;
  sub_partner_admin_email: string | null;
  billing_start_date: CivilDate | null;
  status: CustomerStatus;
  errors: Json<StoredProblem[]>;
  warnings: Json<StoredProblem[]>;
  request_fingerprint: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  status_changed_at: Timestamp;
  /** The instant the customer was provisioned, from which its usage bills (null: never yet). */
  billing_from: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Upstream mode: the customer's id in Webex Wholesale, once Webex accepted it. */
  webex_customer_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Upstream mode: Webex's per-package resourceDetails (JSON), as last read. */
  resource_details: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set while a re-screening hit is unresolved (the 30-day clock runs from here). */
  non_compliant_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The packages the org was created with (the admin's package level); null: unknown, read as the current packages. */
  created_packages: ColumnType<string[] | null, string | null | undefined, string | null>;
  /** Set when the customer was provisioned (or changed) without screening, no list being loaded; a list load screens it. */
  unscreened_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface LocationsTable {
  id: string;
  customer_id: string;
  name: string;
  address: Json<StoredAddress>;
  timezone: string;
  language: string;
  emergency_location_identifier: string | null;
  created_at: Timestamp;
  /** Upstream mode: the location's id in Webex (`/locations`), once Webex has it. */
  webex_location_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Upstream mode: `provisioning` until Webex has it, `error` when Webex refused it. */
  status: ColumnType<
    'provisioning' | 'provisioned' | 'error',
    'provisioning' | 'provisioned' | 'error' | undefined,
    'provisioning' | 'provisioned' | 'error'
  >;
  errors: ColumnType<StoredProblem[], string | undefined, string>;
}

export interface SubscribersTable {
  id: string;
  partner_id: string;
  customer_id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  /** The base package. */
  package: string;
  /** Add-ons held on top of the base package (each its own ledger slot). */
  addons: ColumnType<string[], string | undefined, string>;
  primary_phone_number: string | null;
  extension: string | null;
  location_id: string | null;
  is_admin: boolean;
  person_id: string | null;
  /** Upstream mode: the subscriber's id in Webex Wholesale. */
  webex_subscriber_id: ColumnType<string | null, string | null | undefined, string | null>;
  status: SubscriberStatus;
  errors: Json<StoredProblem[]>;
  created_at: Timestamp;
  last_status_change: Timestamp;
}

/** A customer's shared device (lobby, hallway, door phone) holding Common Area Calling. */
export interface WorkspacesTable {
  id: string;
  partner_id: string;
  customer_id: string;
  name: string;
  package: string;
  primary_phone_number: string | null;
  extension: string | null;
  location_id: string | null;
  /** Upstream mode: `provisioning`/`deleting` while a task carries it to Webex, `error` when Webex refused. */
  status: 'provisioning' | 'provisioned' | 'deleting' | 'error' | 'deleted';
  created_at: Timestamp;
  last_status_change: Timestamp;
  /** Upstream mode: the workspace's id in Webex (`/workspaces`). */
  webex_workspace_id: ColumnType<string | null, string | null | undefined, string | null>;
  errors: ColumnType<StoredProblem[], string | undefined, string>;
}

export interface PackageEventsTable {
  id: Generated<number>;
  /** The holder: exactly one of subscriber_id and workspace_id. */
  subscriber_id: string | null;
  workspace_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The stream: 'base' or an add-on's id. */
  slot: ColumnType<string, string | undefined, string>;
  customer_id: string;
  partner_id: string;
  package: string | null;
  effective_at: Timestamp;
  recorded_at: Timestamp;
  cause: string;
}

/** Background work of every kind (provisioning, report generation, re-screening): a lease queue. */
export interface TasksTable {
  id: Generated<number>;
  kind: TaskKind;
  entity_id: string;
  payload: Json<Record<string, unknown>>;
  /** `parked`: held until retried (Webex refused the desk's token), its attempts untouched. */
  status: Generated<'pending' | 'done' | 'failed' | 'parked'>;
  attempts: Generated<number>;
  run_after: Timestamp;
  locked_until: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
  /** A replaced signing key: still verifies until then. Null for a current secret. */
  retire_after: Date | null;
}

export interface BillingReportsTable {
  id: string;
  /** Whose usage: the requesting partner, or the sub-partner named by subPartnerOrgId. */
  partner_id: string;
  requested_by_partner_id: string;
  sub_partner_org_id: string | null;
  type: ReportType;
  category: ReportCategory;
  billing_start_date: CivilDate;
  billing_end_date: CivilDate;
  status: ReportStatus;
  errors: Json<{ code: number; description: string }[]>;
  row_count: number | null;
  created_by: string;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
  /** The header its stored rows were written under (a later release may order columns differently). */
  columns: Json<string[]>;
}

export interface BillingReportChunksTable {
  report_id: string;
  seq: number;
  lines: number;
  body: string;
}

export interface PriceBookTable {
  partner_id: string;
  effective_from: CivilDate;
  package: string;
  currency: string;
  monthly_price_minor: number;
  sku: string;
  policy: ColumnType<InvoicePolicy, InvoicePolicy | undefined, InvoicePolicy>;
  created_at: Timestamp;
}

export interface ReconciliationsTable {
  id: string;
  partner_id: string;
  billing_start_date: CivilDate;
  billing_end_date: CivilDate;
  report_type: ReportType;
  tolerance_units: number;
  file_lines: number;
  currency: string | null;
  price_from: CivilDate | null;
  source: 'upload' | 'chat' | 'webex';
  created_by: string;
  created_at: Timestamp;
}

export interface ReconciliationLinesTable {
  reconciliation_id: string;
  partner_id: string;
  package: string;
  /** USER: the subscriber or workspace; CUSTOMER: the customer's org id (external id without one); PARTNER: ''. */
  entity_id: string;
  location_id: string;
  customer_id: string | null;
  customer_ref: string | null;
  cisco_units: number | null;
  desk_units: number | null;
  diff_units: number;
  class: ReconciliationClass;
  money_minor: number | null;
}

export interface InboundEventsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  occurred_at: Timestamp;
  data: Json<Record<string, unknown>>;
  ordering_key: string;
  partner_id: string;
  status: Generated<'pending' | 'done' | 'failed'>;
  attempts: Generated<number>;
  run_after: Timestamp;
  locked_until: NullableTimestamp;
  last_error: string | null;
  result: Json<Record<string, unknown>> | null;
  received_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface WebhookSubscriptionsTable {
  id: string;
  partner_id: string;
  url: string;
  secret: string;
  /** Written only by insertWebhookSubscription, as the create contract validated them. */
  event_types: Json<OutboundEventType[]>;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
  /** Why today's rules refuse its URL (set at each start): nothing is queued for it while set. */
  disabled_reason: string | null;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  subscription_id: string;
  event_type: string;
  payload: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: NullableTimestamp;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: NullableTimestamp;
}

export interface WebhookDeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  at: Timestamp;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface ScreeningListVersionsTable {
  id: Generated<number>;
  loaded_at: Timestamp;
  loaded_by: string;
  entry_count: number;
  active: Generated<boolean>;
  /** Its names are in `screening_names` (a version loaded before screening moved into the database is indexed by a task). */
  names_indexed: Generated<boolean>;
}

/** One name (primary or alternate) of a list entry, normalised by the desk; pg_trgm indexes `normalized`. */
export interface ScreeningNamesTable {
  id: Generated<number>;
  version_id: number;
  entry_id: string;
  name: string;
  normalized: string;
}

export interface ScreeningEntriesTable {
  version_id: number;
  entry_id: string;
  source: string;
  name: string;
  alt_names: Json<string[]>;
  addresses: string;
  country: string | null;
}

export interface ComplianceReviewsTable {
  id: string;
  customer_id: string;
  partner_id: string;
  kind: ReviewKind;
  status: ReviewStatus;
  matches: Json<{ entryId: string; source: string; matchedName: string; score: number }[]>;
  /** The list version that hit; null for a `name_missing` hold, which no list was checked against. */
  list_version_id: number | null;
  opened_at: Timestamp;
  deadline_at: Timestamp;
  unanswered_contacts: Generated<number>;
  contacts: ColumnType<{ at: string; outcome: string; note: string | null; by: string }[], string | undefined, string>;
  decided_at: NullableTimestamp;
  decided_by: string | null;
  reason: string | null;
}

export interface BotProposalsTable {
  id: string;
  partner_id: string;
  space_id: string;
  actor: string;
  command: string;
  args: Json<Record<string, unknown>>;
  status: 'pending' | 'confirmed' | 'cancelled' | 'replaced';
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface BotSpacesTable {
  space_id: string;
  partner_id: string;
  transport: ChatTransport;
  title: string | null;
  bound_by: string;
  created_at: Timestamp;
}

export interface WebexInboxTable {
  key: string;
  payload: Json<Record<string, unknown>>;
  status: 'received' | 'done';
  received_at: Timestamp;
  handovers: Generated<number>;
  done_at: NullableTimestamp;
}

export interface DigestSubscriptionsTable {
  space_id: string;
  partner_id: string;
  local_time: string;
  time_zone: string;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JobRunsTable {
  job: string;
  period: string;
  status: 'running' | 'done' | 'failed';
  claimed_by: string;
  claimed_at: Timestamp;
  finished_at: NullableTimestamp;
  attempts: Generated<number>;
  error: string | null;
}

export interface ConsoleInboxTable {
  id: Generated<number>;
  partner_id: string;
  space_id: string;
  /** Written only by insertConsoleMessages, from chat messages of the contract's shape. */
  message: Json<ConsoleChatMessage>;
  created_at: Timestamp;
}

/** One `sync` of a partner with Webex Wholesale: the first imports, later ones report drift. */
export interface UpstreamSyncRunsTable {
  id: string;
  partner_id: string;
  mode: 'import' | 'drift';
  started_at: Timestamp;
  finished_at: Timestamp;
  started_by: string;
  summary: Json<Record<string, unknown>>;
}

export type DriftKind = 'only_webex' | 'only_desk' | 'status' | 'packages';

/** A difference between the desk and Webex found by a sync, open until adopted, pushed, or gone. */
export interface UpstreamDriftTable {
  id: string;
  partner_id: string;
  entity_type: 'customer' | 'subscriber' | 'workspace' | 'location';
  kind: DriftKind;
  /** The customer's externalId, or the subscriber's email in lower case. */
  subject: string;
  customer_external_id: string | null;
  desk_id: string | null;
  webex_id: string | null;
  webex_customer_id: string | null;
  desk_value: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  webex_value: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  status: 'open' | 'resolved';
  resolution: 'adopt' | 'push' | 'gone' | null;
  resolved_by: string | null;
  detected_at: Timestamp;
  last_seen_at: Timestamp;
  resolved_at: NullableTimestamp;
}

/** A sync requested through the API or chat, run in the background on the task queue, with its progress. */
export interface UpstreamSyncsTable {
  id: string;
  partner_id: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  requested_by: string;
  requested_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  heartbeat_at: NullableTimestamp;
  progress: ColumnType<Record<string, number>, string | undefined, string>;
  summary: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  errors: ColumnType<string[], string | undefined, string>;
}

/** Issued invoices (never updated or deleted: the database refuses it). */
export interface InvoiceCountersTable {
  partner_id: string;
  last_seq: number;
}

export interface IssuedInvoicesTable {
  partner_id: string;
  number: string;
  seq: number;
  customer_id: string;
  month: string;
  issued_at: Timestamp;
  issued_by: string;
  total_minor: ColumnType<number, number, never>;
  /** The IssuedInvoice JSON (src/contracts/issued-invoices.ts). */
  document: string;
}

/** What an issued invoice billed for a period, per package and price version (and holder, for adjustments). */
export interface InvoiceBilledItemsTable {
  partner_id: string;
  invoice_number: string;
  customer_id: string;
  period: string;
  kind: 'line' | 'adjustment';
  package: string;
  price_from: string;
  policy: InvoicePolicy;
  monthly_price_minor: ColumnType<number, number, never>;
  holder_id: string | null;
  seconds: ColumnType<number, number, never>;
  amount_minor: ColumnType<number, number, never>;
}

export interface InvoicePeriodChecksTable {
  partner_id: string;
  period: string;
  checked_at: Timestamp;
}

/**
 * Month totals read from the ledger (the dashboard's and digests' charges), kept with the fingerprint of
 * everything they were computed from: valid while the fingerprint is unchanged.
 */
export interface PartnerMonthTotalsTable {
  partner_id: string;
  /** What the body holds: 'charges' (PartnerCharges). */
  kind: string;
  /** The month ('2026-07') and the window's end, as the computation was asked. */
  period: string;
  fingerprint: string;
  body: ColumnType<unknown, string, string>;
  computed_at: Timestamp;
}

/** Appended by triggers on customers and subscribers: a partner's live rows of a kind are the sum of `n`. */
export interface LiveRowCountsTable {
  partner_id: string;
  kind: 'customers' | 'subscribers';
  n: ColumnType<string, number, number>;
}

/** A customer's kept month (the dashboard's and digests' charges), summed per partner: migration 2026-12-08-0200. */
export interface CustomerMonthChargesTable {
  partner_id: string;
  period: string;
  customer_id: string;
  name: string;
  external_id: string;
  amount_minor: ColumnType<string, number, number>;
  currency: string | null;
}

/** Per package of a customer's kept month: seconds held, the charge, whether no price version priced it. */
export interface CustomerMonthPackageChargesTable {
  partner_id: string;
  period: string;
  customer_id: string;
  package: string;
  seconds: ColumnType<string, number, number>;
  amount_minor: ColumnType<string, number, number>;
  unpriced: boolean;
}

/** Customers whose figures changed, with the id of the transaction that last changed them (written by triggers). */
export interface CustomerChargeMarksTable {
  customer_id: string;
  marked_xid: string;
}

export interface Database {
  partners: PartnersTable;
  api_tokens: ApiTokensTable;
  staff: StaffTable;
  oidc_sign_ins: OidcSignInsTable;
  console_sessions: ConsoleSessionsTable;
  onboarding_templates: OnboardingTemplatesTable;
  audit_log: AuditLogTable;
  telephony_call_in_numbers: TelephonyCallInNumbersTable;
  customers: CustomersTable;
  locations: LocationsTable;
  subscribers: SubscribersTable;
  package_events: PackageEventsTable;
  workspaces: WorkspacesTable;
  tasks: TasksTable;
  app_secrets: AppSecretsTable;
  billing_reports: BillingReportsTable;
  billing_report_chunks: BillingReportChunksTable;
  price_book: PriceBookTable;
  reconciliations: ReconciliationsTable;
  reconciliation_lines: ReconciliationLinesTable;
  inbound_events: InboundEventsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  screening_list_versions: ScreeningListVersionsTable;
  screening_entries: ScreeningEntriesTable;
  screening_names: ScreeningNamesTable;
  compliance_reviews: ComplianceReviewsTable;
  bot_proposals: BotProposalsTable;
  bot_spaces: BotSpacesTable;
  webex_inbox: WebexInboxTable;
  digest_subscriptions: DigestSubscriptionsTable;
  job_runs: JobRunsTable;
  console_inbox: ConsoleInboxTable;
  upstream_sync_runs: UpstreamSyncRunsTable;
  upstream_drift: UpstreamDriftTable;
  upstream_syncs: UpstreamSyncsTable;
  invoice_counters: InvoiceCountersTable;
  issued_invoices: IssuedInvoicesTable;
  invoice_billed_items: InvoiceBilledItemsTable;
  invoice_period_checks: InvoicePeriodChecksTable;
  release_history: ReleaseHistoryTable;
  partner_month_totals: PartnerMonthTotalsTable;
  live_row_counts: LiveRowCountsTable;
  customer_month_charges: CustomerMonthChargesTable;
  customer_month_package_charges: CustomerMonthPackageChargesTable;
  customer_charge_marks: CustomerChargeMarksTable;
}

/** Which release migrated the database, so an older release can name the newer one it meets. */
export interface ReleaseHistoryTable {
  migrated_at: Timestamp;
  /** The release: its newest migration's name. */
  release: string;
  applied: Json<string[]>;
}

/** Repositories take either the database or an open transaction, so callers choose the unit of work. */
export type Db = Kysely<Database> | Transaction<Database>;

export type PartnerRow = Selectable<PartnersTable>;
export type TemplateRow = Selectable<OnboardingTemplatesTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type SubscriberRow = Selectable<SubscribersTable>;
export type LocationRow = Selectable<LocationsTable>;
export type WorkspaceRow = Selectable<WorkspacesTable>;
export type BillingReportRow = Selectable<BillingReportsTable>;
export type ReconciliationRow = Selectable<ReconciliationsTable>;
export type ReviewRow = Selectable<ComplianceReviewsTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
export type DriftRow = Selectable<UpstreamDriftTable>;
