import type { Logger } from '../logger.js';
import type { WebexWholesalePort } from '../ports.js';
import { describeUpstreamHealth } from '../domain/upstream-health.js';

/**
 * At start, one cheap authenticated call (a one-item customer list) says whether Webex accepts the
 * desk's token (or the OAuth refresh works) before any work depends on it; the outcome is logged in
 * words with what to do, and shown in GET /v1/upstream/status (`tokenCheck`). It runs beside the start,
 * never holding it up: an unreachable Webex must not keep the desk from serving.
 */
export async function checkUpstreamAtStart(upstream: WebexWholesalePort, logger: Logger): Promise<void> {
  if (!upstream.checkConnection) return;
  const { outcome, error } = await upstream.checkConnection();
  const status = upstream.status();
  const fields = { outcome, status: error?.status ?? null, trackingId: error?.trackingId ?? null };
  if (outcome === 'ok') {
    logger.info(fields, 'Webex Wholesale accepted the token: upstream calls go through');
    return;
  }
  const words = describeUpstreamHealth({
    state: outcome === 'unauthorized' ? 'unauthorized' : status.state === 'ok' ? 'degraded' : (status.state ?? 'degraded'),
    auth: status.auth,
    lastError: error,
    retryAt: status.circuit?.retryAt,
  });
  if (outcome === 'unauthorized') logger.error(fields, `Webex Wholesale token check failed. ${words}`);
  else logger.warn(fields, `Webex Wholesale token check could not complete (${outcome}). ${words}`);
}

/**
 * While Webex refuses the token, the check is repeated (every `everyMs`, one cheap call): a scope granted
 * in Control Hub or a token re-enabled needs no restart, and the status should say so as soon as it is
 * true, so people know a retry will now go through. Held work still waits for that retry. Answers a stop.
 */
export function recheckWhileRefused(upstream: WebexWholesalePort, logger: Logger, everyMs = 60_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running || upstream.status().state !== 'unauthorized' || !upstream.checkConnection) return;
    running = true;
    void upstream
      .checkConnection()
      .then(({ outcome }) => {
        if (outcome === 'ok')
          logger.info('Webex Wholesale accepts the token again: retry the held work (chat "retry failed", or POST /v1/tasks/retry)');
      })
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
