import { deliveryQueue, recordAttempt, type ClaimedDelivery } from '../db/repositories/webhooks.js';
import { parseRetryAfter } from '../domain/backoff.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../ports.js';
import { runLeaseQueueBatch } from './run-lease-queue.js';
import type { Store } from './store.js';

export type OutboundDelivery = ClaimedDelivery;

export const DELIVERY_MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const BATCH = 20;
const BACKOFF = { baseMs: 5_000, capMs: 60 * 60_000 };

/** What one POST to a receiver came to: `error` null when it was accepted. */
export interface DeliveryAttempt {
  statusCode: number | null;
  error: string | null;
  /** The receiver's Retry-After header, if any. */
  retryAfter: string | null;
}

export interface DeliveryBatchDeps {
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** Sends one delivery (signed at `at`); never throws, failures come back in the attempt. */
  send(delivery: OutboundDelivery, at: Date): Promise<DeliveryAttempt>;
}

/**
 * Delivers one batch of the outbox. One receiver gets its events one at a time, in order; different
 * receivers in parallel. Every attempt is recorded; a failure retries with exponential backoff and
 * jitter (or the receiver's Retry-After); after the last attempt the delivery is dead, visible and
 * replayable.
 */
export function runDeliveryBatch(store: Store, deps: DeliveryBatchDeps): Promise<number> {
  return runLeaseQueueBatch(store, {
    queue: deliveryQueue,
    clock: deps.clock,
    leaseMs: LEASE_MS,
    batchSize: BATCH,
    maxAttempts: DELIVERY_MAX_ATTEMPTS,
    backoff: BACKOFF,
    ...(deps.random ? { random: deps.random } : {}),
    laneOf: (d) => d.subscription_id,
    // An HTTP call has no business inside a transaction; the attempt is recorded before its outcome.
    inTransaction: () => false,
    async handle(db, d, startedAt) {
      const started = performance.now();
      const attempt = await deps.send(d, startedAt);
      await recordAttempt(db, {
        deliveryId: d.id,
        at: startedAt,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: performance.now() - started,
      });
      if (!attempt.error) return { status: 'done', set: { last_status: attempt.statusCode, last_error: null } };
      const now = deps.clock.now();
      const retryAfterMs = parseRetryAfter(attempt.retryAfter, now, BACKOFF.capMs);
      return {
        status: 'retry',
        error: attempt.error,
        ...(retryAfterMs === undefined ? {} : { at: new Date(now.getTime() + retryAfterMs) }),
        set: { last_status: attempt.statusCode },
      };
    },
    onSettled(d, settled) {
      if (settled.outcome === 'parked')
        deps.logger.warn({ deliveryId: d.id, eventId: d.event_id, url: d.url, error: settled.error }, 'webhook delivery dead-lettered');
      else if (settled.threw !== undefined)
        deps.logger.warn({ err: settled.threw, deliveryId: d.id, eventId: d.event_id }, 'webhook delivery threw; will retry');
    },
  });
}
