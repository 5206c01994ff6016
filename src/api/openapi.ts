import { createRoute, type Hook, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import {
  approveBodySchema,
  consoleDashboardSchema,
  createTokenBodySchema,
  setStaffBodySchema,
  auditPageSchema,
  auditQuerySchema,
  consoleMessageSchema,
  contactBodySchema,
  createdSubscriptionResponseSchema,
  createReconciliationQuerySchema,
  createReportBodySchema,
  createSubscriberBodySchema,
  createSubscriptionBodySchema,
  createTemplateBodySchema,
  deliveryAttemptResponseSchema,
  deliveryResponseSchema,
  digestBodySchema,
  effectiveQuerySchema as effective,
  envelopeSchema,
  errorResponseSchema,
  inboundEventAcceptedSchema,
  inboxQuerySchema,
  invoicesQuerySchema,
  invoicesResponseSchema,
  issueInvoicesQuerySchema,
  issueInvoicesResponseSchema,
  issuedInvoiceSchema,
  listDeliveriesQuerySchema,
  listOf as list,
  listReconciliationsQuerySchema,
  listReportsQuerySchema,
  listReviewsQuerySchema,
  listSubPartnersQuerySchema,
  listSubscribersQuerySchema,
  onBehalfQuerySchema as onBehalf,
  pageQuerySchema,
  OUTBOUND_EVENT_SCHEMAS,
  OUTBOUND_EVENT_TYPES,
  precheckResponseSchema,
  priceBookBodySchema,
  reconciliationItemSchema,
  reconciliationLineSchema,
  reconciliationLinesQuerySchema,
  reconciliationSummarySchema,
  rejectBodySchema,
  reportIdResponseSchema,
  reportListItemSchema,
  reportResponseSchema,
  subscriberResponseSchema,
  subscriptionResponseSchema,
  upstreamStatusResponseSchema,
  listTasksQuerySchema,
  retryTasksQuerySchema,
  taskItemSchema,
  retryTasksResponseSchema,
  lastSyncResponseSchema,
  syncRunSchema,
  listDriftQuerySchema,
  driftItemSchema,
  updateSubscriberBodySchema,
  validateSubscriberBodySchema,
  createWorkspaceBodySchema,
  listWorkspacesQuerySchema,
  workspaceResponseSchema,
  consoleCustomersQuerySchema,
  consoleCustomerListSchema,
  dataNoticesResponseSchema,
  consoleSubscriberPrecheckAnswerSchema,
  consoleSubscriberPrecheckSchema,
} from '../contracts/index.js';
import { mergeShapeAndRuleProblems } from '../domain/customer-rules-on-raw.js';
import type { Problem } from '../domain/problems.js';
import type { Scope } from '../domain/scopes.js';
import type { AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import type { DocumentedRoute } from './query-parameters.js';
import { issuesToProblems, queryProblems, rawQueryOf, readJsonText } from './read-body.js';

/** The groups `/docs` shows the operations in, in this order, each saying what its operations are for. */
export const API_TAGS = [
  {
    name: 'Customers',
    description:
      "Webex Wholesale customers: create (asynchronous: 202, then poll the customer until it settles), read, update, delete, precheck, and the customer's locations.",
  },
  {
    name: 'Subscribers',
    description:
      'Webex Wholesale subscribers: one base package plus add-ons, prechecks, and the consent email of a user pending migration.',
  },
  { name: 'Workspaces', description: "The desk's own workspaces (a lobby or common-area phone) holding Common Area Calling." },
  {
    name: 'Partner setup',
    description: 'Sub-partners with their billing start, and the onboarding templates customers are created under.',
  },
  {
    name: 'Billing reports',
    description:
      'Webex Wholesale billing reports (PARTNER, CUSTOMER, USER: daily usage per package) and their signed, short-lived download links.',
  },
  {
    name: 'Invoices and price book',
    description:
      "The SP's own invoices: the price book, a month's invoice (to date while it runs), issuing an ended month, and issued invoices as JSON, PDF or CSV.",
  },
  {
    name: 'Reconciliation',
    description: "Cisco's billing report for a period set beside the desk's own figures, with every difference priced.",
  },
  {
    name: 'Compliance',
    description:
      'Restricted-party screening: the screening list (root partner), the review queue, approvals, rejections and contact attempts.',
  },
  {
    name: 'Upstream (Webex)',
    description:
      'The connection to Webex Wholesale: its state, sync (import, then drift), adopting or pushing a drift item, and the last sync the console shows.',
  },
  {
    name: 'Held and failed tasks',
    description: 'Background work that stopped (held while Webex refuses the token, failed after its attempts): list it and retry it.',
  },
  {
    name: 'Inbound events',
    description: 'Events a back office posts, signed with Webhook-Signature (EVENTS_SECRETS); the failed ones, replay and counts.',
  },
  {
    name: 'Webhook subscriptions',
    description: 'Outbound webhooks: subscriptions, their deliveries and attempts, replay of a dead delivery.',
  },
  {
    name: 'Console',
    description:
      'What the web console sends and reads: chat messages, the dashboard, the customer table and page, the inbox and the audit log.',
  },
  { name: 'Digests', description: 'Daily and monthly digests a space subscribes to, at a local time.' },
  { name: 'Data notices', description: "Stored data today's rules refuse (found at upgrade), each kind with the request that fixes it." },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];

/**
 * One operation's contract, written next to its handler and turned into a route by `contract()`: the
 * OpenAPI document, the request validation and the handler's input types all come from it.
 */
export interface RouteSpec<
  P extends string = string,
  Q extends z.ZodObject | undefined = z.ZodObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path template, relative to the router it is registered on (`/{customerId}`). */
  path: P;
  /** Stable, camelCase, verb-first: client generators name their methods after it. */
  operationId: string;
  /** The group `/docs` lists it under. */
  tag: ApiTag;
  summary: string;
  /**
   * How the caller proves who it is: a bearer API token (with `scope` when one is required; the console
   * takes any valid token), the HMAC `Webhook-Signature` header (inbound events), or nothing but the
   * signed query of the URL itself (download links).
   */
  auth?: 'bearer' | 'signature' | 'none';
  /** Checked first (requireScope), before the request is validated. */
  scope?: Scope;
  /** Validated before the handler runs (answerInvalidRequest); the handler reads `c.req.valid('query')`. */
  query?: Q;
  /** Query parameters the handler reads itself, without a contract (the download link's signature). */
  parameters?: readonly { name: string; description: string; schema: Record<string, unknown> }[];
  /** A JSON body, read (415, malformed, NUL, depth) and validated before the handler runs: `c.req.valid('json')`. */
  body?: B;
  /** Rules still checkable on a body whose shape is wrong: reported with the shape errors. */
  rulesOnRaw?: (raw: unknown) => Problem[];
  /** A request body that is not JSON (an uploaded CSV): read by the handler. */
  bodyContent?: { type: string; description: string; optional?: boolean };
  status: number;
  response?: z.ZodType;
  /** A success body that is not JSON. */
  responseContent?: { type: string; description: string };
  /** Other forms of the JSON response, chosen by Accept (unacceptable: 406). */
  alsoContent?: readonly { type: string; description: string }[];
  /**
   * Failures of the operation itself that no middleware gives: a conflict its use-case reports (409), Webex
   * failing behind it (502). The rest are derived from the contract (errorStatusesOf).
   */
  errors?: readonly (409 | 502)[];
  /** Run after the scope check, before the request is validated. */
  middleware?: readonly MiddlewareHandler<AppEnv>[];
}

/**
 * The operations of routers not yet moved to `contract()` (each router moves its entries next to its
 * handlers; this list ends empty and goes).
 */
const NOT_YET_CONVERTED: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/wholesale/subPartners',
    operationId: 'listSubPartners',
    tag: 'Partner setup',
    summary: 'List sub-partners',
    scope: 'spark-admin:wholesale_customers_read',
    query: listSubPartnersQuerySchema,
    status: 200,
  },
  {
    method: 'get',
    path: '/wholesale/onboardingTemplates',
    operationId: 'listOnboardingTemplates',
    tag: 'Partner setup',
    summary: 'List onboarding templates',
    scope: 'spark-admin:wholesale_customers_read',
    status: 200,
  },
  {
    method: 'post',
    path: '/wholesale/onboardingTemplates',
    operationId: 'createOnboardingTemplate',
    tag: 'Partner setup',
    summary: 'Create an onboarding template',
    scope: 'wholesale-desk:admin',
    body: createTemplateBodySchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/wholesale/billing/reports',
    operationId: 'listBillingReports',
    tag: 'Billing reports',
    summary: 'List billing reports (filters match exactly)',
    scope: 'spark-admin:wholesale_billing_reports_read',
    query: listReportsQuerySchema,
    status: 200,
    response: list(reportListItemSchema),
  },
  {
    method: 'post',
    path: '/wholesale/billing/reports',
    operationId: 'createBillingReport',
    tag: 'Billing reports',
    summary: 'Create a billing report (generated asynchronously)',
    scope: 'spark-admin:wholesale_billing_reports_write',
    body: createReportBodySchema,
    status: 200,
    response: reportIdResponseSchema,
  },
  {
    method: 'get',
    path: '/wholesale/billing/reports/{id}',
    operationId: 'getBillingReport',
    tag: 'Billing reports',
    summary: 'Get a billing report with its 30-minute tempDownloadURL',
    scope: 'spark-admin:wholesale_billing_reports_read',
    status: 200,
    response: reportResponseSchema,
  },
  {
    method: 'delete',
    path: '/wholesale/billing/reports/{id}',
    operationId: 'deleteBillingReport',
    tag: 'Billing reports',
    summary: 'Delete a billing report (its download link dies with it)',
    scope: 'spark-admin:wholesale_billing_reports_write',
    status: 204,
  },
  {
    method: 'post',
    path: '/wholesale/billing/reports/{id}/regenerate',
    operationId: 'regenerateBillingReport',
    tag: 'Billing reports',
    summary: 'Generate a finished report again under the same id (a stale one: its period changed after it was made)',
    scope: 'spark-admin:wholesale_billing_reports_write',
    status: 200,
    response: reportIdResponseSchema,
  },
  {
    method: 'get',
    path: '/downloads/billing-reports/{id}',
    operationId: 'downloadBillingReport',
    tag: 'Billing reports',
    summary:
      "A billing report's CSV: the tempDownloadURL of GET /wholesale/billing/reports/{id} (the signed URL is the credential; no bearer token)",
    auth: 'none',
    parameters: [
      {
        name: 'expires',
        description: 'Unix seconds when the link expires (links live 30 minutes)',
        schema: { type: 'string', pattern: '^\\d{1,12}$' },
      },
      {
        name: 'signature',
        description: 'HMAC-SHA256 of the report id and `expires`, hex',
        schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    ],
    status: 200,
    responseContent: { type: 'text/csv', description: 'The report as CSV (Content-Disposition: attachment)' },
  },
  {
    method: 'get',
    path: '/billing/price-book',
    operationId: 'listPriceBookVersions',
    tag: 'Invoices and price book',
    summary: "The SP's price book versions",
    scope: 'spark-admin:wholesale_billing_reports_read',
    query: onBehalf,
    status: 200,
  },
  {
    method: 'put',
    path: '/billing/price-book',
    operationId: 'putPriceBookVersion',
    tag: 'Invoices and price book',
    summary: 'Store a price book version (complete list from effectiveFrom on)',
    scope: 'wholesale-desk:admin',
    body: priceBookBodySchema,
    query: onBehalf,
    status: 200,
  },
  {
    method: 'post',
    path: '/events',
    operationId: 'receiveEvent',
    tag: 'Inbound events',
    auth: 'signature',
    summary: 'Inbound event from a back-office system (signed with Webhook-Signature; no bearer token)',
    body: envelopeSchema,
    status: 202,
    response: inboundEventAcceptedSchema,
  },
  {
    method: 'get',
    path: '/events/failed',
    operationId: 'listFailedEvents',
    tag: 'Inbound events',
    summary: 'Inbound events parked after failing',
    scope: 'wholesale-desk:admin',
    query: pageQuerySchema,
    status: 200,
  },
  {
    method: 'post',
    path: '/events/{id}/replay',
    operationId: 'replayEvent',
    tag: 'Inbound events',
    summary: 'Queue a parked inbound event again',
    scope: 'wholesale-desk:admin',
    status: 202,
  },
  {
    method: 'get',
    path: '/events/stats',
    operationId: 'getEventStats',
    tag: 'Inbound events',
    summary: 'Inbound events by state',
    scope: 'wholesale-desk:admin',
    status: 200,
  },
  {
    method: 'post',
    path: '/webhooks',
    operationId: 'createWebhookSubscription',
    tag: 'Webhook subscriptions',
    summary: 'Subscribe a public http(s) URL to outbound events (the secret is returned once; see WEBHOOK_ALLOWED_HOSTS)',
    scope: 'wholesale-desk:admin',
    body: createSubscriptionBodySchema,
    status: 201,
    response: createdSubscriptionResponseSchema,
  },
  {
    method: 'get',
    path: '/webhooks',
    operationId: 'listWebhookSubscriptions',
    tag: 'Webhook subscriptions',
    summary: 'Outbound webhook subscriptions',
    scope: 'wholesale-desk:admin',
    status: 200,
    response: list(subscriptionResponseSchema),
  },
  {
    method: 'delete',
    path: '/webhooks/{id}',
    operationId: 'deleteWebhookSubscription',
    tag: 'Webhook subscriptions',
    summary: 'Remove a subscription',
    scope: 'wholesale-desk:admin',
    status: 204,
  },
  {
    method: 'get',
    path: '/data-notices',
    operationId: 'listDataNotices',
    tag: 'Data notices',
    summary:
      "Stored data today's rules refuse (made under an older release's rules; billed as before): each kind counted, with the request that fixes it; disabled webhook subscriptions for admins",
    scope: 'spark-admin:wholesale_subscribers_read',
    status: 200,
    response: dataNoticesResponseSchema,
  },
  {
    method: 'get',
    path: '/webhooks/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'Webhook subscriptions',
    summary: 'Deliveries (status=pending|delivered|dead|cancelled, subscriptionId)',
    scope: 'wholesale-desk:admin',
    query: listDeliveriesQuerySchema,
    status: 200,
    response: list(deliveryResponseSchema),
  },
  {
    method: 'get',
    path: '/webhooks/deliveries/{id}/attempts',
    operationId: 'listWebhookDeliveryAttempts',
    tag: 'Webhook subscriptions',
    summary: 'The delivery log of one delivery',
    scope: 'wholesale-desk:admin',
    status: 200,
    response: list(deliveryAttemptResponseSchema),
  },
  {
    method: 'post',
    path: '/webhooks/deliveries/{id}/replay',
    operationId: 'replayWebhookDelivery',
    tag: 'Webhook subscriptions',
    summary: 'Deliver a dead delivery again',
    scope: 'wholesale-desk:admin',
    status: 202,
  },
  {
    method: 'post',
    path: '/compliance/screening-list',
    operationId: 'loadScreeningList',
    tag: 'Compliance',
    summary: 'Load a screening list (text/csv, CSL column naming)',
    scope: 'wholesale-desk:admin',
    status: 201,
  },
  {
    method: 'get',
    path: '/compliance/reviews',
    operationId: 'listComplianceReviews',
    tag: 'Compliance',
    summary: 'The review queue',
    scope: 'wholesale-desk:compliance_read',
    query: listReviewsQuerySchema,
    status: 200,
  },
  {
    method: 'post',
    path: '/compliance/reviews/{id}/approve',
    operationId: 'approveComplianceReview',
    tag: 'Compliance',
    summary: 'Clear a screening hit',
    scope: 'wholesale-desk:compliance_decide',
    body: approveBodySchema,
    status: 200,
  },
  {
    method: 'post',
    path: '/compliance/reviews/{id}/reject',
    operationId: 'rejectComplianceReview',
    tag: 'Compliance',
    summary: 'Confirm a screening hit (reason required)',
    scope: 'wholesale-desk:compliance_decide',
    body: rejectBodySchema,
    status: 200,
  },
  {
    method: 'post',
    path: '/compliance/reviews/{id}/contact-attempts',
    operationId: 'recordContactAttempt',
    tag: 'Compliance',
    summary: 'Record an attempt to reach the partner',
    scope: 'wholesale-desk:compliance_decide',
    body: contactBodySchema,
    status: 200,
  },
  {
    method: 'post',
    path: '/console/messages',
    operationId: 'sendConsoleMessage',
    tag: 'Console',
    auth: 'bearer',
    summary: "The web console's chat: a command (or a submitted card) in, the bot's replies out",
    body: consoleMessageSchema,
    status: 200,
  },
  {
    method: 'get',
    path: '/console/dashboard',
    operationId: 'getConsoleDashboard',
    tag: 'Console',
    auth: 'bearer',
    summary: "Customers by status, the review queue and this month's charges so far",
    status: 200,
    response: consoleDashboardSchema,
  },
  {
    method: 'get',
    path: '/console/customers',
    operationId: 'listConsoleCustomers',
    tag: 'Console',
    summary: "The console's customer table: search, status and package filters, sort and a page, with the total",
    scope: 'spark-admin:wholesale_customers_read',
    query: consoleCustomersQuerySchema,
    status: 200,
    response: consoleCustomerListSchema,
  },
  {
    method: 'get',
    path: '/console/customers/{customerId}',
    operationId: 'getConsoleCustomer',
    tag: 'Console',
    summary:
      "The console's customer page in one call: status history, packages with limits and use, locations, subscribers, workspaces, compliance, audit trail, 30 days of licences and this month's invoice to date",
    scope: 'spark-admin:wholesale_customers_read',
    query: onBehalf,
    status: 200,
  },
  {
    method: 'get',
    path: '/console/inbox',
    operationId: 'readConsoleInbox',
    tag: 'Console',
    auth: 'bearer',
    summary: 'Messages the bot posted to this console session on its own (digests)',
    query: inboxQuerySchema,
    status: 200,
  },
  {
    method: 'post',
    path: '/console/subscribers/precheck',
    operationId: 'validateConsoleSubscriberChange',
    tag: 'Console',
    summary: 'Checks adding, changing or removing a user as the chat does before it asks to confirm (nothing is written)',
    scope: 'spark-admin:wholesale_subscribers_write',
    body: consoleSubscriberPrecheckSchema,
    status: 200,
    response: consoleSubscriberPrecheckAnswerSchema,
  },
  {
    method: 'get',
    path: '/console/audit',
    operationId: 'listConsoleAudit',
    tag: 'Console',
    summary: "The partner's audit log, newest first: filter by actor, entity and time (paged, Link rel=next)",
    scope: 'wholesale-desk:admin',
    query: auditQuerySchema,
    status: 200,
    response: auditPageSchema,
  },
  {
    method: 'get',
    path: '/digests',
    operationId: 'listDigests',
    tag: 'Digests',
    summary: 'Digest subscriptions of the chat spaces',
    scope: 'wholesale-desk:admin',
    status: 200,
  },
  {
    method: 'put',
    path: '/digests/{spaceId}',
    operationId: 'putDigest',
    tag: 'Digests',
    summary: 'Post the daily digest (and the monthly one on the 1st) to a space at a local time',
    scope: 'wholesale-desk:admin',
    body: digestBodySchema,
    status: 200,
  },
  {
    method: 'delete',
    path: '/digests/{spaceId}',
    operationId: 'deleteDigest',
    tag: 'Digests',
    summary: "Stop a space's digests",
    scope: 'wholesale-desk:admin',
    status: 204,
  },
  {
    method: 'post',
    path: '/billing/reconciliations',
    operationId: 'createReconciliation',
    tag: 'Reconciliation',
    summary:
      "Reconcile Cisco's billing report against the desk's ledger for the period: the text/csv body, or (source=webex, or no body) fetched from Webex Wholesale in upstream mode",
    scope: 'spark-admin:wholesale_billing_reports_write',
    query: createReconciliationQuerySchema,
    bodyContent: {
      type: 'text/csv',
      description:
        "Cisco's PARTNER, CUSTOMER or USER billing report, as downloaded (columns by name, any order; at most RECONCILIATION_MAX_BYTES, 4 GiB by default, streamed). Without it (and with source=webex), the desk creates the report in Webex, waits until it is COMPLETED and downloads it",
      optional: true,
    },
    status: 201,
    response: reconciliationSummarySchema,
  },
  {
    method: 'get',
    path: '/billing/reconciliations',
    operationId: 'listReconciliations',
    tag: 'Reconciliation',
    summary: 'Reconciliations, newest first',
    scope: 'spark-admin:wholesale_billing_reports_read',
    query: listReconciliationsQuerySchema,
    status: 200,
    response: list(reconciliationItemSchema),
  },
  {
    method: 'get',
    path: '/billing/reconciliations/{id}',
    operationId: 'getReconciliation',
    tag: 'Reconciliation',
    summary: 'A reconciliation: counts per class, money at stake, per package and per customer',
    scope: 'spark-admin:wholesale_billing_reports_read',
    status: 200,
    response: reconciliationSummarySchema,
  },
  {
    method: 'get',
    path: '/billing/reconciliations/{id}/lines',
    operationId: 'listReconciliationLines',
    tag: 'Reconciliation',
    summary: "A reconciliation's lines, paged, optionally of some classes",
    scope: 'spark-admin:wholesale_billing_reports_read',
    query: reconciliationLinesQuerySchema,
    status: 200,
    response: list(reconciliationLineSchema),
  },
  {
    method: 'get',
    path: '/billing/reconciliations/{id}/differences',
    operationId: 'downloadReconciliationDifferences',
    tag: 'Reconciliation',
    summary: "A reconciliation's differences as CSV",
    scope: 'spark-admin:wholesale_billing_reports_read',
    status: 200,
    responseContent: { type: 'text/csv', description: 'Every line that is not a match (Content-Disposition: attachment)' },
  },
  {
    method: 'get',
    path: '/upstream/status',
    operationId: 'getUpstreamStatus',
    tag: 'Upstream (Webex)',
    summary: 'Standalone or upstream (Webex Wholesale), and the connection: circuit, calls in flight, last error',
    scope: 'spark-admin:wholesale_customers_read',
    status: 200,
    response: upstreamStatusResponseSchema,
  },
  {
    method: 'post',
    path: '/upstream/sync',
    operationId: 'createUpstreamSync',
    tag: 'Upstream (Webex)',
    summary:
      "Start a sync with Webex Wholesale in the background (202, Location of the run; a sync already queued or running is joined): the partner's first sync imports, later ones report drift",
    scope: 'wholesale-desk:admin',
    query: onBehalf,
    status: 202,
    response: syncRunSchema,
  },
  {
    method: 'get',
    path: '/upstream/syncs/{id}',
    operationId: 'getUpstreamSync',
    tag: 'Upstream (Webex)',
    summary: 'A sync run: its state, pages read, customers and subscribers seen, imported, drift found, errors',
    scope: 'spark-admin:wholesale_customers_read',
    query: onBehalf,
    status: 200,
    response: syncRunSchema,
  },
  {
    method: 'get',
    path: '/upstream/drift',
    operationId: 'listUpstreamDrift',
    tag: 'Upstream (Webex)',
    summary: 'Differences between the desk and Webex Wholesale found by sync, oldest first, paged',
    scope: 'spark-admin:wholesale_customers_read',
    query: listDriftQuerySchema,
    status: 200,
    response: list(driftItemSchema),
  },
  {
    method: 'post',
    path: '/upstream/drift/{id}/adopt',
    operationId: 'updateDeskFromDrift',
    tag: 'Upstream (Webex)',
    summary: "Resolve a drift item by making the desk hold Webex's state",
    scope: 'wholesale-desk:admin',
    query: onBehalf,
    status: 200,
    response: driftItemSchema,
  },
  {
    method: 'post',
    path: '/upstream/drift/{id}/push',
    operationId: 'updateWebexFromDrift',
    tag: 'Upstream (Webex)',
    summary: "Resolve a drift item by making Webex hold the desk's state (through the provisioning tasks where there is one)",
    scope: 'wholesale-desk:admin',
    query: onBehalf,
    status: 200,
    response: driftItemSchema,
  },
  {
    method: 'get',
    path: '/tasks',
    operationId: 'listTasks',
    tag: 'Held and failed tasks',
    summary: 'Held (parked: Webex refused the token) and failed background tasks, oldest first, paged',
    scope: 'spark-admin:wholesale_customers_read',
    query: listTasksQuerySchema,
    status: 200,
    response: list(taskItemSchema),
  },
  {
    method: 'post',
    path: '/tasks/retry',
    operationId: 'replayStoppedTasks',
    tag: 'Held and failed tasks',
    summary: "Retry the partner's held and failed tasks (optionally one state, kind or customer): each record is back in progress",
    scope: 'wholesale-desk:admin',
    query: retryTasksQuerySchema,
    status: 200,
    response: retryTasksResponseSchema,
  },
  {
    method: 'post',
    path: '/tasks/{id}/retry',
    operationId: 'replayTask',
    tag: 'Held and failed tasks',
    summary: 'Retry one held or failed task',
    scope: 'wholesale-desk:admin',
    status: 200,
    response: taskItemSchema,
  },
  {
    method: 'get',
    path: '/console/upstream/last-sync',
    operationId: 'getConsoleLastSync',
    tag: 'Upstream (Webex)',
    summary: "The console's Upstream page: the partner's latest sync with Webex Wholesale (null before the first)",
    scope: 'spark-admin:wholesale_customers_read',
    query: onBehalf,
    status: 200,
    response: lastSyncResponseSchema,
  },
  {
    method: 'get',
    path: '/console/access/staff',
    operationId: 'listConsoleStaff',
    tag: 'Console',
    summary: "The console's Staff & tokens page: who of the partner signs in to the console, with which role",
    scope: 'wholesale-desk:admin',
    status: 200,
  },
  {
    method: 'put',
    path: '/console/access/staff',
    operationId: 'putConsoleStaff',
    tag: 'Console',
    summary: "Add a person to the partner's staff, or change their role (as `npm run cli -- staff add`)",
    scope: 'wholesale-desk:admin',
    body: setStaffBodySchema,
    status: 200,
  },
  {
    method: 'delete',
    path: '/console/access/staff/{id}',
    operationId: 'deleteConsoleStaff',
    tag: 'Console',
    summary: 'Remove a staff entry of the partner (their console sessions end); never your own (409, errorCode 4203)',
    scope: 'wholesale-desk:admin',
    status: 204,
  },
  {
    method: 'get',
    path: '/console/access/tokens',
    operationId: 'listConsoleTokens',
    tag: 'Console',
    summary: "The partner's API tokens (prefix, scopes, state; never the token) and the scopes the caller may grant",
    scope: 'wholesale-desk:admin',
    status: 200,
  },
  {
    method: 'post',
    path: '/console/access/tokens',
    operationId: 'createConsoleToken',
    tag: 'Console',
    summary: "A new API token of the partner with at most the caller's own scopes (403, errorCode 4201); the token is in this answer only",
    scope: 'wholesale-desk:admin',
    body: createTokenBodySchema,
    status: 201,
  },
  {
    method: 'delete',
    path: '/console/access/tokens/{id}',
    operationId: 'deleteConsoleToken',
    tag: 'Console',
    summary: 'Revoke an active API token of the partner (404, errorCode 4200, when it has none with this id)',
    scope: 'wholesale-desk:admin',
    status: 204,
  },
  {
    method: 'get',
    path: '/billing/invoices',
    operationId: 'getInvoice',
    tag: 'Invoices and price book',
    summary:
      "Issued invoices, newest first (filters customer, month, number, status; paged {items}); with customerId and month instead, that customer's invoice for the month as computed (issued figures once issued; JSON, or CSV with Accept: text/csv)",
    scope: 'spark-admin:wholesale_billing_reports_read',
    query: invoicesQuerySchema,
    response: invoicesResponseSchema,
    status: 200,
  },
  {
    method: 'post',
    path: '/billing/invoices/issue',
    operationId: 'issueInvoices',
    tag: 'Invoices and price book',
    summary:
      'Issue an ended month: one numbered invoice per customer with usage or adjustments owed and none yet for the month (idempotent: a second call issues only what is missing)',
    scope: 'wholesale-desk:admin',
    query: issueInvoicesQuerySchema,
    response: issueInvoicesResponseSchema,
    status: 200,
  },
  {
    method: 'get',
    path: '/billing/invoices/{number}',
    operationId: 'getIssuedInvoice',
    tag: 'Invoices and price book',
    summary:
      'One issued invoice by its number, as issued (it never changes): JSON, or with Accept: application/pdf the PDF, text/csv the CSV (Content-Disposition: attachment, named after the number)',
    scope: 'spark-admin:wholesale_billing_reports_read',
    query: onBehalf,
    response: issuedInvoiceSchema,
    alsoContent: [
      { type: 'application/pdf', description: 'The invoice as a PDF document (A4)' },
      { type: 'text/csv', description: 'The invoice as CSV: line, adjustment, subtotal, adjustments and total records' },
    ],
    status: 200,
  },
];

