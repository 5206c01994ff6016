import type { WebexCustomer, WebexSubscriber } from './contracts/webex-wholesale.js';
import type { WebexLocation, WebexOrganization, WebexWorkspace } from './contracts/webex-org-resources.js';
/** What the application needs from the world besides the database: time and identity. */
export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** A fresh random UUID. */
  uuid(): string;
  /** A fresh high-entropy secret, URL-safe. */
  secret(bytes?: number): string;
}

export const systemClock: Clock = { now: () => new Date() };

/*
 * Webex Wholesale, the desk's upstream (one of its two ports-and-adapters boundaries; chat is the other).
 * The adapter is src/webex/wholesale-client.ts; standalone, there is none and nothing calls Webex.
 */

/** A call for a sub-partner's customer carries its org id (`onBehalfOfSubPartnerOrgId`). */
export interface UpstreamCallOptions {
  subPartnerOrgId?: string | undefined;
}

export interface UpstreamAddress {
  addressLine1: string;
  addressLine2?: string | undefined;
  city: string;
  stateOrProvince?: string | undefined;
  zipOrPostalCode?: string | undefined;
  country: string;
}

/** The body of POST /wholesale/customers (and, without provisioningId, of PUT): Cisco's fields. */
export interface UpstreamCustomerRequest {
  provisioningId: string;
  externalId: string;
  packages: string[];
  address: UpstreamAddress;
  orgId?: string | undefined;
  customerInfo?: { name: string; primaryEmail: string; language?: string | undefined } | undefined;
  provisioningParameters?: Record<string, unknown> | undefined;
}

export interface UpstreamSubscriberRequest {
  customerId: string;
  email: string;
  packages: string[];
  provisioningParameters: { firstName?: string; lastName?: string; primaryPhoneNumber?: string; extension?: string; locationId?: string };
}

/** The body of POST /wholesale/customers/validate: Cisco's fields, only `address` required. */
export type UpstreamCustomerPrecheck = Partial<Omit<UpstreamCustomerRequest, 'address' | 'customerInfo'>> & {
  address: UpstreamAddress;
  customerInfo?: { name?: string | undefined; primaryEmail: string; language?: string | undefined } | undefined;
};

/** The body of POST /wholesale/subscribers/validate: Cisco's fields, only `email` required. */
export type UpstreamSubscriberPrecheck = Partial<Omit<UpstreamSubscriberRequest, 'email'>> & { email: string };

/** One problem Webex's precheck reported: its own errorCode and text. */
export interface UpstreamPrecheckError {
  errorCode: number | undefined;
  description: string;
}

/** What the adapter's circuit and queue look like now; shown in GET /v1/upstream/status. */
export interface UpstreamStatus {
  mode: 'standalone' | 'upstream';
  api?: string;
  auth?: 'token' | 'oauth';
  circuit?: { state: 'closed' | 'open' | 'half_open'; consecutiveFailures: number; openedAt: string | null; retryAt: string | null };
  inFlight?: number;
  waiting?: number;
  calls?: number;
  lastError?: UpstreamLastError | null;
  /** ok, or why calls are not going through: the token refused, Webex unavailable (circuit open), or failing now and then. */
  state?: UpstreamState;
  /** The last call Webex answered usably (this instance). */
  lastSuccessAt?: string | null;
  /** Calls by how they ended, since start (this instance). */
  outcomes?: Record<UpstreamOutcome, number>;
  /** The token check at start: when it ran and what Webex answered (null until it has). */
  tokenCheck?: { at: string; outcome: UpstreamOutcome } | null;
}

/** How one Webex call ended: answered usably, or why not. */
export type UpstreamOutcome = 'ok' | 'unauthorized' | 'refused' | 'rate_limited' | 'unavailable';
export const UPSTREAM_OUTCOMES: readonly UpstreamOutcome[] = ['ok', 'unauthorized', 'refused', 'rate_limited', 'unavailable'];
export type UpstreamState = 'ok' | 'unauthorized' | 'unavailable' | 'degraded';

/** The last failed call, as Webex answered it (status and errorCode absent when there was no answer). */
export interface UpstreamLastError {
  at: string;
  outcome?: UpstreamOutcome;
  status: number | null;
  errorCode: number | null;
  message: string;
  trackingId: string | null;
}

