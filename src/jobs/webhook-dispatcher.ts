import type { Logger } from '../logger.js';
import type { Clock } from '../ports.js';
import { runDeliveryBatch, type DeliveryAttempt, type OutboundDelivery } from '../use-cases/run-delivery-batch.js';
import type { Store } from '../use-cases/store.js';
import { signEvent } from '../webhooks/verify-signature.js';
import { createPoller, type Poller } from './create-poller.js';

export { DELIVERY_MAX_ATTEMPTS } from '../use-cases/run-delivery-batch.js';
const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 4_096;

export interface DispatcherDeps {
  db: Store;
  logger: Logger;
  clock: Clock;
  pollMs: number;
  /** Injected so tests can drive a receiver on localhost; production passes the global fetch. */
  fetch?: typeof fetch;
  random?: () => number;
}

/**
 * Delivers the outbox: signed POSTs, no redirects followed, at most 4 KB of any answer read. A failure
 * retries with exponential backoff and jitter (or the receiver's Retry-After); after the last attempt
 * the delivery is dead, visible and replayable. Every attempt is logged.
 */
export function createWebhookDispatcher(deps: DispatcherDeps): Poller {
  const logger = deps.logger.child({ component: 'webhook-dispatcher' });
  const doFetch = deps.fetch ?? fetch;

  async function send(d: OutboundDelivery, at: Date): Promise<DeliveryAttempt> {
    let statusCode: number | null = null;
    let error: string | null = null;
    let retryAfter: string | null = null;
    try {
      const res = await doFetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'WholesaleDesk-Webhooks/1',
          'webhook-id': d.event_id,
          'webhook-signature': signEvent(d.payload, d.secret, Math.floor(at.getTime() / 1000)),
        },
        body: d.payload,
      });
      statusCode = res.status;
      retryAfter = res.headers.get('retry-after');
      await readCapped(res);
      if (statusCode >= 300 && statusCode < 400) error = `redirect to ${res.headers.get('location') ?? '(none)'} not followed; point the subscription at the final URL`;
      else if (statusCode < 200 || statusCode >= 300) error = `receiver answered ${statusCode}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    return { statusCode, error, retryAfter };
  }

  const batch = { clock: deps.clock, logger, send, ...(deps.random ? { random: deps.random } : {}) };
  return createPoller('webhook-dispatcher', () => runDeliveryBatch(deps.db, batch), { pollMs: deps.pollMs, logger: deps.logger });
}

/** Reads at most MAX_RESPONSE_BYTES of an answer, then drops the rest: a receiver cannot flood us. */
async function readCapped(res: Response): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let read = 0;
  try {
    while (read < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
