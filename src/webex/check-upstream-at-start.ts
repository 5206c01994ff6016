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
