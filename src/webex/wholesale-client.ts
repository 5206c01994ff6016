import createClient from 'openapi-fetch';
import type { z } from 'zod';
import {
  type WebexCustomer,
  type WebexSubscriber,
  webexCustomerListSchema,
  webexCustomerSchema,
  webexErrorBodySchema,
  webexResourceUrlSchema,
  webexSubscriberListSchema,
  webexSubscriberSchema,
  webexBillingReportIdSchema,
  webexBillingReportListSchema,
  webexBillingReportSchema,
} from '../contracts/webex-wholesale.js';
import { backoffMs, parseRetryAfter } from '../domain/backoff.js';
import type { Logger } from '../logger.js';
import {
  type UpstreamCallOptions,
  type UpstreamCustomerRequest,
  UpstreamDownloadError,
  UpstreamError,
  type UpstreamLastError,
  type UpstreamOutcome,
  type UpstreamState,
  type UpstreamPrecheckError,
  type UpstreamStatus,
  type UpstreamSubscriberRequest,
  type WebexWholesalePort,
} from '../ports.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { createOrgResourceCalls } from './org-resources-calls.js';
import type { paths } from './wholesale-api.js';
import type { WholesaleTokenSource } from './wholesale-tokens.js';

export interface WholesaleClientOptions {
  /** WEBEX_WHOLESALE_API_URL: every call goes here, whatever host Webex's answers name. */
  apiUrl: string;
  tokens: WholesaleTokenSource;
  logger: Logger;
  /** Each attempt is abandoned after this long. */
  timeoutMs: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Attempts of an idempotent call on 5xx, timeout or network error (default 4). */
  maxAttempts?: number;
  /** Waits on 429/423 (Retry-After) before giving up (default 30). */
  maxWaits?: number;
  backoff?: { baseMs: number; capMs: number };
  /** Failures in a row that open the circuit, and how long it stays open. */
  circuit?: { threshold: number; openMs: number };
  /** Requests per second at most, paced on this side (0: none; Webex's 429s still pace). */
  ratePerSecond?: number;
  random?: () => number;
  fetch?: typeof fetch;
  /** Fetches a billing report's tempDownloadURL (src/webex/report-download.ts); without it downloads are refused. */
  downloadReport?: (url: string) => AsyncIterable<Uint8Array>;
  /** Polling a billing report until it settles: the first wait (doubling up to 15 s) and the most waited in all. */
  reportPoll?: { firstMs: number; waitMs: number };
  /** Told how each call ended and how long it took (metrics): `operation` is the method and path with ids as {id}. */
  observe?: (operation: string, outcome: UpstreamOutcome, seconds: number) => void;
}

/** A path with its ids replaced (`/wholesale/customers/{id}`), so metrics have one series per operation. */
export const operationOf = (method: string, path: string): string =>
  `${method} ${path
    .split('/')
    .map((part) => (/^[A-Za-z0-9_=%-]{16,}$/.test(part) || /^\d+$/.test(part) ? '{id}' : part))
    .join('/')}`;

/** 401 (after any refresh) or 403 (a scope missing): Webex refuses the desk's credentials, not the request. */
const isUnauthorized = (status: number) => status === 401 || status === 403;

