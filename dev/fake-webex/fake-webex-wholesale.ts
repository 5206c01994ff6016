import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { toWebexId } from '../../src/domain/webex-ids.js';
import { createFakeOrgResources, type FakeLocation, type FakeWorkspace } from './fake-webex-org-resources.js';
import { checkExchange, ORG_RESOURCES_DOCUMENT, prepareChecker } from './webex-openapi-validator.js';

/**
 * A stateful fake of Cisco's Webex Wholesale API (https://webexapis.com/v1/wholesale/…) on loopback, for
 * the upstream connector's tests and bench. (test/support/fake-webex.ts is the Webex *messaging* API the
 * bot talks to: a different thing.)
 *
 * It behaves as Cisco documents: a customer answers 202 and goes `provisioning → provisioned` after a
 * delay (or `error` with Webex-shaped errors such as 10022, or `pending_rpl_review` until cleared);
 * updates go through `updating`, deletes through `deleting` until the customer is gone (404);
 * subscribers answer 200 `provisioned`, or 202 `pending_user_migration` for an existing free Webex user;
 * lists page with `Link: <…>; rel="next"`. Faults can be injected: 429 with Retry-After, 423, 500, 503,
 * slow answers, an expired access token (401, refreshed at POST /access_token), a connection dropped
 * before or after the request was applied, and a request-rate limit.
 *
 * Every request it receives and every response it sends is checked against Cisco's OpenAPI document
 * (ajv, dev/fake-webex/webex-openapi-validator.ts); departures are collected in `violations`, which
 * tests assert empty, so neither the fake nor the desk can drift from Cisco's shapes unnoticed.
 */

export type CustomerStatus =
  | 'provisioned'
  | 'provisioned_with_errors'
  | 'provisioning'
  | 'updating'
  | 'deleting'
  | 'error'
  | 'pending_rpl_review';

export interface WebexError {
  errorCode: number;
  description: string;
}

export interface FakeCustomer {
  id: string;
  orgId?: string;
  externalId: string;
  provisioningId: string;
  address: Record<string, string>;
  customerInfo?: { name?: string; primaryEmail?: string; language?: string };
  status: CustomerStatus;
  packages: string[];
  errors: WebexError[];
  warnings: WebexError[];
  /** The sub-partner it was created on behalf of, if any. */
  subPartnerOrgId?: string;
  /** The calling location it was provisioned with: its org's headquarters location once provisioned. */
  callingLocation?: { name: string; address: Record<string, string>; timezone: string; language?: string };
  createdAt?: string;
}

export interface FakeSubscriber {
  id: string;
  personId?: string;
  email: string;
  customerId: string;
  externalCustomerId: string;
  package: string;
  /** Add-ons on top of `package` (`attendant_console`), sent in `packages` after the base package. */
  addOns?: string[];
  status: 'provisioned' | 'pending_user_migration';
  errors: WebexError[];
  created: string;
  lastStatusChange: string;
  consentEmailsSent: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  status: number;
  authorization?: string;
}

/** Which requests a fault applies to: all when omitted. */
export interface FaultMatch {
  method?: string;
  /** A path below the API base (`/wholesale/customers`), or a pattern. */
  path?: string | RegExp;
}

export type Fault = FaultMatch & { times?: number } & (
    | { kind: 'status'; status: 423 | 429 | 500 | 502 | 503 | 504; retryAfterSeconds?: number }
    | { kind: 'delay'; ms: number }
    /** The request is applied, then the connection is destroyed before any answer. */
    | { kind: 'drop-after-apply' }
    /** The connection is destroyed before the request is applied. */
    | { kind: 'drop-before-apply' }
    /** The request is applied, then the answer is held this long (time for a test to kill the caller). */
    | { kind: 'hold-after-apply'; ms: number }
  );

export interface FakeWholesaleOptions {
  /** How long a customer stays `provisioning`/`updating`/`deleting` (ms). */
  settleMs?: number;
  /** Added to every answer (ms). */
  latencyMs?: number;
  /** Requests a second beyond which the fake answers 429 with Retry-After (sliding one-second window). */
  ratePerSecond?: number;
  /** The partner administrator's access token the fake accepts (static-token mode). */
  accessToken?: string;
  /** An OAuth integration whose refresh token the fake exchanges at POST /access_token. */
  oauth?: { clientId: string; clientSecret: string; refreshToken: string; accessTokenLifetimeSeconds?: number };
  /** Where the `url` of a 202 points: Cisco's host by default, never the fake's (clients must use their configured base). */
  resourceBase?: string;
  /** The fake's clock for subscribers' creation and billing usage (a test clock keeps Cisco's report in step with the desk's ledger). */
  now?: () => Date;
  /** Billing reports answer IN_PROGRESS to this many GETs before they are COMPLETED (default 1). */
  reportPolls?: number;
}

/** A span during which a subscriber held a package, as Cisco bills it (closed on removal or a package change). */
export interface FakeUsage {
  subscriberId: string;
  personId?: string | undefined;
  customerId: string;
  package: string;
  from: Date;
  to?: Date;
}

export interface FakeBillingReport {
  id: string;
  billingStartDate: string;
  billingEndDate: string;
  type: 'PARTNER' | 'CUSTOMER' | 'USER';
  created: string;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  polls: number;
  csv?: string;
  tempDownloadURL?: string;
}

