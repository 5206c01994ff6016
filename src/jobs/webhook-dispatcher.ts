import type { Kysely } from 'kysely';
import { claimDeliveries, markDead, markDelivered, markRetry, recordAttempt, type ClaimedDelivery } from '../db/repositories/webhooks.js';
import type { Database } from '../db/schema.js';
import { backoffMs, parseRetryAfter } from '../domain/backoff.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../ports.js';
import { signEvent } from '../webhooks/verify-signature.js';
import { createPoller, type Poller } from './create-poller.js';

export const DELIVERY_MAX_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 4_096;
const BACKOFF = { baseMs: 5_000, capMs: 60 * 60_000 };

export interface DispatcherDeps {
  db: Kysely<Database>;
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
  const log = deps.logger.child({ component: 'webhook-dispatcher' });
  const doFetch = deps.fetch ?? fetch;
  const random = deps.random ?? Math.random;

  async function deliver(d: ClaimedDelivery): Promise<void> {
    const startedAt = deps.clock.now();
    const started = performance.now();
    let status: number | null = null;
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
          'webhook-signature': signEvent(d.payload, d.secret, Math.floor(startedAt.getTime() / 1000)),
        },
        body: d.payload,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      await readCapped(res);
      if (status >= 300 && status < 400) error = `redirect to ${res.headers.get('location') ?? '(none)'} not followed; point the subscription at the final URL`;
      else if (status < 200 || status >= 300) error = `receiver answered ${status}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    const durationMs = performance.now() - started;
    const now = deps.clock.now();
    await recordAttempt(deps.db, { deliveryId: d.id, at: startedAt, statusCode: status, error, durationMs });
    if (!error) {
      await markDelivered(deps.db, d.id, now, status as number);
      return;
    }
    if (d.attempts >= DELIVERY_MAX_ATTEMPTS) {
      await markDead(deps.db, d.id, status, error);
      log.warn({ deliveryId: d.id, eventId: d.event_id, url: d.url, error }, 'webhook delivery dead-lettered');
      return;
    }
    const delay = parseRetryAfter(retryAfter, now, BACKOFF.capMs) ?? backoffMs(d.attempts, random(), BACKOFF);
    await markRetry(deps.db, d.id, new Date(now.getTime() + delay), status, error);
  }

  async function runBatch(): Promise<number> {
    const batch = await claimDeliveries(deps.db, deps.clock.now(), LEASE_MS, 20);
    // One receiver gets its events one at a time, in order; different receivers in parallel.
    const bySubscription = new Map<string, ClaimedDelivery[]>();
    for (const d of batch) bySubscription.set(d.subscription_id, [...(bySubscription.get(d.subscription_id) ?? []), d]);
    await Promise.all([...bySubscription.values()].map(async (queue) => {
      for (const d of queue) await deliver(d);
    }));
    return batch.length;
  }

  return createPoller('webhook-dispatcher', runBatch, { pollMs: deps.pollMs, logger: deps.logger });
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