const RETRY_AFTER_CAP_MS = 60_000;
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** Methods whose repetition changes nothing beyond the first (Webex applies a PUT's complete state). */
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE', 'HEAD']);

/**
 * The Webex Wholesale adapter: openapi-fetch over the types generated from Cisco's document, each
 * answer checked with the zod shapes in src/contracts before it is returned. Every request has a
 * timeout; at most `concurrency` are in flight; 429 and 423 wait for Retry-After (and hold every other
 * call back as long, since the limit is the partner's, not the call's); 5xx, timeouts and network
 * errors are retried with backoff and jitter when the call is idempotent, and otherwise reported as
 * `ambiguous` so the caller looks before repeating it; a 401 refreshes an OAuth token once. Each call
 * is logged with Webex's trackingId. Failures in a row open a circuit that fails calls at once until a
 * trial call succeeds.
 */
export function createWholesaleClient(opts: WholesaleClientOptions): WebexWholesalePort {
  const base = opts.apiUrl.replace(/\/+$/, '');
  const log = opts.logger.child({ component: 'webex-wholesale' });
  const random = opts.random ?? Math.random;
  const backoff = opts.backoff ?? { baseMs: 250, capMs: 8_000 };
  const maxAttempts = opts.maxAttempts ?? 4;
  const maxWaits = opts.maxWaits ?? 30;
  const circuit = createCircuitBreaker(opts.circuit ?? { threshold: 5, openMs: 30_000 });
  const slots = createConcurrencyLimit(opts.concurrency);
  const doFetch = opts.fetch ?? fetch;
  let pausedUntil = 0;
  // Calls leave one after another, each `gap` after the previous one actually left: spacing measured
  // from real departures, so a timer that fires late (a busy event loop) never lets the next call
  // catch up in a burst, which is what Webex counts and answers 429.
  let paceChain: Promise<void> = Promise.resolve();
  let lastDepartureAt = Number.NEGATIVE_INFINITY;
  const takePaceTurn = (gap: number): Promise<void> => {
    const turn = paceChain.then(async () => {
      const wait = lastDepartureAt + gap - Date.now();
      if (wait > 0) await sleep(wait);
      lastDepartureAt = Date.now();
    });
    paceChain = turn;
    return turn;
  };
  let calls = 0;
  let lastError: UpstreamLastError | null = null;
  let lastSuccessAt: string | null = null;
  /** The token's standing from the last answer that said anything about it: refused until a call succeeds. */
  let tokenRefused = false;
  /** When the last call failed for want of Webex (5xx, timeout, 429 past the waits): `degraded` for a while after. */
  let lastTroubleAt = 0;
  let tokenCheck: UpstreamStatus['tokenCheck'] = null;
  const outcomes: Record<UpstreamOutcome, number> = { ok: 0, unauthorized: 0, refused: 0, rate_limited: 0, unavailable: 0 };
  const DEGRADED_FOR_MS = 5 * 60_000;

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Waits for a pace slot (ratePerSecond) and for any Retry-After pause. */
  async function paced(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (pausedUntil > now) {
        await sleep(pausedUntil - now);
        continue;
      }
      if (opts.ratePerSecond) await takePaceTurn(1000 / opts.ratePerSecond);
      return;
    }
  }

  const noteFailure = (message: string, trackingId: string | null, status: number | null = null) => {
    circuit.failure();
    lastTroubleAt = Date.now();
    lastError = { at: new Date().toISOString(), outcome: 'unavailable', status, errorCode: null, message, trackingId };
  };
  /** One call's end, counted and observed; `failed` (when not ok) becomes the last error. */
  const record = (operation: string, outcome: UpstreamOutcome, started: number, failed?: Omit<UpstreamLastError, 'at' | 'outcome'>) => {
    outcomes[outcome] += 1;
    opts.observe?.(operation, outcome, (performance.now() - started) / 1000);
    if (outcome === 'ok') {
      lastSuccessAt = new Date().toISOString();
      tokenRefused = false;
      return;
    }
    if (outcome === 'unauthorized') tokenRefused = true;
    // Webex read the request to refuse it, so it accepted the token.
    if (outcome === 'refused') tokenRefused = false;
    if (outcome === 'rate_limited' || outcome === 'unavailable') lastTroubleAt = Date.now();
    if (failed) lastError = { at: new Date().toISOString(), outcome, ...failed };
  };
  /** Webex's error body (message, first errorCode) of an answer, read from a copy so the caller still has it. */
  const errorOf = async (res: Response): Promise<{ errorCode: number | null; message: string | null }> => {
    const body = webexErrorBodySchema.safeParse(
      await res
        .clone()
        .json()
        .catch(() => undefined),
    );
    if (!body.success) return { errorCode: null, message: null };
    const first = body.data.errors?.[0];
    return { errorCode: first?.errorCode ?? null, message: body.data.message ?? first?.description ?? null };
  };

  /** One logical call: attempts, waits, refreshes; resolves with Webex's final answer or throws UpstreamError. */
  async function send(request: Request): Promise<Response> {
    const method = request.method;
    const path = new URL(request.url).pathname.slice(new URL(base).pathname.length);
    const idempotent = IDEMPOTENT.has(method);
    const operation = operationOf(method, path);
    const callStarted = performance.now();
    let attempts = 0;
    let waits = 0;
    let refreshed = false;
    for (;;) {
      if (!circuit.allow()) {
        record(operation, 'unavailable', callStarted);
        throw new UpstreamError('unavailable', 'Webex Wholesale is failing; the circuit is open', { ambiguous: false });
      }
      attempts += 1;
      // The slot first, the pace slot last: paced calls leave as spaced as they were paced, not in a
      // burst when several wait on a free slot at once (the burst is what Webex counts and answers 429).
      const release = await slots.acquire();
      await paced();
      const started = performance.now();
      let res: Response;
      let token: string;
      try {
        token = await opts.tokens.get();
        const headers = new Headers(request.headers);
        headers.set('authorization', `Bearer ${token}`);
        calls += 1;
        res = await doFetch(new Request(request.clone(), { headers, signal: AbortSignal.timeout(opts.timeoutMs) }));
      } catch (error) {
        release();
        if (error instanceof UpstreamError) {
          // The token source failed: the OAuth refresh refused (the integration's credentials) or unreachable.
          if (error.kind === 'unavailable') noteFailure(error.message, error.details.trackingId ?? null, error.details.status ?? null);
          const outcome = error.kind === 'unavailable' ? 'unavailable' : 'unauthorized';
          record(operation, outcome, callStarted, {
            status: error.details.status ?? null,
            errorCode: null,
            message: error.message,
            trackingId: error.details.trackingId ?? null,
          });
          if (outcome === 'unauthorized') throw new UpstreamError('unauthorized', error.message, error.details);
          throw error;
        }
        const what = (error as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : 'connection failed';
        noteFailure(`${method} ${path}: ${what}`, null);
        log.warn(
          { method, path, attempt: attempts, ms: Math.round(performance.now() - started), err: error },
          `Webex Wholesale call failed: ${what}`,
        );
        if (idempotent && attempts < maxAttempts && circuit.allow()) {
          await sleep(backoffMs(attempts, random(), backoff));
          continue;
        }
        record(operation, 'unavailable', callStarted);
        throw new UpstreamError('unavailable', `Webex Wholesale ${method} ${path}: ${what}`, { ambiguous: !idempotent });
      }
      release();
      const trackingId = res.headers.get('trackingid');
      const ms = Math.round(performance.now() - started);
      const line = { method, path, status: res.status, ms, trackingId, attempt: attempts };
      if (res.status === 401 && !refreshed && opts.tokens.invalidate(token)) {
        log.info(line, 'Webex Wholesale answered 401; refreshing the access token');
        await res.body?.cancel();
        refreshed = true;
        attempts -= 1;
        continue;
      }
      if (res.status === 429 || res.status === 423) {
        // Not applied: safe to repeat whatever the method. Everyone waits, the limit is shared.
        const wait = parseRetryAfter(res.headers.get('retry-after'), new Date(), RETRY_AFTER_CAP_MS) ?? DEFAULT_RETRY_AFTER_MS;
        pausedUntil = Math.max(pausedUntil, Date.now() + wait);
        log.info({ ...line, retryAfterMs: wait }, 'Webex Wholesale asked to wait');
        await res.body?.cancel();
        waits += 1;
        attempts -= 1;
        if (waits > maxWaits) {
          const message = `Webex Wholesale kept answering ${res.status}`;
          record(operation, 'rate_limited', callStarted, { status: res.status, errorCode: null, message, trackingId });
          throw new UpstreamError('rate_limited', message, { status: res.status, trackingId });
        }
        continue;
      }
      if (res.status >= 500) {
        noteFailure(`${method} ${path}: ${res.status}`, trackingId);
        log.warn(line, 'Webex Wholesale call failed');
        if (idempotent && attempts < maxAttempts && circuit.allow()) {
          await res.body?.cancel();
          await sleep(backoffMs(attempts, random(), backoff));
          continue;
        }
        record(operation, 'unavailable', callStarted);
        return res;
      }
      if (isUnauthorized(res.status)) {
        const said = await errorOf(res);
        log.error(
          line,
          opts.tokens.kind === 'oauth'
            ? `Webex Wholesale refused the access token (${res.status}): check the integration (WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET, WEBEX_REFRESH_TOKEN) and its scopes`
            : `Webex Wholesale refused the access token (${res.status}): set WEBEX_WHOLESALE_TOKEN to a valid partner administrator's token`,
        );
        record(operation, 'unauthorized', callStarted, {
          status: res.status,
          errorCode: said.errorCode,
          message: `${method} ${path}: ${res.status} ${said.message ?? (res.status === 401 ? 'the access token was refused' : 'a scope is missing')}`,
          trackingId,
        });
        return res;
      }
      circuit.success();
      // A 404 is an answer the desk acts on (gone, or not there yet), not a failure.
      if (res.status >= 400 && res.status !== 404) {
        // A refusal of this request (Webex answered): the connection is fine, the request is not.
        const said = await errorOf(res);
        record(operation, 'refused', callStarted, {
          status: res.status,
          errorCode: said.errorCode,
          message: `${method} ${path}: ${res.status} ${said.message ?? ''}`.trim(),
          trackingId,
        });
      } else record(operation, 'ok', callStarted);
      log.info(line, 'Webex Wholesale call');
      return res;
    }
  }

  const client = createClient<paths>({ baseUrl: base, fetch: send });

  /** Webex's answer as an error the use-cases can act on. */
  function failure(response: Response, errorBody: unknown, what: string, ambiguous = false): UpstreamError {
    const trackingId = response.headers.get('trackingid');
    // openapi-fetch has read the body already: `errorBody` is it, parsed (or its text).
    const body = webexErrorBodySchema.safeParse(errorBody);
    const errors = body.success ? (body.data.errors ?? []) : [];
    const message = (body.success && (body.data.message ?? errors[0]?.description)) || `status ${response.status}`;
    const kind = isUnauthorized(response.status)
      ? 'unauthorized'
      : response.status === 429 || response.status === 423
        ? 'rate_limited'
        : response.status >= 500
          ? 'unavailable'
          : 'rejected';
    return new UpstreamError(kind, `Webex Wholesale ${what}: ${message}`, {
      status: response.status,
      errors,
      trackingId,
      ambiguous: ambiguous && response.status >= 500,
    });
  }

  /** A body checked against the desk's shape of it; a body that does not fit is Webex misbehaving. */
  function check<T>(schema: z.ZodType<T>, data: unknown, response: Response, what: string): T {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const trackingId = response.headers.get('trackingid');
    noteFailure(`${what}: unexpected answer`, trackingId);
    log.error(
      { trackingId, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
      `Webex Wholesale ${what}: the answer does not have the expected shape`,
    );
    throw new UpstreamError('unavailable', `Webex Wholesale ${what}: unexpected answer`, { trackingId });
  }

  /** A precheck's answer: 200 passes; Webex's refusals (400, 404, 409) are its findings; anything else is a failure to ask. */
  function precheckAnswer(response: Response, errorBody: unknown, what: string): UpstreamPrecheckError[] {
    if (response.ok) return [];
    const refused = failure(response, errorBody, what);
    if (refused.kind !== 'rejected') throw refused;
    const errors = refused.details.errors ?? [];
    return errors.length
      ? errors.map((e) => ({ errorCode: e.errorCode, description: e.description ?? refused.message }))
      : [{ errorCode: response.status, description: refused.message }];
  }

  const onBehalf = (o?: UpstreamCallOptions): Record<string, string> =>
    o?.subPartnerOrgId ? { onBehalfOfSubPartnerOrgId: o.subPartnerOrgId } : {};
  /** The id at the end of a resource url: the host in it is Webex's to name, not the desk's to call. */
  const idFromUrl = (url: string) =>
    decodeURIComponent(
      url
        .replace(/[?#].*$/, '')
        .replace(/\/+$/, '')
        .split('/')
        .pop() ?? '',
    );
  const nextQuery = (link: string | null): Record<string, string> | undefined => {
    const next = link?.split(',').find((part) => /rel="?next"?/.test(part));
    const url = next && /<([^>]+)>/.exec(next)?.[1];
    return url ? Object.fromEntries(new URL(url, base).searchParams) : undefined;
  };

  return {
    // A customer's org beside the Wholesale API (/organizations, /locations, /workspaces): same token, limits and circuit.
    ...createOrgResourceCalls({ base, send, failure, check }),
    async createCustomer(body: UpstreamCustomerRequest, o) {
      const { data, error, response } = await client.POST('/wholesale/customers', {
        params: { query: onBehalf(o) },
        body: body as never,
      });
      if (response.status !== 202) throw failure(response, error, 'customer create', true);
      const { url } = check(webexResourceUrlSchema, data, response, 'customer create');
      return { customerId: idFromUrl(url) };
    },
    async getCustomer(customerId, o) {
      // With the license ids, so a client asking the desk for includePackageLicenseInfo gets Webex's.
      const { data, error, response } = await client.GET('/wholesale/customers/{customerId}', {
        params: { path: { customerId }, query: { ...onBehalf(o), includePackageLicenseInfo: true } },
      });
      if (response.status === 404) return undefined;
      if (!response.ok) throw failure(response, error, 'customer read');
      return check(webexCustomerSchema, data, response, 'customer read');
    },
    async findCustomerByExternalId(externalId, o) {
      const { data, error, response } = await client.GET('/wholesale/customers', { params: { query: { externalId, ...onBehalf(o) } } });
      if (!response.ok) throw failure(response, error, 'customer lookup');
      return check(webexCustomerListSchema, data, response, 'customer lookup').items.find((c) => c.externalId === externalId);
    },
    async updateCustomer(customerId, body, o) {
      const { error, response } = await client.PUT('/wholesale/customers/{customerId}', {
        params: { path: { customerId }, query: onBehalf(o) },
        body: body as never,
      });
      if (response.status !== 202 && response.status !== 200) throw failure(response, error, 'customer update');
    },
    async deleteCustomer(customerId, o) {
      const { error, response } = await client.DELETE('/wholesale/customers/{customerId}', {
        params: { path: { customerId }, query: onBehalf(o) },
      });
      if (response.status === 404 || response.ok) return;
      throw failure(response, error, 'customer delete');
    },
    async createSubscriber(body: UpstreamSubscriberRequest, o) {
      const { data, error, response } = await client.POST('/wholesale/subscribers', {
        params: { query: onBehalf(o) },
        body: body as never,
      });
      if (response.status !== 200 && response.status !== 202) throw failure(response, error, 'subscriber create', true);
      return { status: response.status, subscriber: check(webexSubscriberSchema, data, response, 'subscriber create') };
    },
    async findSubscriberByEmail(email, o) {
      const { data, error, response } = await client.GET('/wholesale/subscribers', { params: { query: { email, ...onBehalf(o) } } });
      if (!response.ok) throw failure(response, error, 'subscriber lookup');
      const items = check(webexSubscriberListSchema, data, response, 'subscriber lookup').items;
      return items.find((s) => s.email.toLowerCase() === email.toLowerCase());
    },
    async getSubscriber(subscriberId, o) {
      const { data, error, response } = await client.GET('/wholesale/subscribers/{subscriberId}', {
        params: { path: { subscriberId }, query: onBehalf(o) },
      });
      if (response.status === 404) return undefined;
      if (!response.ok) throw failure(response, error, 'subscriber read');
      return check(webexSubscriberSchema, data, response, 'subscriber read');
    },
    async updateSubscriber(subscriberId, body, o) {
      const { data, error, response } = await client.PUT('/wholesale/subscribers/{subscriberId}', {
        params: { path: { subscriberId }, query: onBehalf(o) },
        body: body as never,
      });
      if (!response.ok) throw failure(response, error, 'subscriber update');
      return check(webexSubscriberSchema, data, response, 'subscriber update');
    },
    async deleteSubscriber(subscriberId, o) {
      const { error, response } = await client.DELETE('/wholesale/subscribers/{subscriberId}', {
        params: { path: { subscriberId }, query: onBehalf(o) },
      });
      if (response.status === 404 || response.ok) return;
      throw failure(response, error, 'subscriber delete');
    },
    async resendConsentEmail(subscriberId, o) {
      const { error, response } = await client.POST('/subscribers/{subscriberId}/emails/consentMove', {
        params: { path: { subscriberId }, query: onBehalf(o) },
      });
      if (!response.ok) throw failure(response, error, 'consent email');
    },
    async validateCustomer(body, o) {
      const { error, response } = await client.POST('/wholesale/customers/validate', {
        params: { query: onBehalf(o) },
        body: body as never,
      });
      return precheckAnswer(response, error, 'customer precheck');
    },
    async validateSubscriber(body, o) {
      const { error, response } = await client.POST('/wholesale/subscribers/validate', {
        params: { query: onBehalf(o) },
        body: body as never,
      });
      return precheckAnswer(response, error, 'subscriber precheck');
    },
    async *listCustomers(o) {
      let query: Record<string, string> | undefined = { max: '100', ...onBehalf(o) };
      while (query) {
        const { data, error, response }: { data?: unknown; error?: unknown; response: Response } = await client.GET(
          '/wholesale/customers',
          {
            params: { query: query as never },
          },
        );
        if (!response.ok) throw failure(response, error, 'customer list');
        yield check(webexCustomerListSchema, data, response, 'customer list').items;
        query = nextQuery(response.headers.get('link'));
      }
    },
    async *listSubscribers(o) {
      let query: Record<string, string> | undefined = {
        max: '100',
        ...(o?.customerId ? { customerId: o.customerId } : {}),
        ...onBehalf(o),
      };
      while (query) {
        const { data, error, response }: { data?: unknown; error?: unknown; response: Response } = await client.GET(
          '/wholesale/subscribers',
          {
            params: { query: query as never },
          },
        );
        if (!response.ok) throw failure(response, error, 'subscriber list');
        yield check(webexSubscriberListSchema, data, response, 'subscriber list').items;
        query = nextQuery(response.headers.get('link'));
      }
    },
    // Billing reports (reconciliation's fetch path).
    async createBillingReport(body) {
      const { data, error, response } = await client.POST('/wholesale/billing/reports', { body: body as never });
      if (!response.ok) throw failure(response, error, 'billing report create', true);
      return { id: check(webexBillingReportIdSchema, data, response, 'billing report create').id };
    },
    async getBillingReport(id) {
      const { data, error, response } = await client.GET('/wholesale/billing/reports/{id}', { params: { path: { id } } });
      if (response.status === 404) return undefined;
      if (!response.ok) throw failure(response, error, 'billing report read');
      return check(webexBillingReportSchema, data, response, 'billing report read');
    },
    async listBillingReports(query) {
      const q = Object.fromEntries(Object.entries({ ...query, max: 100 }).filter(([, v]) => v !== undefined));
      const { data, error, response } = await client.GET('/wholesale/billing/reports', { params: { query: q as never } });
      if (!response.ok) throw failure(response, error, 'billing report list');
      return check(webexBillingReportListSchema, data, response, 'billing report list').items;
    },
    async deleteBillingReport(id) {
      const { error, response } = await client.DELETE('/wholesale/billing/reports/{id}', { params: { path: { id } } });
      if (response.status === 404 || response.ok) return;
      throw failure(response, error, 'billing report delete');
    },
    async waitForBillingReport(id) {
      const poll = opts.reportPoll ?? { firstMs: 2_000, waitMs: 120_000 };
      let waited = 0;
      let delay = poll.firstMs;
      for (;;) {
        const report = await this.getBillingReport(id);
        if (!report || report.status !== 'IN_PROGRESS' || waited >= poll.waitMs) return report;
        const step = Math.min(delay, poll.waitMs - waited);
        await sleep(step);
        waited += step;
        delay = Math.min(delay * 2, 15_000);
      }
    },
    downloadBillingReport(url) {
      if (!opts.downloadReport) throw new UpstreamDownloadError('refused', 'no report downloader is configured');
      return opts.downloadReport(url);
    },
    status(): UpstreamStatus {
      const c = circuit.state();
      const state: UpstreamState = tokenRefused
        ? 'unauthorized'
        : c.state !== 'closed'
          ? 'unavailable'
          : c.consecutiveFailures > 0 || Date.now() - lastTroubleAt < DEGRADED_FOR_MS
            ? 'degraded'
            : 'ok';
      return {
        mode: 'upstream',
        api: base,
        auth: opts.tokens.kind,
        state,
        circuit: c,
        inFlight: slots.inFlight(),
        waiting: slots.waiting(),
        calls,
        lastError,
        lastSuccessAt,
        outcomes: { ...outcomes },
        tokenCheck,
      };
    },
    retryNow() {
      circuit.probe();
    },
    async checkConnection() {
      let outcome: UpstreamOutcome = 'ok';
      try {
        const { error, response } = await client.GET('/wholesale/customers', { params: { query: { max: 1 } as never } });
        if (!response.ok) {
          const f = failure(response, error, 'token check');
          outcome = f.kind === 'rejected' ? 'refused' : f.kind;
        }
      } catch (error) {
        outcome = error instanceof UpstreamError ? (error.kind === 'rejected' ? 'refused' : error.kind) : 'unavailable';
      }
      tokenCheck = { at: new Date().toISOString(), outcome };
      return { outcome, error: outcome === 'ok' ? null : lastError };
    },
  };
}

export type { WebexCustomer, WebexSubscriber };
