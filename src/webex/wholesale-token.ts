import type { Logger } from '../logger.js';
import type { TimerClock } from '../platform/timer-clock.js';
import { UpstreamError } from '../ports.js';
import { answerLine, CallFailed, type Middleware } from './wholesale-call.js';
import type { WholesaleTokenSource } from './wholesale-tokens.js';

/**
 * Each attempt carries the current token (`call.token`, sent as the bearer). A token source that
 * fails is the call's end: its refresh refused is `unauthorized` (the integration's credentials),
 * its endpoint unreachable is `unavailable` and counts against the circuit.
 */
export const attachToken =
  (tokens: WholesaleTokenSource): Middleware =>
  (next) =>
  async (call) => {
    try {
      call.token = await tokens.get();
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      const status = error.details.status ?? null;
      const trackingId = error.details.trackingId ?? null;
      const failed = { status, errorCode: null, message: error.message, trackingId };
      if (error.kind === 'unavailable')
        throw new CallFailed('unavailable', error, { failed, fault: { message: error.message, trackingId, status } });
      throw new CallFailed('unauthorized', new UpstreamError('unauthorized', error.message, error.details), { failed });
    }
    return next(call);
  };

/** A 401 to the token an attempt carried: refreshed once (OAuth) and the call sent again; a fixed token's 401 is the answer. */
export const refreshTokenOn401 =
  (opts: { tokens: WholesaleTokenSource; clock: TimerClock; log: Logger }): Middleware =>
  (next) =>
  async (call) => {
    for (;;) {
      const res = await next(call);
      if (res.status !== 401 || call.refreshed || call.token === undefined || !opts.tokens.invalidate(call.token)) return res;
      opts.log.info(answerLine(call, res, opts.clock.now().getTime()), 'Webex Wholesale answered 401; refreshing the access token');
      await res.body?.cancel();
      call.refreshed = true;
    }
  };