/**
 * A Webex Wholesale call that did not succeed. `rejected`: Webex answered and refused (4xx other than
 * 401/403/423/429): final, with Webex's errors. `unavailable`: no usable answer (timeout, network, 5xx after
 * the retries, the circuit open): try again later. `unauthorized`: Webex refused the desk's token (401
 * after any refresh, or 403: a scope missing): nothing succeeds until a person fixes the credentials.
 * `rate_limited`: Webex kept answering 429/423 past the waits allowed. `ambiguous`: the request may
 * have been applied (a non-idempotent call whose answer was lost): look before repeating it.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly kind: 'rejected' | 'unavailable' | 'unauthorized' | 'rate_limited',
    message: string,
    readonly details: {
      status?: number;
      errors?: { errorCode?: number | undefined; description?: string | undefined }[];
      trackingId?: string | null;
      ambiguous?: boolean;
    } = {},
  ) {
    super(message);
  }
}

export interface WebexWholesalePort extends WebexBillingReportsPort {
  createCustomer(body: UpstreamCustomerRequest, o?: UpstreamCallOptions): Promise<{ customerId: string }>;
  /** undefined when Webex has no such customer (404). */
  getCustomer(customerId: string, o?: UpstreamCallOptions): Promise<WebexCustomer | undefined>;
  findCustomerByExternalId(externalId: string, o?: UpstreamCallOptions): Promise<WebexCustomer | undefined>;
  updateCustomer(customerId: string, body: Omit<UpstreamCustomerRequest, 'provisioningId'>, o?: UpstreamCallOptions): Promise<void>;
  /** Resolves when Webex accepted the delete, or has no such customer. */
  deleteCustomer(customerId: string, o?: UpstreamCallOptions): Promise<void>;
  /** Webex's subscriber, with the HTTP status: 200 provisioned, 202 pending_user_migration. */
  createSubscriber(body: UpstreamSubscriberRequest, o?: UpstreamCallOptions): Promise<{ status: number; subscriber: WebexSubscriber }>;
  findSubscriberByEmail(email: string, o?: UpstreamCallOptions): Promise<WebexSubscriber | undefined>;
  getSubscriber(subscriberId: string, o?: UpstreamCallOptions): Promise<WebexSubscriber | undefined>;
  updateSubscriber(
    subscriberId: string,
    body: { packages: string[]; provisioningParameters?: UpstreamSubscriberRequest['provisioningParameters'] },
    o?: UpstreamCallOptions,
  ): Promise<WebexSubscriber>;
  /** Resolves when Webex removed the subscriber, or has no such subscriber. */
  deleteSubscriber(subscriberId: string, o?: UpstreamCallOptions): Promise<void>;
  resendConsentEmail(subscriberId: string, o?: UpstreamCallOptions): Promise<void>;
  /**
   * Webex's own precheck (`POST /wholesale/customers/validate`): the errors Webex reports, none when it
   * passes. Throws UpstreamError `unavailable` when Webex cannot be asked.
   */
  validateCustomer(body: UpstreamCustomerPrecheck, o?: UpstreamCallOptions): Promise<UpstreamPrecheckError[]>;
  /** Webex's own precheck of a subscriber (`POST /wholesale/subscribers/validate`), as validateCustomer. */
  validateSubscriber(body: UpstreamSubscriberPrecheck, o?: UpstreamCallOptions): Promise<UpstreamPrecheckError[]>;
  /** Every customer, page by page (following `Link: rel="next"`). */
  listCustomers(o?: UpstreamCallOptions): AsyncIterable<WebexCustomer[]>;
  listSubscribers(o?: UpstreamCallOptions & { customerId?: string }): AsyncIterable<WebexSubscriber[]>;
  status(): UpstreamStatus;
  /** One cheap authenticated call (a one-item customer list): how it ended. Never throws. */
  checkConnection?(): Promise<{ outcome: UpstreamOutcome; error: UpstreamLastError | null }>;
  /** A person retried held or failed work: an open circuit lets one trial call through now instead of at its retry time. */
  retryNow?(): void;
}

/*
 * Cisco's billing reports (reconciliation's fetch path, #16). Kept together so they merge as one block.
 */

export type UpstreamReportType = 'PARTNER' | 'CUSTOMER' | 'USER';

