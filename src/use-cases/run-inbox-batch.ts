import { inboxQueue } from '../db/repositories/inbound-events.js';
import type { Logger } from '../logger.js';
import type { Clock, IdSource } from '../ports.js';
import { applyInboundEvent, TRANSIENT_PROBLEMS } from './apply-inbound-event.js';
import { runLeaseQueueBatch } from './run-lease-queue.js';
import type { Store } from './store.js';

const LEASE_MS = 60_000;
const BATCH = 50;
export const INBOX_MAX_ATTEMPTS = 8;
const BACKOFF = { baseMs: 1_000, capMs: 10 * 60_000 };

export interface InboxBatchDeps {
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  random?: () => number;
  /** Upstream mode: subscribers the events add, change or remove go through Webex (tasks), as from the API. */
  viaWebex?: boolean;
}

/**
 * Applies one batch of stored inbound events. Each event and its effect commit in one transaction; a
 * transient failure (the customer does not exist yet, or is settling) or an unexpected error retries
 * with backoff; a permanent one, or the last attempt, parks the event as `failed` for replay.
 */
export function runInboxBatch(store: Store, deps: InboxBatchDeps): Promise<number> {
  return runLeaseQueueBatch(store, {
    queue: inboxQueue,
    clock: deps.clock,
    leaseMs: LEASE_MS,
    batchSize: BATCH,
    maxAttempts: INBOX_MAX_ATTEMPTS,
    backoff: BACKOFF,
    ...(deps.random ? { random: deps.random } : {}),
    async handle(trx, event, now) {
      const result = await applyInboundEvent(trx, event, { now, uuid: deps.ids.uuid, viaWebex: deps.viaWebex ?? false });
      if (result.ok) return { status: 'done', set: { result: JSON.stringify(result.value), last_error: null } };
      const error = result.problems.map((p) => `${p.code}: ${p.field ? `${p.field}: ` : ''}${p.message}`).join('; ');
      const transient = result.problems.every((p) => TRANSIENT_PROBLEMS.includes(p.code));
      return transient ? { status: 'retry', error } : { status: 'park', error, set: { result: null } };
    },
    onSettled(event, settled) {
      if (settled.threw !== undefined) {
        deps.logger.warn(
          { err: settled.threw, eventId: event.id, type: event.type, attempts: event.attempts },
          'inbound event threw; will retry',
        );
        return;
      }
      const outcome = settled.outcome === 'parked' ? 'failed' : settled.outcome;
      deps.logger.info({ eventId: event.id, type: event.type, outcome, attempts: event.attempts }, 'inbound event');
    },
  });
}
