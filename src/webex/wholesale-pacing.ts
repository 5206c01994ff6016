import { parseRetryAfter } from '../domain/backoff.js';
import type { Logger } from '../logger.js';
import type { TimerClock } from '../platform/timer-clock.js';
import { UpstreamError } from '../ports.js';
import { answerLine, CallFailed, type Middleware } from './wholesale-call.js';

const RETRY_AFTER_CAP_MS = 60_000;
const DEFAULT_RETRY_AFTER_MS = 1_000;

/** When calls may leave: after any Retry-After pause, and (with a rate) one pace gap after the previous one. */
export interface Pacer {
  /** Holds every call back until `at` (clock ms): Webex's limit is the partner's, not the call's. */
  pauseUntil(at: number): void;
  /** Resolves when the next call may leave, and counts it as left. */
  takeTurn(): Promise<void>;
}

export function createPacer(opts: { clock: TimerClock; ratePerSecond?: number | undefined }): Pacer {
  const now = () => opts.clock.now().getTime();
  let pausedUntil = 0;
  // Calls leave one after another, each `gap` after the previous one actually left: spacing measured
  // from real departures, so a timer that fires late (a busy event loop) never lets the next call
  // catch up in a burst, which is what Webex counts and answers 429.
  let paceChain: Promise<void> = Promise.resolve();
  let lastDepartureAt = Number.NEGATIVE_INFINITY;
  const takePaceTurn = (gap: number): Promise<void> => {
    const turn = paceChain.then(async () => {
      const wait = lastDepartureAt + gap - now();
      if (wait > 0) await opts.clock.sleep(wait);
      lastDepartureAt = now();
    });
    paceChain = turn;
    return turn;
  };
  return {
    pauseUntil(at) {
      pausedUntil = Math.max(pausedUntil, at);
    },
    async takeTurn() {
      for (;;) {
        const wait = pausedUntil - now();
        if (wait > 0) {
          await opts.clock.sleep(wait);
          continue;
        }
        if (opts.ratePerSecond) await takePaceTurn(1000 / opts.ratePerSecond);
        return;
      }
    },
  };
}

/** Each attempt waits for its turn to leave (place it inside the concurrency limit: paced calls leave as spaced as they were paced). */
export const paceCalls =
  (pacer: Pacer): Middleware =>
  (next) =>
  async (call) => {
    await pacer.takeTurn();
    return next(call);
  };

/**
 * 429 and 423: the request was not applied, so it is safe to repeat whatever the method; every call
 * waits for Retry-After (the limit is shared), then this one goes again, up to `maxWaits` times.
 */
export const waitForRetryAfter =
  (opts: { pacer: Pacer; clock: TimerClock; maxWaits: number; log: Logger }): Middleware =>
  (next) =>
  async (call) => {
    for (;;) {
      const res = await next(call);
      if (res.status !== 429 && res.status !== 423) return res;
      const now = opts.clock.now();
      const wait = parseRetryAfter(res.headers.get('retry-after'), now, RETRY_AFTER_CAP_MS) ?? DEFAULT_RETRY_AFTER_MS;
      opts.pacer.pauseUntil(now.getTime() + wait);
      const line = answerLine(call, res, now.getTime());
      opts.log.info({ ...line, retryAfterMs: wait }, 'Webex Wholesale asked to wait');
      await res.body?.cancel();
      call.waits += 1;
      if (call.waits > opts.maxWaits) {
        const message = `Webex Wholesale kept answering ${res.status}`;
        const { trackingId } = line;
        throw new CallFailed('rate_limited', new UpstreamError('rate_limited', message, { status: res.status, trackingId }), {
          failed: { status: res.status, errorCode: null, message, trackingId },
        });
      }
    }
  };
