import type { Logger } from '../logger.js';

export interface WebexStarter {
  /**
   * Stops retrying. Waits for a start attempt in flight, but at most `abandonAfterMs`: the SDK sets
   * no timeout on its requests, so an attempt stuck on a silent network would otherwise hold
   * shutdown until the process is killed. An abandoned attempt that succeeds later is stopped.
   */
  cancel(): Promise<void>;
}

export interface WebexStartTimings {
  retryMs: number;
  /** How long an attempt may go unanswered before each warning that it is still waiting. */
  slowWarnMs: number;
  abandonAfterMs: number;
}

export const WEBEX_START_TIMINGS: WebexStartTimings = { retryMs: 30_000, slowWarnMs: 20_000, abandonAfterMs: 2_000 };

/**
 * Webex may be unreachable when the service starts; the API must not wait for it. The bot keeps
 * trying (a refused start is logged each time, loudly) until it starts or shutdown begins. Only one
 * attempt runs at a time: the framework holds one SDK instance, and a second start beside a stuck
 * one would leave two.
 */
export function keepWebexStarted(
  webex: { start(): Promise<void>; stop(): Promise<void> },
  logger: Logger,
  timings: WebexStartTimings = WEBEX_START_TIMINGS,
): WebexStarter {
  const retryS = Math.round(timings.retryMs / 1000);
  let cancelled = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> = Promise.resolve();

  const tryStart = () => {
    let waitedMs = 0;
    const slowTimer = setInterval(() => {
      waitedMs += timings.slowWarnMs;
      logger.warn(
        { waitedS: Math.round(waitedMs / 1000) },
        'webex bot is still waiting for Webex to answer (check network access to HYDRA_SERVICE_URL)',
      );
    }, timings.slowWarnMs);
    slowTimer.unref();
    attempt = webex.start().then(
      async () => {
        clearInterval(slowTimer);
        if (!cancelled) return;
        // Started after shutdown gave up on it: nothing will use it, and its socket would hold the process.
        await webex.stop().catch((error) => logger.warn({ err: error }, 'webex bot started after shutdown began and did not stop cleanly'));
      },
      (error: unknown) => {
        clearInterval(slowTimer);
        if (cancelled) return;
        logger.error({ err: error }, `webex bot did not start; retrying in ${retryS} s (check WEBEX_BOT_TOKEN and HYDRA_SERVICE_URL)`);
        retryTimer = setTimeout(tryStart, timings.retryMs);
      },
    );
  };
  tryStart();

  return {
    async cancel() {
      cancelled = true;
      clearTimeout(retryTimer);
      let abandonTimer: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        attempt.then(() => true),
        new Promise<false>((resolve) => (abandonTimer = setTimeout(() => resolve(false), timings.abandonAfterMs))),
      ]);
      clearTimeout(abandonTimer);
      if (!settled) logger.warn({ waitedMs: timings.abandonAfterMs }, 'webex bot start still waiting for Webex at shutdown; abandoning it');
    },
  };
}