type ErrorStatus = 400 | 401 | 403 | 404 | 406 | 409 | 413 | 415 | 429 | 502 | 503;

/**
 * The errors an operation can really answer, from its contract: every /v1 request may be refused (400: an
 * unknown query parameter, NUL in the URL), rate limited (429) or meet the database down (503); a bearer token
 * may be missing (401) or lack the scope, the CSRF token or an active partner (403); the signature of an
 * inbound event may be wrong (401), a download link altered or expired (403); an id in the path or a
 * sub-partner acted for may not exist (404); a body may be too large (413) or not JSON (415); a choice by
 * Accept may be unacceptable (406); and the operation's own `errors` (409, 502).
 */
export function errorStatusesOf(spec: RouteSpec): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>([400, 429, 503]);
  const auth = spec.auth ?? 'bearer';
  if (auth === 'bearer') for (const s of [401, 403] as const) statuses.add(s);
  if (auth === 'signature') statuses.add(401);
  if (auth === 'none') statuses.add(403);
  if (/\{\w+\}/.test(spec.path) || (spec.query && 'onBehalfOfSubPartnerOrgId' in spec.query.shape)) statuses.add(404);
  if (spec.alsoContent) statuses.add(406);
  if (spec.body || spec.bodyContent) for (const s of [413, 415] as const) statuses.add(s);
  for (const s of spec.errors ?? []) statuses.add(s);
  return [...statuses].sort((a, b) => a - b);
}

