import type { Logger } from '../logger.js';
import type { TimerClock } from '../platform/timer-clock.js';
import { UpstreamError } from '../ports.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { answerLine, CallFailed, type Middleware } from './wholesale-call.js';

/** Something Webex did wrong (5xx, no answer, a token endpoint down): what the circuit counts. */
export interface UpstreamFault {
  message: string;
  trackingId: string | null;
  status: number | null;
}

/**
 * Fails calls at once while the circuit is open; counts each attempt's 5xx and missing answer as a
 * failure and any answer Webex gave on the request's merits as a success. 401/403 and 429/423 say
 * nothing about Webex's health and leave the circuit as it is.
 */
export const guardWithBreaker =
  (opts: { breaker: CircuitBreaker; onFault: (fault: UpstreamFault) => void; clock: TimerClock; log: Logger }): Middleware =>
  (next) =>
  async (call) => {
    if (!opts.breaker.allow())
      throw new CallFailed(
        'unavailable',
        new UpstreamError('unavailable', 'Webex Wholesale is failing; the circuit is open', { ambiguous: false }),
      );
    let res: Response;
    try {
      res = await next(call);
    } catch (error) {
      if (error instanceof CallFailed && error.opts.fault) {
        opts.breaker.failure();
        opts.onFault(error.opts.fault);
      }
      throw error;
    }
    if (res.status >= 500) {
      opts.breaker.failure();
      const line = answerLine(call, res, opts.clock.now().getTime());
      opts.onFault({ message: `${call.method} ${call.path}: ${res.status}`, trackingId: line.trackingId, status: null });
      opts.log.warn(line, 'Webex Wholesale call failed');
    } else if (![401, 403, 423, 429].includes(res.status)) opts.breaker.success();
    return res;
  };
