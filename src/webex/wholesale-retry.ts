import { backoffMs } from '../domain/backoff.js';
import type { TimerClock } from '../platform/timer-clock.js';
import { CallFailed, type Middleware, type WholesaleCall } from './wholesale-call.js';

/**
 * Repeats an idempotent call after a 5xx, a timeout or a dropped connection, with backoff and jitter,
 * up to `maxAttempts` attempts and while `mayRetry` (the circuit) allows; a call that is not
 * idempotent is never repeated (its failure says `ambiguous`, so the caller looks before repeating it).
 */
export const retryFailures =
  (opts: {
    maxAttempts: number;
    backoff: { baseMs: number; capMs: number };
    random: () => number;
    clock: TimerClock;
    mayRetry: () => boolean;
  }): Middleware =>
  (next) =>
  async (call) => {
    const again = (c: WholesaleCall) => c.idempotent && c.attempt < opts.maxAttempts && opts.mayRetry();
    const pause = () => opts.clock.sleep(backoffMs(call.attempt, opts.random(), opts.backoff));
    for (;;) {
      call.attempt += 1;
      let res: Response;
      try {
        res = await next(call);
      } catch (error) {
        if (error instanceof CallFailed && error.opts.retryable && again(call)) {
          await pause();
          continue;
        }
        throw error;
      }
      if (res.status >= 500 && again(call)) {
        await res.body?.cancel();
        await pause();
        continue;
      }
      return res;
    }
  };