export interface FakeWebexWholesale {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The API base, as WEBEX_WHOLESALE_API_URL: `${url}/v1`. */
  apiUrl: string;
  customers: Map<string, FakeCustomer>;
  subscribers: Map<string, FakeSubscriber>;
  /** Locations and workspaces of customers' orgs (dev/fake-webex/fake-webex-org-resources.ts). */
  locations: Map<string, FakeLocation>;
  workspaces: Map<string, FakeWorkspace>;
  requests: RecordedRequest[];
  /** Every departure from Cisco's document, request or response; tests assert it empty. */
  violations: string[];
  /** Answers sent, by status. */
  statusCounts: Map<number, number>;
  /** The access token currently valid (changes on every refresh). */
  currentAccessToken(): string;
  /** The refresh token currently valid (rotated on every refresh, as Webex may). */
  currentRefreshToken(): string | undefined;
  /** The current access token stops working (401) until refreshed. */
  expireAccessToken(): void;
  inject(fault: Fault): void;
  clearFaults(): void;
  /**
   * Plays a revoked token: every API call answers 401 and the OAuth refresh is refused (400
   * invalid_grant) until `restore()`. Also `POST /_fake/revoke-token` (the demo's control).
   */
  revokeToken(): void;
  /** Plays an outage: every API call answers 503 until `restore()`. Also `POST /_fake/outage`. */
  startOutage(): void;
  /** Ends a revoked token, an outage and every injected fault. Also `POST /_fake/restore`. */
  restore(): void;
  /** A Webex user already exists with this email: a customer with it as primaryEmail ends in error 10022. */
  addExistingUser(email: string): void;
  /** A free Webex user exists with this email: a subscriber POST answers 202 pending_user_migration. */
  addFreeUser(email: string): void;
  /** Customers with this externalId wait in pending_rpl_review until `clearRplReview`. */
  holdForRplReview(externalId: string): void;
  clearRplReview(externalId: string, outcome: 'provisioned' | 'error'): void;
  /** A customer that already exists in Webex (import tests), provisioned. */
  seedCustomer(fields: Partial<FakeCustomer> & { externalId: string }): FakeCustomer;
  seedSubscriber(customer: FakeCustomer, fields: Partial<FakeSubscriber> & { email: string }): FakeSubscriber;
  /** The pending_user_migration subscriber accepts the move (as the user would by the consent email). */
  acceptMigration(subscriberId: string): void;
  /**
   * Fills the fake straight into its state (no HTTP): `customers` provisioned customers with
   * externalIds `${prefix}-0001`…, each with `subscribersPerCustomer` subscribers
   * (`user-0001@${externalId}.example`…) holding the customer's first package. For import tests.
   */
  seedBulk(customers: number, subscribersPerCustomer: number, prefix?: string): FakeCustomer[];
  /** Throws, listing them, when any exchange departed from Cisco's document. */
  assertValid(): void;
  // Billing reports (reconciliation's fetch path).
  /** What Cisco bills, span by span: reports are computed from it; tests may edit it to plant differences. */
  usage: FakeUsage[];
  billingReports: Map<string, FakeBillingReport>;
  /** Requests for report files (outside the API: no token is expected there). */
  downloads: { path: string; authorization?: string }[];
  /** The next reports end FAILED (true) or COMPLETED (false, the default). */
  failReports(fail: boolean): void;
  /** Where report files are said to be (default: this fake, over http on loopback). */
  setDownloadBase(base: string): void;
  close(): Promise<void>;
}

const API = '/v1';
const DEFAULT_TOKEN = 'fake-wholesale-partner-admin-token-0001';