/** An empty list means no credential beyond the request itself (the download link signs its own URL). */
function securityOf(spec: RouteSpec): Record<string, string[]>[] {
  const auth = spec.auth ?? 'bearer';
  if (auth === 'none') return [];
  if (auth === 'signature') return [{ webhookSignature: [] }];
  return [{ bearer: spec.scope ? [spec.scope] : [] }];
}

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** What `c.req.valid()` holds for a contract: its query and JSON body, typed by their schemas. */
type RequestOf<Q, B> = (Q extends z.ZodObject ? { query: Q } : unknown) &
  (B extends z.ZodType ? { body: { required: true; content: { 'application/json': { schema: B } } } } : unknown);

export type ContractRoute<P extends string, Q, B> = Omit<RouteConfig, 'path' | 'request'> & {
  path: P;
  request: RequestOf<Q, B>;
  middleware: MiddlewareHandler<AppEnv>[];
};

/** Path parameters of an OpenAPI path template, in order. */
const pathParameters = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/**
 * A route from its contract (`createRoute` of @hono/zod-openapi): register it with `router.openapi(route,
 * handler)`; its query and body are validated before the handler, and the document is built from it.
 */
export function contract<
  const P extends string,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): ContractRoute<P, Q, B> {
  const params = pathParameters(spec.path);
  const success = spec.response
    ? {
        description: spec.alsoContent
          ? `Success: ${['application/json', ...spec.alsoContent.map((o) => o.type)].join(', ')} by Accept`
          : 'Success',
        content: {
          'application/json': { schema: spec.response },
          ...Object.fromEntries((spec.alsoContent ?? []).map((o) => [o.type, { schema: { type: 'string', description: o.description } }])),
        },
      }
    : spec.responseContent
      ? { description: spec.responseContent.description, content: { [spec.responseContent.type]: { schema: { type: 'string' } } } }
      : { description: 'Success' };
  const responses: Record<string, unknown> = { [String(spec.status)]: success };
  for (const s of errorStatusesOf(spec)) responses[String(s)] = { description: 'Error', content: ERROR_CONTENT };
  const route = createRoute({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    security: securityOf(spec),
    ...(spec.scope ? { 'x-required-scope': spec.scope } : {}),
    ...(spec.parameters ? { parameters: spec.parameters.map((p) => ({ ...p, in: 'query' as const, required: true })) } : {}),
    middleware: [
      ...(spec.scope ? [requireScope(spec.scope)] : []),
      ...(spec.middleware ?? []),
      ...(spec.body ? [readJsonGate(spec.rulesOnRaw)] : []),
    ],
    request: {
      ...(params.length ? { params: z.object(Object.fromEntries(params.map((name) => [name, z.string()]))) } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body
        ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } }
        : spec.bodyContent
          ? {
              body: {
                required: !spec.bodyContent.optional,
                description: spec.bodyContent.description,
                content: { [spec.bodyContent.type]: { schema: { type: 'string' as const } } },
              },
            }
          : {}),
    },
    responses: responses as RouteConfig['responses'],
  });
  return route as unknown as ContractRoute<P, Q, B>;
}

