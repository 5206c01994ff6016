import { claimDue } from '../db/lease-queue.js';
import { deliveryQueue, recordAttempt, type ClaimedDelivery } from '../db/repositories/webhooks.js';
import { parseRetryAfter } from '../domain/backoff.js';
import { redactWebhookUrl } from '../domain/webhook-targets.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../ports.js';
import { runLeaseQueueRow, type LeaseQueueRun } from './run-lease-queue.js';
import type { Store } from './store.js';

export type OutboundDelivery = ClaimedDelivery;

export const DELIVERY_MAX_ATTEMPTS = 8;
/**
 * A claimed delivery starts at once (never queued behind another), so the lease only has to outlive
 * one POST (the sender's timeout, 10 s) and two writes; it is renewed every third of it besides.
 */
export const DELIVERY_LEASE_MS = 60_000;
/** Receivers served at once: one delivery in flight per receiver, at most this many receivers. */
export const DELIVERY_LANES = 4;
const BACKOFF = { baseMs: 5_000, capMs: 60 * 60_000 };

/** What one POST to a receiver came to: `error` null when it was accepted. */
export interface DeliveryAttempt {
  statusCode: number | null;
  error: string | null;
  /** The receiver's Retry-After header, if any. */
  retryAfter: string | null;
  /** The target is not allowed (a non-public address): parked at once, not retried. */
  refused?: boolean;
}

export interface DeliveryBatchDeps {
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** Sends one delivery (signed at `at`); never throws, failures come back in the attempt. */
  send(delivery: OutboundDelivery, at: Date): Promise<DeliveryAttempt>;
  /** Opens a stored subscription secret (SecretBox.open); absent, secrets are used as stored. */
  openSecret?: (stored: string) => string;
  /** Receivers served at once (DELIVERY_LANES by default). */
  lanes?: number;
  /** How long a batch waits for an in-flight delivery before it claims again (the poll interval). */
  waitMs: number;
}

export interface DeliveryLanes {
  /**
   * Claims due deliveries for the free lanes (one per receiver) and starts them, then waits until one
   * settles, `waitMs` passes or `wake()` is called, claiming again meanwhile; answers how many settled.
   * 0 means nothing is in flight and nothing is due.
   */
  runBatch(): Promise<number>;
  /** Work was queued: claim now rather than after `waitMs`. */
  wake(): void;
}

/**
 * Delivers the outbox. Each receiver (subscription) is a lane: its events go one at a time, in order;
 * up to DELIVERY_LANES receivers are served side by side, and a receiver that never answers holds only
 * its own lane while the others keep being claimed and sent. Every attempt is recorded; a failure
 * retries with exponential backoff and jitter (or the receiver's Retry-After); after the last attempt
 * (or at once when the target is refused) the delivery is dead, visible and replayable.
 */
export function createDeliveryLanes(store: Store, deps: DeliveryBatchDeps): DeliveryLanes {
  const lanes = deps.lanes ?? DELIVERY_LANES;
  const inFlight = new Set<Promise<void>>();
  let settledCount = 0;
  let poke: (() => void) | undefined;
  const run: LeaseQueueRun<'webhook_deliveries', ClaimedDelivery> = {
    queue: deliveryQueue,
    clock: deps.clock,
    leaseMs: DELIVERY_LEASE_MS,
    batchSize: lanes,
    maxAttempts: DELIVERY_MAX_ATTEMPTS,
    backoff: BACKOFF,
    ...(deps.random ? { random: deps.random } : {}),
    // An HTTP call has no business inside a transaction; the attempt is recorded before its outcome.
    inTransaction: () => false,
    async handle(db, d, startedAt) {
      const started = performance.now();
      // Subscription secrets are stored sealed (SECRETS_KEY); the sender signs with the plain one.
      const attempt = await deps.send(deps.openSecret ? { ...d, secret: deps.openSecret(d.secret) } : d, startedAt);
      await recordAttempt(db, {
        deliveryId: d.id,
        at: startedAt,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: performance.now() - started,
      });
      if (!attempt.error) return { status: 'done', set: { last_status: attempt.statusCode, last_error: null } };
      if (attempt.refused) return { status: 'park', error: attempt.error, set: { last_status: null } };
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
        deps.logger.warn(
          { deliveryId: d.id, eventId: d.event_id, url: redactWebhookUrl(d.url), error: settled.error },
          'webhook delivery dead-lettered',
        );
      else if (settled.threw !== undefined)
        deps.logger.warn({ err: settled.threw, deliveryId: d.id, eventId: d.event_id }, 'webhook delivery threw; will retry');
    },
  };

  async function fillLanes(): Promise<void> {
    const free = lanes - inFlight.size;
    if (free <= 0) return;
    // Receivers in flight here hold a live lease, so the claim skips them (as it does another instance's).
    const rows = await claimDue(store, deliveryQueue, deps.clock.now(), DELIVERY_LEASE_MS, free);
    for (const row of rows) {
      const running: Promise<void> = runLeaseQueueRow(store, run, row)
        .catch((err: unknown) => deps.logger.error({ err, deliveryId: row.id }, 'webhook delivery could not be recorded'))
        .finally(() => {
          inFlight.delete(running);
          settledCount += 1;
          poke?.();
        });
      inFlight.add(running);
    }
  }

  return {
    async runBatch() {
      const before = settledCount;
      for (;;) {
        await fillLanes();
        if (settledCount > before) return settledCount - before;
        if (inFlight.size === 0) return 0;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deps.waitMs);
          poke = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        poke = undefined;
      }
    },
    wake() {
      poke?.();
    },
  };
}