export async function startFakeWebexWholesale(opts: FakeWholesaleOptions = {}): Promise<FakeWebexWholesale> {
  prepareChecker();
  prepareChecker(ORG_RESOURCES_DOCUMENT);
  const settleMs = opts.settleMs ?? 50;
  const resourceBase = (opts.resourceBase ?? 'https://webexapis.com/v1').replace(/\/+$/, '');
  const customers = new Map<string, FakeCustomer>();
  const subscribers = new Map<string, FakeSubscriber>();
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const statusCounts = new Map<number, number>();
  const existingUsers = new Set<string>();
  const freeUsers = new Set<string>();
  const rplHolds = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let faults: (Fault & { left: number })[] = [];
  let accessToken = opts.accessToken ?? DEFAULT_TOKEN;
  let accessTokenExpired = false;
  let tokenRevoked = false;
  let outage = false;
  let refreshToken = opts.oauth?.refreshToken;
  const recentRequests: number[] = [];
  let baseUrl = '';
  const now = opts.now ?? (() => new Date());
  const usage: FakeUsage[] = [];
  const billingReports = new Map<string, FakeBillingReport>();
  const reportFiles = new Map<string, string>();
  const downloads: { path: string; authorization?: string }[] = [];
  let reportsFail = false;
  let downloadBase: string | undefined;
  const closeUsage = (subscriberId: string, at: Date) => {
    for (const u of usage) if (u.subscriberId === subscriberId && !u.to) u.to = at;
  };

  const later = (fn: () => void, ms = settleMs) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const trackingId = () => `FAKE_WHOLESALE_${randomUUID()}`;
  const errorBody = (message: string, errors: WebexError[], tid: string) => ({
    message,
    errors: errors.map((e) => ({ description: e.description, errorCode: e.errorCode })),
    trackingId: tid,
  });
  const fail = (c: Context, status: number, errorCode: number, description: string) =>
    c.json(errorBody(description, [{ errorCode, description }], c.get('tid' as never)), status as never);

  const settleCustomer = (cust: FakeCustomer) => {
    if (rplHolds.has(cust.externalId)) {
      cust.status = 'pending_rpl_review';
      return;
    }
    const email = cust.customerInfo?.primaryEmail?.toLowerCase();
    if (email && existingUsers.has(email)) {
      cust.status = 'error';
      cust.errors = [{ errorCode: 10022, description: 'The email is already associated with an existing user.' }];
      return;
    }
    cust.status = 'provisioned';
    cust.orgId ??= toWebexId('ORGANIZATION', randomUUID());
    cust.errors = [];
    orgResources.onCustomerProvisioned(cust);
  };

  const customerView = (cust: FakeCustomer, o: { licenses?: boolean } = {}) => ({
    id: cust.id,
    ...(cust.orgId && cust.status !== 'provisioning' ? { orgId: cust.orgId } : {}),
    externalId: cust.externalId,
    address: cust.address,
    status: cust.status,
    packages: cust.packages,
    resourceDetails: {
      packages: cust.packages.map((name) => ({
        name,
        status:
          cust.status === 'provisioned'
            ? 'provisioned'
            : cust.status === 'error'
              ? 'error'
              : cust.status === 'deleting'
                ? 'deleting'
                : 'provisioning',
        warnings: cust.warnings,
        errors: cust.status === 'error' ? cust.errors : [],
        // Cisco's includePackageLicenseInfo=true: a license id for every provisioned package.
        ...(o.licenses && cust.status === 'provisioned' && cust.orgId
          ? { licenseIds: [toWebexId('LICENSE', `${cust.orgId}:${name}:webex`)] }
          : {}),
      })),
    },
    errors: cust.errors,
  });
  const subscriberView = (s: FakeSubscriber) => ({
    id: s.id,
    ...(s.personId && s.status === 'provisioned' ? { personId: s.personId } : {}),
    email: s.email,
    customerId: s.customerId,
    externalCustomerId: s.externalCustomerId,
    package: s.package,
    packages: [s.package, ...(s.addOns ?? [])],
    status: s.status,
    errors: s.errors,
    created: s.created,
    lastStatusChange: s.lastStatusChange,
  });

  /** One page of `items` with a Link to the next, as Webex pages. */
  const page = <T, V = T>(c: Context, items: T[], defaultMax: number, maxCap: number, view?: (item: T) => V) => {
    const offset = Number(c.req.query('offset') ?? 0) || 0;
    const max = Math.min(Number(c.req.query('max') ?? defaultMax) || defaultMax, maxCap);
    // Only the page is turned into Webex's view (a bench lists 200,000 subscribers, 100 a page).
    const slice = view ? items.slice(offset, offset + max).map(view) : items.slice(offset, offset + max);
    if (offset + max < items.length) {
      const next = new URL(c.req.url);
      next.searchParams.set('offset', String(offset + max));
      next.searchParams.set('max', String(max));
      c.header('Link', `<${baseUrl}${next.pathname}${next.search}>; rel="next"`);
    }
    return c.json({ items: slice }, 200);
  };

  const findCustomer = (c: Context, id: string) => {
    const cust = customers.get(id);
    const onBehalf = c.req.query('onBehalfOfSubPartnerOrgId');
    if (!cust || (cust.subPartnerOrgId ?? undefined) !== (onBehalf ?? undefined)) return undefined;
    return cust;
  };

  const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>();
  const orgResources = createFakeOrgResources({
    customers,
    fail: (c, status, errorCode, description) => fail(c, status, errorCode, description),
    body: (c) => (c.get('body' as never) ?? {}) as Record<string, unknown>,
    now,
  });

  // OAuth refresh (not part of the wholesale document, so not validated against it).
  app.post(`${API}/access_token`, async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const o = opts.oauth;
    if (
      !o ||
      tokenRevoked ||
      form.get('grant_type') !== 'refresh_token' ||
      form.get('client_id') !== o.clientId ||
      form.get('client_secret') !== o.clientSecret ||
      form.get('refresh_token') !== refreshToken
    ) {
      return c.json(
        { message: 'invalid_grant', errors: [{ description: 'The refresh token is invalid.' }], trackingId: trackingId() },
        400,
      );
    }
    accessToken = `fake-access-${randomUUID()}`;
    accessTokenExpired = false;
    refreshToken = `fake-refresh-${randomUUID()}`;
    return c.json({
      access_token: accessToken,
      expires_in: o.accessTokenLifetimeSeconds ?? 1_209_600,
      refresh_token: refreshToken,
      refresh_token_expires_in: 7_776_000,
      token_type: 'Bearer',
    });
  });

  // Recording, validation, latency, rate limit, faults, authentication: around every wholesale call.
  app.use(`${API}/*`, async (c, next) => {
    const tid = trackingId();
    c.set('tid' as never, tid as never);
    const path = c.req.path.slice(API.length);
    const query = Object.fromEntries(new URL(c.req.url).searchParams);
    const raw = c.req.method === 'GET' || c.req.method === 'DELETE' ? '' : await c.req.text();
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const record: RecordedRequest = { method: c.req.method, path, query, ...(body !== undefined ? { body } : {}), status: 0 };
    const auth = c.req.header('authorization');
    if (auth) record.authorization = auth;
    requests.push(record);
    c.set('body' as never, body as never);
    if (opts.latencyMs) await sleep(opts.latencyMs);
    const fault = takeFault(c.req.method, path);
    const isTokenCall = path === '/access_token';
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'drop-before-apply') {
      c.env.incoming.socket.destroy();
      record.status = -1;
      return new Response(null, { status: 599 });
    }
    let res: Response | undefined;
    if (!isTokenCall && opts.ratePerSecond) {
      const now = Date.now();
      while (recentRequests.length && recentRequests[0]! <= now - 1000) recentRequests.shift();
      if (recentRequests.length >= opts.ratePerSecond) {
        const waitMs = recentRequests[0]! + 1000 - now;
        c.header('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
        res = fail(c, 429, 429, 'Too many requests.');
      } else recentRequests.push(now);
    }
    if (!res && fault?.kind === 'status') {
      if (fault.retryAfterSeconds !== undefined) c.header('Retry-After', String(fault.retryAfterSeconds));
      res = fail(
        c,
        fault.status,
        fault.status,
        fault.status === 423 ? 'Locked.' : fault.status === 429 ? 'Too many requests.' : 'Service unavailable.',
      );
    }
    if (!res && !isTokenCall && outage) res = fail(c, 503, 503, 'Service unavailable.');
    if (!res && !isTokenCall && (auth !== `Bearer ${accessToken}` || accessTokenExpired || tokenRevoked)) {
      res = fail(c, 401, 401, 'The request requires a valid access token set in the Authorization request header.');
    }
    const shortCut = res !== undefined;
    if (!res) {
      await next();
      res = c.res;
    }
    res.headers.set('trackingid', tid);
    record.status = res.status;
    statusCounts.set(res.status, (statusCounts.get(res.status) ?? 0) + 1);
    if (!isTokenCall) {
      const text = await res.clone().text();
      let responseBody: unknown;
      if (text) {
        try {
          responseBody = JSON.parse(text);
        } catch {
          responseBody = text;
        }
      }
      // A request Webex refused before looking at it (401, 429, 5xx) still had to be well-formed.
      for (const v of checkExchange(
        {
          method: c.req.method,
          path,
          query,
          ...(body !== undefined ? { requestBody: body } : {}),
          status: res.status,
          ...(responseBody !== undefined ? { responseBody } : {}),
        },
        orgResources.isOrgResourcePath(path) ? ORG_RESOURCES_DOCUMENT : undefined,
      ))
        violations.push(v);
    }
    if (fault?.kind === 'drop-after-apply') {
      c.env.incoming.socket.destroy();
      record.status = -1;
    }
    if (fault?.kind === 'hold-after-apply') await sleep(fault.ms);
    return shortCut ? res : undefined;
  });

  const body = (c: Context) => (c.get('body' as never) ?? {}) as Record<string, unknown>;

  app.get(`${API}/wholesale/customers`, (c) => {
    const q = c.req.query();
    const onBehalf = q.onBehalfOfSubPartnerOrgId;
    const statuses = c.req.queries('status');
    const items = [...customers.values()]
      .filter((x) => (x.subPartnerOrgId ?? undefined) === (onBehalf ?? undefined))
      .filter((x) => !q.externalId || x.externalId === q.externalId)
      .filter((x) => !q.orgId || x.orgId === q.orgId)
      .filter((x) => !statuses?.length || statuses.includes(x.status));
    return page(c, items, 100, 1000, (cust) => customerView(cust));
  });

  app.post(`${API}/wholesale/customers/validate`, (c) => {
    const b = body(c);
    const email = (b.customerInfo as { primaryEmail?: string } | undefined)?.primaryEmail?.toLowerCase();
    if (email && existingUsers.has(email)) return fail(c, 400, 10022, 'The email is already associated with an existing user.');
    if (typeof b.externalId === 'string' && [...customers.values()].some((x) => x.externalId === b.externalId)) {
      return fail(c, 409, 10010, 'A customer with this externalId already exists.');
    }
    return c.json({ message: 'success', info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' } }, 200);
  });

  app.post(`${API}/wholesale/customers`, (c) => {
    const b = body(c);
    const externalId = String(b.externalId ?? '');
    if (!externalId || !Array.isArray(b.packages) || !b.address || !b.provisioningId) {
      return fail(c, 400, 1000, 'provisioningId, packages, externalId and address are required.');
    }
    if ([...customers.values()].some((x) => x.externalId === externalId)) {
      return fail(c, 409, 10010, 'A customer with this externalId already exists.');
    }
    const onBehalf = c.req.query('onBehalfOfSubPartnerOrgId');
    const cust: FakeCustomer = {
      id: toWebexId('WHOLESALE_CUSTOMER', randomUUID()),
      externalId,
      provisioningId: String(b.provisioningId),
      address: b.address as Record<string, string>,
      ...(b.customerInfo ? { customerInfo: b.customerInfo as FakeCustomer['customerInfo'] & object } : {}),
      ...(typeof b.orgId === 'string' ? { orgId: b.orgId } : {}),
      status: 'provisioning',
      packages: b.packages as string[],
      errors: [],
      warnings: [],
      ...(onBehalf ? { subPartnerOrgId: onBehalf } : {}),
      ...(callingLocationOf(b) ? { callingLocation: callingLocationOf(b)! } : {}),
      createdAt: now().toISOString(),
    };
    customers.set(cust.id, cust);
    later(() => {
      if (customers.get(cust.id) === cust && cust.status === 'provisioning') settleCustomer(cust);
    });
    const url = `${resourceBase}/wholesale/customers/${cust.id}`;
    c.header('Location', url);
    return c.json({ url }, 202);
  });

  app.get(`${API}/wholesale/customers/:customerId`, (c) => {
    const cust = findCustomer(c, c.req.param('customerId'));
    if (!cust) return fail(c, 404, 404, 'Customer not found.');
    return c.json(customerView(cust, { licenses: c.req.query('includePackageLicenseInfo') === 'true' }), 200);
  });

  app.put(`${API}/wholesale/customers/:customerId`, (c) => {
    const cust = findCustomer(c, c.req.param('customerId'));
    if (!cust) return fail(c, 404, 404, 'Customer not found.');
    if (!['provisioned', 'provisioned_with_errors', 'error'].includes(cust.status)) {
      return fail(c, 409, 10011, `The customer is ${cust.status}; try again when it has settled.`);
    }
    const b = body(c);
    const packages = b.packages as string[];
    const held = [...subscribers.values()].filter((s) => s.customerId === cust.id && !packages.includes(s.package));
    if (held.length) return fail(c, 400, 10012, `A removed package is still assigned to ${held.length} subscriber(s).`);
    cust.packages = packages;
    if (b.address) cust.address = b.address as Record<string, string>;
    cust.status = 'updating';
    later(() => {
      if (customers.get(cust.id) === cust && cust.status === 'updating') cust.status = 'provisioned';
    });
    const url = `${resourceBase}/wholesale/customers/${cust.id}`;
    c.header('Location', url);
    return c.json({ url }, 202);
  });

  app.delete(`${API}/wholesale/customers/:customerId`, (c) => {
    const cust = findCustomer(c, c.req.param('customerId'));
    if (!cust) return fail(c, 404, 404, 'Customer not found.');
    if (cust.status !== 'deleting') {
      cust.status = 'deleting';
      later(() => {
        if (customers.get(cust.id) !== cust) return;
        customers.delete(cust.id);
        for (const [id, s] of subscribers)
          if (s.customerId === cust.id) {
            subscribers.delete(id);
            closeUsage(id, now());
          }
      });
    }
    return c.body(null, 202);
  });

  app.get(`${API}/wholesale/subPartners`, (c) => c.json({ items: [] }, 200));

  app.get(`${API}/wholesale/subscribers`, (c) => {
    const q = c.req.query();
    const onBehalf = q.onBehalfOfSubPartnerOrgId;
    const items = [...subscribers.values()]
      .filter((s) => (customers.get(s.customerId)?.subPartnerOrgId ?? undefined) === (onBehalf ?? undefined))
      .filter((s) => !q.customerId || s.customerId === q.customerId)
      .filter((s) => !q.email || s.email.toLowerCase() === q.email.toLowerCase())
      .filter((s) => !q.personId || s.personId === q.personId)
      .filter((s) => !q.externalCustomerId || s.externalCustomerId === q.externalCustomerId)
      .filter((s) => !q.status || s.status === q.status);
    return page(c, items, 50, 100, subscriberView);
  });

  app.post(`${API}/wholesale/subscribers/validate`, (c) => {
    const b = body(c);
    const email = String(b.email ?? '').toLowerCase();
    if ([...subscribers.values()].some((s) => s.email.toLowerCase() === email)) {
      return fail(c, 409, 10020, 'A subscriber with this email already exists.');
    }
    return c.json({ message: 'success', info: { infoCode: 100, description: 'Provisioning preCheck validation successful.' } }, 200);
  });

  app.post(`${API}/wholesale/subscribers`, (c) => {
    const b = body(c);
    const cust = findCustomer(c, String(b.customerId ?? ''));
    if (!cust) return fail(c, 404, 404, 'Customer not found.');
    if (!['provisioned', 'provisioned_with_errors'].includes(cust.status)) {
      return fail(c, 409, 10011, `The customer is ${cust.status}; subscribers can be added once it is provisioned.`);
    }
    const email = String(b.email ?? '');
    if ([...subscribers.values()].some((s) => s.email.toLowerCase() === email.toLowerCase())) {
      return fail(c, 409, 10020, 'A subscriber with this email already exists.');
    }
    const pkg = (Array.isArray(b.packages) ? (b.packages[0] as string) : undefined) ?? (b.package as string | undefined);
    if (!pkg || !cust.packages.includes(pkg)) return fail(c, 400, 10030, 'The package is not assigned to the customer.');
    const addOns = Array.isArray(b.packages) ? (b.packages.slice(1) as string[]) : [];
    const addOnProblem = checkAddOns(pkg, addOns, cust);
    if (addOnProblem) return fail(c, 400, 10031, addOnProblem);
    const at = now();
    const nowText = at.toISOString();
    const pending = freeUsers.has(email.toLowerCase());
    const s: FakeSubscriber = {
      id: toWebexId('WHOLESALE_SUBSCRIBER', randomUUID()),
      ...(pending ? {} : { personId: toWebexId('PEOPLE', randomUUID()) }),
      email,
      customerId: cust.id,
      externalCustomerId: cust.externalId,
      package: pkg,
      ...(addOns.length ? { addOns } : {}),
      status: pending ? 'pending_user_migration' : 'provisioned',
      errors: [],
      created: nowText,
      lastStatusChange: nowText,
      consentEmailsSent: pending ? 1 : 0,
    };
    subscribers.set(s.id, s);
    usage.push({ subscriberId: s.id, personId: s.personId, customerId: cust.id, package: pkg, from: at });
    for (const a of addOns) usage.push({ subscriberId: s.id, personId: s.personId, customerId: cust.id, package: a, from: at });
    c.header('Location', `${resourceBase}/wholesale/subscribers/${s.id}`);
    return c.json(subscriberView(s), pending ? 202 : 200);
  });

  const findSubscriber = (c: Context) => {
    const s = subscribers.get(c.req.param('subscriberId') ?? '');
    if (!s) return undefined;
    const cust = customers.get(s.customerId);
    return (cust?.subPartnerOrgId ?? undefined) === (c.req.query('onBehalfOfSubPartnerOrgId') ?? undefined) ? s : undefined;
  };

  app.get(`${API}/wholesale/subscribers/:subscriberId`, (c) => {
    const s = findSubscriber(c);
    return s ? c.json(subscriberView(s), 200) : fail(c, 404, 404, 'Subscriber not found.');
  });

  app.put(`${API}/wholesale/subscribers/:subscriberId`, (c) => {
    const s = findSubscriber(c);
    if (!s) return fail(c, 404, 404, 'Subscriber not found.');
    const b = body(c);
    const pkg = (Array.isArray(b.packages) ? (b.packages[0] as string) : undefined) ?? (b.package as string | undefined);
    if (pkg) {
      if (!customers.get(s.customerId)?.packages.includes(pkg)) return fail(c, 400, 10030, 'The package is not assigned to the customer.');
      const addOns = Array.isArray(b.packages) ? (b.packages.slice(1) as string[]) : (s.addOns ?? []);
      const addOnProblem = checkAddOns(pkg, addOns, customers.get(s.customerId)!);
      if (addOnProblem) return fail(c, 400, 10031, addOnProblem);
      const at = now();
      for (const a of s.addOns ?? [])
        if (!addOns.includes(a)) for (const u of usage) if (u.subscriberId === s.id && u.package === a && !u.to) u.to = at;
      for (const a of addOns)
        if (!(s.addOns ?? []).includes(a))
          usage.push({ subscriberId: s.id, personId: s.personId, customerId: s.customerId, package: a, from: at });
      if (addOns.length) s.addOns = addOns;
      else delete s.addOns;
      if (pkg !== s.package) {
        for (const u of usage) if (u.subscriberId === s.id && u.package === s.package && !u.to) u.to = at;
        usage.push({ subscriberId: s.id, personId: s.personId, customerId: s.customerId, package: pkg, from: at });
      }
      s.package = pkg;
      s.lastStatusChange = new Date().toISOString();
    }
    c.header('Location', `${resourceBase}/wholesale/subscribers/${s.id}`);
    return c.json(subscriberView(s), 200);
  });

  app.delete(`${API}/wholesale/subscribers/:subscriberId`, (c) => {
    const s = findSubscriber(c);
    if (!s) return fail(c, 404, 404, 'Subscriber not found.');
    subscribers.delete(s.id);
    closeUsage(s.id, now());
    return c.body(null, 204);
  });

  app.post(`${API}/subscribers/:subscriberId/emails/consentMove`, (c) => {
    const s = findSubscriber(c);
    if (!s) return fail(c, 404, 404, 'Subscriber not found.');
    if (s.status !== 'pending_user_migration') return fail(c, 400, 10040, 'The subscriber is not pending a user migration.');
    s.consentEmailsSent += 1;
    return c.body(null, 204);
  });

  // Billing reports: made from `usage` once polled `reportPolls` times; the file is served outside the API.
  const reportView = (r: FakeBillingReport) => ({
    id: r.id,
    billingStartDate: r.billingStartDate,
    billingEndDate: r.billingEndDate,
    type: r.type,
    category: 'RECONCILIATION',
    created: r.created,
    createdBy: toWebexId('PEOPLE', '00000000-0000-4000-8000-00000000fa4e'),
    status: r.status,
    ...(r.tempDownloadURL ? { tempDownloadURL: r.tempDownloadURL } : {}),
  });

  app.post(`${API}/wholesale/billing/reports`, (c) => {
    const b = body(c);
    const start = String(b.billingStartDate ?? '');
    const end = String(b.billingEndDate ?? '');
    const type = (b.type ?? 'PARTNER') as FakeBillingReport['type'];
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(start) ||
      !/^\d{4}-\d{2}-\d{2}$/.test(end) ||
      end < start ||
      !['PARTNER', 'CUSTOMER', 'USER'].includes(type)
    )
      return fail(c, 400, 1000, 'billingStartDate, billingEndDate (YYYY-MM-DD) and type PARTNER, CUSTOMER or USER are required.');
    const r: FakeBillingReport = {
      id: Buffer.from(`ciscospark://us/BILLING_REPORT/${randomUUID()}`).toString('base64url'),
      billingStartDate: start,
      billingEndDate: end,
      type,
      created: now().toISOString(),
      status: 'IN_PROGRESS',
      polls: 0,
    };
    billingReports.set(r.id, r);
    return c.json({ id: r.id, billingStartDate: start, billingEndDate: end, type, category: 'RECONCILIATION' }, 200);
  });

  app.get(`${API}/wholesale/billing/reports`, (c) => {
    const q = c.req.query();
    const items = [...billingReports.values()]
      .filter(
        (r) =>
          (!q.billingStartDate || r.billingStartDate === q.billingStartDate) &&
          (!q.billingEndDate || r.billingEndDate === q.billingEndDate),
      )
      .filter((r) => (!q.type || r.type === q.type) && (!q.status || r.status === q.status))
      .map((r) => ({
        id: r.id,
        billingStartDate: r.billingStartDate,
        billingEndDate: r.billingEndDate,
        status: r.status,
        type: r.type,
        category: 'RECONCILIATION',
      }));
    return page(c, items, 100, 100);
  });

  app.get(`${API}/wholesale/billing/reports/:id`, (c) => {
    const r = billingReports.get(c.req.param('id'));
    if (!r) return fail(c, 404, 2024, 'Billing Report not found.');
    if (r.status === 'IN_PROGRESS' && ++r.polls > (opts.reportPolls ?? 1)) {
      if (reportsFail) r.status = 'FAILED';
      else {
        const token = randomUUID();
        reportFiles.set(token, billingReportCsv(r, [...customers.values()], usage));
        r.status = 'COMPLETED';
        r.tempDownloadURL = `${downloadBase ?? baseUrl}/billing-files/${token}.csv?Expires=1924992000&Signature=fake~sig&Key-Pair-Id=FAKE`;
      }
    }
    return c.json(reportView(r), 200);
  });

  app.delete(`${API}/wholesale/billing/reports/:id`, (c) => {
    if (!billingReports.delete(c.req.param('id'))) return fail(c, 404, 2024, 'Billing Report not found.');
    return c.body(null, 204);
  });

  // Cisco's content host (another host in production): no API token is needed or expected here.
  app.get('/billing-files/:file', (c) => {
    const auth = c.req.header('authorization');
    downloads.push({ path: c.req.path, ...(auth ? { authorization: auth } : {}) });
    const csv = reportFiles.get(c.req.param('file').replace(/\.csv$/, ''));
    if (!csv) return c.text('Not found', 404);
    return c.body(csv, 200, { 'content-type': 'text/csv' });
  });

  // Control endpoints (the demo's keys and `curl`): outside the API, so neither recorded nor validated.
  const state = () => ({ tokenRevoked, outage, customers: customers.size, subscribers: subscribers.size });
  app.get('/_fake/state', (c) => c.json(state()));
  app.post('/_fake/revoke-token', (c) => {
    tokenRevoked = true;
    return c.json(state());
  });
  app.post('/_fake/outage', (c) => {
    outage = true;
    return c.json(state());
  });
  app.post('/_fake/restore', (c) => {
    tokenRevoked = false;
    outage = false;
    faults = [];
    return c.json(state());
  });
  orgResources.register(app, API);

  app.notFound((c) => fail(c, 404, 404, 'Not found.'));

  function takeFault(method: string, path: string) {
    const i = faults.findIndex(
      (f) =>
        f.left > 0 && (!f.method || f.method === method) && (!f.path || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.left -= 1;
    if (f.left <= 0) faults.splice(i, 1);
    return f;
  }

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  baseUrl = url;

  return {
    url,
    apiUrl: `${url}${API}`,
    customers,
    subscribers,
    locations: orgResources.locations,
    workspaces: orgResources.workspaces,
    requests,
    violations,
    statusCounts,
    currentAccessToken: () => accessToken,
    currentRefreshToken: () => refreshToken,
    expireAccessToken: () => {
      accessTokenExpired = true;
    },
    inject: (fault) => {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults: () => {
      faults = [];
    },
    revokeToken: () => {
      tokenRevoked = true;
    },
    startOutage: () => {
      outage = true;
    },
    restore: () => {
      tokenRevoked = false;
      outage = false;
      faults = [];
    },
    addExistingUser: (email) => existingUsers.add(email.toLowerCase()),
    addFreeUser: (email) => freeUsers.add(email.toLowerCase()),
    holdForRplReview: (externalId) => rplHolds.add(externalId),
    clearRplReview: (externalId, outcome) => {
      rplHolds.delete(externalId);
      for (const cust of customers.values()) {
        if (cust.externalId !== externalId || cust.status !== 'pending_rpl_review') continue;
        if (outcome === 'provisioned') settleCustomer(cust);
        else {
          cust.status = 'error';
          cust.errors = [{ errorCode: 10050, description: 'The customer failed the Denied Party List compliance check.' }];
        }
      }
    },
    seedCustomer: (fields) => {
      const cust: FakeCustomer = {
        id: toWebexId('WHOLESALE_CUSTOMER', randomUUID()),
        orgId: toWebexId('ORGANIZATION', randomUUID()),
        provisioningId: 'fake-provisioning-id',
        address: { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' },
        status: 'provisioned',
        packages: ['webex_calling', 'webex_meetings'],
        errors: [],
        warnings: [],
        ...fields,
      };
      customers.set(cust.id, cust);
      return cust;
    },
    seedSubscriber: (cust, fields) => {
      const nowText = now().toISOString();
      const s: FakeSubscriber = {
        id: toWebexId('WHOLESALE_SUBSCRIBER', randomUUID()),
        personId: toWebexId('PEOPLE', randomUUID()),
        customerId: cust.id,
        externalCustomerId: cust.externalId,
        package: cust.packages.find((p) => p !== 'common_area_calling') ?? 'webex_calling',
        status: 'provisioned',
        errors: [],
        created: nowText,
        lastStatusChange: nowText,
        consentEmailsSent: 0,
        ...fields,
      };
      subscribers.set(s.id, s);
      usage.push({ subscriberId: s.id, personId: s.personId, customerId: cust.id, package: s.package, from: new Date(s.created) });
      return s;
    },
    acceptMigration: (id) => {
      const s = subscribers.get(id);
      if (!s) return;
      s.status = 'provisioned';
      s.personId ??= toWebexId('PEOPLE', randomUUID());
      s.lastStatusChange = new Date().toISOString();
    },
    seedBulk: (count, perCustomer, prefix = 'bulk') => {
      const created: FakeCustomer[] = [];
      const now = new Date().toISOString();
      const pad = (n: number) => String(n).padStart(4, '0');
      for (let i = 1; i <= count; i++) {
        const cust: FakeCustomer = {
          id: toWebexId('WHOLESALE_CUSTOMER', randomUUID()),
          orgId: toWebexId('ORGANIZATION', randomUUID()),
          externalId: `${prefix}-${pad(i)}`,
          provisioningId: 'fake-provisioning-id',
          address: { addressLine1: `${i} Main St`, city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' },
          status: 'provisioned',
          packages: ['webex_calling', 'webex_meetings'],
          errors: [],
          warnings: [],
        };
        customers.set(cust.id, cust);
        created.push(cust);
        for (let j = 1; j <= perCustomer; j++) {
          const s: FakeSubscriber = {
            id: toWebexId('WHOLESALE_SUBSCRIBER', randomUUID()),
            personId: toWebexId('PEOPLE', randomUUID()),
            email: `user-${pad(j)}@${cust.externalId}.example`,
            customerId: cust.id,
            externalCustomerId: cust.externalId,
            package: 'webex_calling',
            status: 'provisioned',
            errors: [],
            created: now,
            lastStatusChange: now,
            consentEmailsSent: 0,
          };
          subscribers.set(s.id, s);
        }
      }
      return created;
    },
    usage,
    billingReports,
    downloads,
    failReports: (f) => {
      reportsFail = f;
    },
    setDownloadBase: (base) => {
      downloadBase = base.replace(/\/+$/, '');
    },
    assertValid: () => {
      if (violations.length) throw new Error(`exchanges departed from Cisco's Webex Wholesale document:\n${violations.join('\n')}`);
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cisco's rule for a subscriber's add-ons: `attendant_console` "is dependent on webex_calling, webex_suite, cx_essentials". */
const ADD_ON_BASES: Record<string, readonly string[]> = { attendant_console: ['webex_calling', 'webex_suite', 'cx_essentials'] };

function checkAddOns(base: string, addOns: readonly string[], cust: FakeCustomer): string | undefined {
  for (const a of addOns) {
    const bases = ADD_ON_BASES[a];
    if (!bases) return `${a} is not a subscriber add-on.`;
    if (!bases.includes(base)) return `${a} is dependent on: ${bases.join(', ')}.`;
    if (!cust.packages.includes(a)) return 'The package is not assigned to the customer.';
  }
  return undefined;
}

/** The calling location a customer POST names (provisioningParameters.calling.location), if any. */
function callingLocationOf(b: Record<string, unknown>): FakeCustomer['callingLocation'] {
  const loc = (b.provisioningParameters as { calling?: { location?: Record<string, unknown> } } | undefined)?.calling?.location;
  if (!loc || typeof loc.name !== 'string') return undefined;
  return {
    name: loc.name,
    address: (loc.address ?? {}) as Record<string, string>,
    timezone: String(loc.timezone ?? 'UTC'),
    ...(typeof loc.language === 'string' ? { language: loc.language } : {}),
  };
}

const REPORT_COLUMNS = {
  PARTNER: [
    'PARTNER_NAME',
    'PARTNER_ORG_ID',
    'SUBSCRIPTION_ID',
    'SERVICE_NAME',
    'SKU',
    'DESCRIPTION',
    'CONSUMPTION_START_DATE',
    'CONSUMPTION_END_DATE',
    'QUANTITY',
  ],
  CUSTOMER: ['CUSTOMER_ORG_ID', 'CUSTOMER_EXTERNAL_ID', 'LOCATION_ID'],
  USER: ['CUSTOMER_ORG_ID', 'CUSTOMER_EXTERNAL_ID', 'SUBSCRIBER_ID', 'USER_ID', 'WORKSPACE_ID', 'LOCATION_ID'],
} as const;
const FAKE_PARTNER_ORG = toWebexId('ORGANIZATION', '00000000-0000-4000-8000-0000000fa4e0');
const DAY_MS = 86_400_000;

/**
 * Cisco's billing report file, computed from what the fake holds: each span of `usage` clipped to the
 * period, its seconds ÷ 86,400 as the quantity (to 1/10,000, half up), summed per subscriber and
 * package (USER), customer and package (CUSTOMER) or package (PARTNER). Workspaces and locations are
 * the desk's own, so those columns stay empty.
 */
function billingReportCsv(r: FakeBillingReport, customers: FakeCustomer[], usage: FakeUsage[]): string {
  const from = Date.parse(`${r.billingStartDate}T00:00:00Z`);
  const to = Date.parse(`${r.billingEndDate}T00:00:00Z`) + DAY_MS;
  const byId = new Map(customers.map((c) => [c.id, c]));
  const rows = new Map<string, { u: FakeUsage; ms: number; first: number; last: number }>();
  for (const u of usage) {
    const s = Math.max(u.from.getTime(), from);
    const e = Math.min(u.to?.getTime() ?? to, to);
    if (e <= s) continue;
    const key = r.type === 'USER' ? `${u.subscriberId}|${u.package}` : r.type === 'CUSTOMER' ? `${u.customerId}|${u.package}` : u.package;
    const row = rows.get(key) ?? { u, ms: 0, first: s, last: e };
    row.ms += e - s;
    row.first = Math.min(row.first, s);
    row.last = Math.max(row.last, e);
    rows.set(key, row);
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const quantity = (ms: number) => {
    const units = Math.floor((Math.round(ms / 1000) * 10_000 + 43_200) / 86_400);
    return `${Math.floor(units / 10_000)}.${String(units % 10_000).padStart(4, '0')}`.replace(/\.?0+$/, '');
  };
  const header = [...REPORT_COLUMNS.PARTNER, ...(r.type === 'PARTNER' ? [] : REPORT_COLUMNS[r.type])];
  const lines = [...rows.values()].map(({ u, ms, first, last }) => {
    const c = byId.get(u.customerId);
    const base = [
      'Fake Partner',
      FAKE_PARTNER_ORG,
      'Sub-FAKE-1',
      u.package.toUpperCase(),
      'SKU-FAKE',
      u.package,
      day(first),
      day(last - 1000),
      quantity(ms),
    ];
    const customer = [c?.orgId ?? '', c?.externalId ?? ''];
    const more =
      r.type === 'USER'
        ? [...customer, u.subscriberId, u.personId ?? '', '', '']
        : r.type === 'CUSTOMER'
          ? // Cisco names the Webex location, an id the desk never sees through the Wholesale API.
            [...customer, c ? toWebexId('LOCATION', `location-of-${c.id}`) : '']
          : [];
    return [...base, ...more].join(',');
  });
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
