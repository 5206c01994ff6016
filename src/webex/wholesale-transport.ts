import type { Logger } from '../logger.js';
import type { TimerClock } from '../platform/timer-clock.js';
import { UpstreamError } from '../ports.js';
import type { ConcurrencyLimit } from './concurrency-limit.js';
import { CallFailed, type Middleware, type Send } from './wholesale-call.js';

/** The end of the chain: one attempt over HTTP with the call's token, abandoned after `timeoutMs`. */
export const sendOverHttp =
  (opts: { fetch: typeof fetch; timeoutMs: number; clock: TimerClock; onSend: () => void }): Send =>
  async (call) => {
    const headers = new Headers(call.request.headers);
    if (call.token !== undefined) headers.set('authorization', `Bearer ${call.token}`);
    opts.onSend();
    call.sentAt = opts.clock.now().getTime();
    // The timeout goes to fetch itself, never into the Request: fetch copies the Request it is given, and
    // undici's copy follows the first Request's signal through a weak reference only. Once that first
    // Request was garbage-collected, the timeout reached nobody, and a call Webex never answered waited
    // forever, holding its task batch, so every task behind it, with it.
    return opts.fetch(new Request(call.request.clone(), { headers }), { signal: AbortSignal.timeout(opts.timeoutMs) });
  };

/**
 * An attempt that got no answer (timeout, connection refused or dropped, anything thrown below that is
 * not already a typed failure): Webex's fault, worth another try if the call is idempotent, and
 * `ambiguous` otherwise (Webex may have applied it).
 */
export const reportNoAnswer =
  (opts: { timeoutMs: number; clock: TimerClock; log: Logger }): Middleware =>
  (next) =>
  async (call) => {
    const started = opts.clock.now().getTime();
    try {
      return await next(call);
    } catch (error) {
      if (error instanceof CallFailed) throw error;
      const what = (error as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : 'connection failed';
      const { method, path } = call;
      opts.log.warn(
        { method, path, attempt: call.attempt, ms: Math.round(opts.clock.now().getTime() - started), err: error },
        `Webex Wholesale call failed: ${what}`,
      );
      throw new CallFailed(
        'unavailable',
        new UpstreamError('unavailable', `Webex Wholesale ${method} ${path}: ${what}`, { ambiguous: !call.idempotent }),
        { fault: { message: `${method} ${path}: ${what}`, trackingId: null, status: null }, retryable: true },
      );
    }
  };

/** At most the limit's calls in flight: an attempt holds a slot from before its pace turn until its answer. */
export const limitConcurrency =
  (slots: ConcurrencyLimit): Middleware =>
  (next) =>
  async (call) => {
    const release = await slots.acquire();
    try {
      return await next(call);
    } finally {
      release();
    }
  };