/** Rules on the raw body of the request being validated (a route's `rulesOnRaw`), for the validation hook. */
const rulesOnRawOf = new WeakMap<Request, (raw: unknown) => Problem[]>();

/**
 * Runs before the body validator: what `readJsonBody` checked before the schema (415 when not JSON,
 * malformed JSON, NUL, nesting depth), answered as today's problems, never as the validator's own errors.
 */
function readJsonGate(rulesOnRaw?: (raw: unknown) => Problem[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = await readJsonText(c);
    if (!raw.ok) return respondProblems(c, raw.problems);
    if (rulesOnRaw) rulesOnRawOf.set(c.req.raw, rulesOnRaw);
    await next();
  };
}

/** A failed validation answered as the desk always has: one problem per bad field, Webex's error shape. */
const answerInvalidRequest: Hook<unknown, AppEnv, string, Response | undefined> = (result, c) => {
  if (result.success) return undefined;
  if (result.target === 'query') return respondProblems(c, queryProblems(result.error, rawQueryOf(c)));
  const shape = issuesToProblems(result.error);
  const rulesOnRaw = result.target === 'json' ? rulesOnRawOf.get(c.req.raw) : undefined;
  if (!rulesOnRaw) return respondProblems(c, shape);
  return respondProblems(c, mergeShapeAndRuleProblems(shape, rulesOnRaw((result as unknown as { data: unknown }).data)));
};

