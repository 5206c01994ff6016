import createClient from 'openapi-fetch';
import type { z } from 'zod';
import { type WebexCustomer, type WebexSubscriber, webexErrorBodySchema } from '../contracts/webex-wholesale.js';
import type { Logger } from '../logger.js';
import { systemTimerClock, type TimerClock } from '../platform/timer-clock.js';
import {
  type UpstreamCallOptions,
  UpstreamDownloadError,
  UpstreamError,
  type UpstreamOutcome,
  type UpstreamPrecheckError,
  type UpstreamStatus,
  type WebexWholesalePort,
} from '../ports.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { createOrgResourceCalls } from './org-resources-calls.js';
import type { paths } from './wholesale-api.js';
import { guardWithBreaker } from './wholesale-breaker.js';
import { composeMiddleware, startCall } from './wholesale-call.js';
import { WHOLESALE_ENDPOINTS as E, type WholesaleEndpoint } from './wholesale-endpoints.js';
import { createUpstreamHealth, isUnauthorized, recordOutcomes } from './wholesale-health.js';
import { createPacer, paceCalls, waitForRetryAfter } from './wholesale-pacing.js';
import { retryFailures } from './wholesale-retry.js';
import { attachToken, refreshTokenOn401 } from './wholesale-token.js';
import type { WholesaleTokenSource } from './wholesale-tokens.js';
import { limitConcurrency, reportNoAnswer, sendOverHttp } from './wholesale-transport.js';

export { operationOf } from './wholesale-call.js';

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
  /** Time for pacing, waits, backoff, the circuit and the status (tests pass a TestClock). */
  clock?: TimerClock;
  /** Fetches a billing report's tempDownloadURL (src/webex/report-download.ts); without it downloads are refused. */
  downloadReport?: (url: string) => AsyncIterable<Uint8Array>;
  /** Polling a billing report until it settles: the first wait (doubling up to 15 s) and the most waited in all. */
  reportPoll?: { firstMs: number; waitMs: number };
  /** Told how each call ended and how long it took (metrics): `operation` is the method and path with ids as {id}. */
  observe?: (operation: string, outcome: UpstreamOutcome, seconds: number) => void;
}