/** A billing report as Webex describes it; `tempDownloadURL` once it is COMPLETED. */
export interface UpstreamBillingReport {
  id: string;
  billingStartDate?: string | undefined;
  billingEndDate?: string | undefined;
  type?: string | undefined;
  /** IN_PROGRESS, COMPLETED or FAILED (kept as text: Webex may add statuses). */
  status: string;
  tempDownloadURL?: string | undefined;
}

export interface UpstreamBillingReportRequest {
  billingStartDate: string;
  billingEndDate: string;
  type: UpstreamReportType;
  /** A sub-partner's own report (Cisco's body field, not the query parameter). */
  subPartnerOrgId?: string | undefined;
}

/**
 * Downloading a report's file failed. `refused`: the desk would not fetch that URL (not https, or a
 * host that is not public; see src/webex/report-download.ts). `failed`: the host answered badly or
 * the transfer broke off.
 */
export class UpstreamDownloadError extends Error {
  override readonly name = 'UpstreamDownloadError';
  constructor(
    readonly kind: 'refused' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export interface WebexBillingReportsPort {
  createBillingReport(body: UpstreamBillingReportRequest): Promise<{ id: string }>;
  /** undefined when Webex has no such report (404). */
  getBillingReport(id: string): Promise<UpstreamBillingReport | undefined>;
  listBillingReports(query: {
    billingStartDate?: string;
    billingEndDate?: string;
    type?: UpstreamReportType;
    status?: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
    subPartnerOrgId?: string | undefined;
  }): Promise<UpstreamBillingReport[]>;
  deleteBillingReport(id: string): Promise<void>;
  /**
   * Polls the report with backoff (WEBEX_REPORT_POLL_MS doubling to 15 s) until it is no longer
   * IN_PROGRESS or WEBEX_REPORT_WAIT_MS has passed; answers the last state seen (undefined: 404).
   */
  waitForBillingReport(id: string): Promise<UpstreamBillingReport | undefined>;
  /**
   * The report's file, as it arrives (never held whole). The URL is on Cisco's content host, not the
   * API: no Webex token goes with it. Throws UpstreamDownloadError (also while iterating).
   */
  downloadBillingReport(tempDownloadURL: string): AsyncIterable<Uint8Array>;
}

/*
 * A customer's org beside the Wholesale API (#25): what a partner administrator does on it through
 * `/organizations`, `/locations?orgId=…` and `/workspaces` (Cisco's document:
 * test/fixtures/webex-locations-workspaces.openapi.json). Merged into WebexWholesalePort (one adapter,
 * one token, one circuit); the calls are in src/webex/org-resources-calls.ts.
 */

/** POST /locations?orgId=…: Cisco's fields. */
export interface UpstreamLocationRequest {
  name: string;
  timeZone: string;
  preferredLanguage: string;
  announcementLanguage: string;
  address: { address1: string; address2?: string; city: string; state: string; postalCode: string; country: string };
}

/** POST /workspaces: a Webex Calling workspace of the customer's org. */
export interface UpstreamWorkspaceRequest {
  orgId: string;
  displayName: string;
  locationId: string;
  calling: { type: 'webexCalling'; webexCalling: { extension?: string; phoneNumber?: string; locationId: string } };
}

export interface WebexWholesalePort {
  /** undefined when Webex has no such org (404). */
  getOrganization(orgId: string): Promise<WebexOrganization | undefined>;
  /** The org's locations (one page of up to 500). */
  listLocations(orgId: string): Promise<WebexLocation[]>;
  /** The org's location with exactly this name (case-insensitive), if any. */
  findLocationByName(orgId: string, name: string): Promise<WebexLocation | undefined>;
  /** Answers the new location's id (201). */
  createLocation(orgId: string, body: UpstreamLocationRequest): Promise<{ id: string }>;
  listWorkspaces(orgId: string): Promise<WebexWorkspace[]>;
  findWorkspaceByName(orgId: string, name: string): Promise<WebexWorkspace | undefined>;
  createWorkspace(body: UpstreamWorkspaceRequest): Promise<WebexWorkspace>;
  getWorkspace(workspaceId: string): Promise<WebexWorkspace | undefined>;
  /** Resolves when Webex removed the workspace, or has no such workspace. */
  deleteWorkspace(workspaceId: string): Promise<void>;
}