/** A router of /v1 operations: each registered with `openapi(contract(…), handler)`, failed validations answered as problems. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: answerInvalidRequest });

export type RegisteredRoute = RouteConfig & { operationId?: string; parameters?: { name: string }[] };

const isZodSchema = (schema: unknown): schema is z.ZodType => schema instanceof z.ZodType;

/** One operation of the document, rendered the way the desk always has (zod's own JSON Schema, inputs as input). */
function renderOperation(route: RegisteredRoute) {
  const { method: _method, path, request, responses, parameters: extra, ...operation } = route;
  const query = request?.query as z.ZodObject | undefined;
  const pathParams = pathParameters(path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const queryParams = query
    ? Object.entries(query.shape).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: z.toJSONSchema(schema as z.ZodType, { io: 'input' }),
      }))
    : [];
  const bodyContent = request?.body?.content ?? {};
  const requestBody = request?.body
    ? {
        required: request.body.required,
        ...(request.body.description ? { description: request.body.description } : {}),
        content: Object.fromEntries(
          Object.entries(bodyContent as Record<string, { schema?: unknown }>).map(([type, media]) => [
            type,
            { schema: isZodSchema(media.schema) ? z.toJSONSchema(media.schema, { io: 'input' }) : media.schema },
          ]),
        ),
      }
    : undefined;
  const rendered: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(responses)) {
    const { content, ...rest } = response as { description: string; content?: Record<string, { schema?: unknown }> };
    rendered[status] = content
      ? {
          ...rest,
          content: Object.fromEntries(
            Object.entries(content).map(([type, media]) => [
              type,
              { ...media, schema: isZodSchema(media.schema) ? z.toJSONSchema(media.schema) : media.schema },
            ]),
          ),
        }
      : rest;
  }
  return {
    ...operation,
    parameters: [...pathParams, ...queryParams, ...(extra ?? [])],
    ...(requestBody ? { requestBody } : {}),
    responses: rendered,
  };
}