/** What openapi-fetch's `request(method, path, init)` is called with here: the endpoint's data, its ids, query and body. */
type RawRequest = (
  method: string,
  path: string,
  init: { params: { path?: Record<string, string>; query?: Record<string, unknown> }; body?: unknown },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

interface CallInput {
  path?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/**
 * The Webex Wholesale adapter: a small core sending endpoints declared as data
 * (wholesale-endpoints.ts) through a chain of middleware, outermost first:
 *
 *   record outcomes → retry (5xx, no answer; idempotent only) → wait for Retry-After (429/423, everyone
 *   waits) → refresh the token on 401 → circuit breaker → concurrency slot → pace turn → no answer →
 *   token → HTTP (with a timeout)
 *
 * Each answer is checked with the zod shapes in src/contracts before it is returned; a failure that may
 * have been applied is reported `ambiguous` so the caller looks before repeating it. Each call is logged
 * with Webex's trackingId. Time comes from the injected clock.
 */
export function createWholesaleClient(opts: WholesaleClientOptions): WebexWholesalePort {
  const base = opts.apiUrl.replace(/\/+$/, '');
  const log = opts.logger.child({ component: 'webex-wholesale' });
  const clock = opts.clock ?? systemTimerClock;
  const circuit = createCircuitBreaker({ ...(opts.circuit ?? { threshold: 5, openMs: 30_000 }), now: () => clock.now().getTime() });
  const slots = createConcurrencyLimit(opts.concurrency);
  const pacer = createPacer({ clock, ratePerSecond: opts.ratePerSecond });
  const health = createUpstreamHealth({ clock, observe: opts.observe });
  const noteFailure = (message: string, trackingId: string | null) => {
    circuit.failure();
    health.noteFault({ message, trackingId, status: null });
  };

  const send = composeMiddleware(
    [
      recordOutcomes({ health, clock, log, tokenKind: opts.tokens.kind }),
      retryFailures({
        maxAttempts: opts.maxAttempts ?? 4,
        backoff: opts.backoff ?? { baseMs: 250, capMs: 8_000 },
        random: opts.random ?? Math.random,
        clock,
        mayRetry: () => circuit.allow(),
      }),
      waitForRetryAfter({ pacer, clock, maxWaits: opts.maxWaits ?? 30, log }),
      refreshTokenOn401({ tokens: opts.tokens, clock, log }),
      guardWithBreaker({ breaker: circuit, onFault: health.noteFault, clock, log }),
      // The slot first, the pace turn last: paced calls leave as spaced as they were paced, not in a
      // burst when several wait on a free slot at once (the burst is what Webex counts and answers 429).
      limitConcurrency(slots),
      paceCalls(pacer),
      reportNoAnswer({ timeoutMs: opts.timeoutMs, clock, log }),
      attachToken(opts.tokens),
    ],
    sendOverHttp({ fetch: opts.fetch ?? fetch, timeoutMs: opts.timeoutMs, clock, onSend: health.countSend }),
  );
  /** One logical call: attempts, waits, refreshes; resolves with Webex's final answer or throws UpstreamError. */
  const sendRequest = (request: Request) => send(startCall(request, base));
  const request = createClient<paths>({ baseUrl: base, fetch: sendRequest }).request as unknown as RawRequest;

  /** Webex's answer as an error the use-cases can act on. */
  function failure(response: Response, errorBody: unknown, what: string, ambiguous = false): UpstreamError {
    const trackingId = response.headers.get('trackingid');
    // The body is read already: `errorBody` is it, parsed (or its text).
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

  /** Sends an endpoint; its answer checked, or undefined for a 404 where that means none; anything else throws. */
  async function call<T>(e: WholesaleEndpoint<T>, input: CallInput = {}): Promise<{ value: T | undefined; response: Response }> {
    const { data, error, response } = await request(e.method, e.path, {
      params: { ...(input.path ? { path: input.path } : {}), query: input.query ?? {} },
      ...(input.body === undefined ? {} : { body: input.body }),
    });
    if (e.absentOn404 && response.status === 404) return { value: undefined, response };
    if (!(e.success ? e.success.includes(response.status) : response.ok)) throw failure(response, error, e.what, e.mayHaveApplied);
    return { value: check(e.answer, data, response, e.what), response };
  }
  /** An endpoint whose success always carries the answer (no 404 meaning none). */
  async function answer<T>(e: WholesaleEndpoint<T>, input: CallInput = {}): Promise<T> {
    return (await call(e, input)).value as T;
  }

  /** A precheck's answer: 200 passes; Webex's refusals (400, 404, 409) are its findings; anything else is a failure to ask. */
  async function precheck(e: WholesaleEndpoint<unknown>, body: unknown, o?: UpstreamCallOptions): Promise<UpstreamPrecheckError[]> {
    const { error, response } = await request(e.method, e.path, { params: { query: onBehalf(o) }, body });
    if (response.ok) return [];
    const refused = failure(response, error, e.what);
    if (refused.kind !== 'rejected') throw refused;
    const errors = refused.details.errors ?? [];
    return errors.length
      ? errors.map((x) => ({ errorCode: x.errorCode, description: x.description ?? refused.message }))
      : [{ errorCode: response.status, description: refused.message }];
  }

  /** Every page of a list, following Link rel="next" (on the configured base, whatever host the link names). */
  async function* pages<T>(e: WholesaleEndpoint<{ items: T[] }>, first: Record<string, string>): AsyncIterable<T[]> {
    let query: Record<string, string> | undefined = first;
    while (query) {
      const { value, response } = await call(e, { query });
      yield value?.items ?? [];
      query = nextQuery(response.headers.get('link'));
    }
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
    ...createOrgResourceCalls({ base, send: sendRequest, failure, check }),
    async createCustomer(body, o) {
      const { url } = await answer(E.createCustomer, { query: onBehalf(o), body });
      return { customerId: idFromUrl(url) };
    },
    // With the license ids, so a client asking the desk for includePackageLicenseInfo gets Webex's.
    getCustomer: async (customerId, o) =>
      (await call(E.getCustomer, { path: { customerId }, query: { ...onBehalf(o), includePackageLicenseInfo: true } })).value,
    findCustomerByExternalId: async (externalId, o) =>
      (await answer(E.findCustomers, { query: { externalId, ...onBehalf(o) } })).items.find((c) => c.externalId === externalId),
    async updateCustomer(customerId, body, o) {
      await call(E.updateCustomer, { path: { customerId }, query: onBehalf(o), body });
    },
    async deleteCustomer(customerId, o) {
      await call(E.deleteCustomer, { path: { customerId }, query: onBehalf(o) });
    },
    async createSubscriber(body, o) {
      const { value, response } = await call(E.createSubscriber, { query: onBehalf(o), body });
      return { status: response.status, subscriber: value as WebexSubscriber };
    },
    async findSubscriberByEmail(email, o) {
      const { items } = await answer(E.findSubscribers, { query: { email, ...onBehalf(o) } });
      return items.find((s) => s.email.toLowerCase() === email.toLowerCase());
    },
    getSubscriber: async (subscriberId, o) => (await call(E.getSubscriber, { path: { subscriberId }, query: onBehalf(o) })).value,
    updateSubscriber: (subscriberId, body, o) => answer(E.updateSubscriber, { path: { subscriberId }, query: onBehalf(o), body }),
    async deleteSubscriber(subscriberId, o) {
      await call(E.deleteSubscriber, { path: { subscriberId }, query: onBehalf(o) });
    },
    async resendConsentEmail(subscriberId, o) {
      await call(E.resendConsentEmail, { path: { subscriberId }, query: onBehalf(o) });
    },
    validateCustomer: (body, o) => precheck(E.validateCustomer, body, o),
    validateSubscriber: (body, o) => precheck(E.validateSubscriber, body, o),
    listCustomers: (o) => pages(E.listCustomers, { max: '100', ...onBehalf(o) }),
    listSubscribers: (o) =>
      pages(E.listSubscribers, { max: '100', ...(o?.customerId ? { customerId: o.customerId } : {}), ...onBehalf(o) }),
    // Billing reports (reconciliation's fetch path).
    createBillingReport: async (body) => ({ id: (await answer(E.createBillingReport, { body })).id }),
    getBillingReport: async (id) => (await call(E.getBillingReport, { path: { id } })).value,
    async listBillingReports(query) {
      const q = Object.fromEntries(Object.entries({ ...query, max: 100 }).filter(([, v]) => v !== undefined));
      return (await answer(E.listBillingReports, { query: q })).items;
    },
    async deleteBillingReport(id) {
      await call(E.deleteBillingReport, { path: { id } });
    },
    async waitForBillingReport(id) {
      const poll = opts.reportPoll ?? { firstMs: 2_000, waitMs: 120_000 };
      let waited = 0;
      let delay = poll.firstMs;
      for (;;) {
        const report = await this.getBillingReport(id);
        if (!report || report.status !== 'IN_PROGRESS' || waited >= poll.waitMs) return report;
        const step = Math.min(delay, poll.waitMs - waited);
        await clock.sleep(step);
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
      const h = health.status(c);
      return {
        mode: 'upstream',
        api: base,
        auth: opts.tokens.kind,
        state: h.state,
        circuit: c,
        inFlight: slots.inFlight(),
        waiting: slots.waiting(),
        calls: h.calls,
        lastError: h.lastError,
        lastSuccessAt: h.lastSuccessAt,
        outcomes: h.outcomes,
        tokenCheck: h.tokenCheck,
      };
    },
    retryNow() {
      circuit.probe();
    },
    async checkConnection() {
      let outcome: UpstreamOutcome = 'ok';
      try {
        await call(E.checkToken, { query: { max: 1 } });
      } catch (error) {
        outcome = error instanceof UpstreamError ? (error.kind === 'rejected' ? 'refused' : error.kind) : 'unavailable';
      }
      health.noteTokenCheck(outcome);
      return { outcome, error: outcome === 'ok' ? null : health.lastError() };
    },
  };
}

export type { WebexCustomer, WebexSubscriber };