/** The /v1 routes registered with a contract, with their full paths, then those of routers not yet converted. */
export function registeredRoutes(app: OpenAPIHono<AppEnv>): RegisteredRoute[] {
  const registered = app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === 'route' ? [{ ...(d.route as RegisteredRoute), path: d.route.path.replace(/(.)\/$/, '$1') }] : [],
  );
  const legacy = NOT_YET_CONVERTED.map((spec) => {
    const { middleware: _m, ...route } = contract(spec) as unknown as RegisteredRoute & { middleware: unknown };
    return route;
  });
  return [...registered, ...legacy];
}

/** Each /v1 operation with the query parameters it accepts: what the v1 router lets through (query-parameters.ts). */
export function documentedQueryRoutes(app: OpenAPIHono<AppEnv>): DocumentedRoute[] {
  return registeredRoutes(app).map((r) => ({
    method: r.method,
    path: r.path,
    query: [...Object.keys((r.request?.query as z.ZodObject | undefined)?.shape ?? {}), ...(r.parameters ?? []).map((p) => String(p.name))],
  }));
}

/** OpenAPI 3.1 from the routes the v1 router registered with their contracts. */
export function openApiDocumentOf(app: OpenAPIHono<AppEnv>, serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registeredRoutes(app)) (paths[route.path] ??= {})[route.method] = renderOperation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'Wholesale Desk API', version: '1', description: 'Webex Wholesale compatible provisioning API of Wholesale Desk.' },
    servers: [{ url: `${serverUrl}/v1` }],
    tags: API_TAGS.map((t) => ({ name: t.name, description: t.description })),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (`npm run cli -- token create`)' },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Webhook-Signature',
          description:
            '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with a shared secret (EVENTS_SECRETS inbound; the subscription secret outbound)',
        },
      },
      schemas: { Error: z.toJSONSchema(errorResponseSchema) },
    },
    paths,
    webhooks: outboundWebhooks(),
  };
}

/** `customer.status_changed` → `receiveCustomerStatusChanged`. */
const receiveOperationId = (type: string) =>
  `receive${type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;

/** What a subscribed URL receives per event type: the posted payload with that type's `data`. */
function outboundWebhooks() {
  const webhooks: Record<string, unknown> = {};
  for (const type of OUTBOUND_EVENT_TYPES) {
    webhooks[type] = {
      post: {
        operationId: receiveOperationId(type),
        tags: ['Webhook subscriptions' satisfies ApiTag],
        summary: `${type}, signed with Webhook-Signature: t=…,v1=…`,
        security: [{ webhookSignature: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(OUTBOUND_EVENT_SCHEMAS[type]) } } },
        responses: { '2XX': { description: 'Received; any other answer is retried with backoff' } },
      },
    };
  }
  return webhooks;
}
