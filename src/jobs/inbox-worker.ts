import type { Kysely } from 'kysely';
import { claimInboundEvents, finishInboundEvent, retryInboundEvent } from '../db/repositories/inbound-events.js';
import type { Database } from '../db/schema.js';
import { backoffMs } from '../domain/backoff.js';
import type { Logger } from '../logger.js';
import type { Clock, IdSource } from '../ports.js';
import { applyInboundEvent, TRANSIENT_PROBLEMS } from '../use-cases/apply-inbound-event.js';
import { createPoller, type Poller } from './create-poller.js';

const LEASE_MS = 60_000;
const BATCH = 50;
export const INBOX_MAX_ATTEMPTS = 8;

/**
 * Applies stored inbound events. Each event and its effect commit in one transaction; a transient
 * failure (the customer does not exist yet, or is settling) or an unexpected error retries with
 * backoff; a permanent one, or the last attempt, parks the event as `failed` for replay.
 */
export function createInboxWorker(deps: { db: Kysely<Database>; logger: Logger; clock: Clock; ids: IdSource; pollMs: number; random?: () => number }): Poller {
  const log = deps.logger.child({ component: 'inbox-worker' });
  const random = deps.random ?? Math.random;

  async function runBatch(): Promise<number> {
    const events = await claimInboundEvents(deps.db, deps.clock.now(), LEASE_MS, BATCH);
    for (const event of events) {
      const now = deps.clock.now();
      const retryAt = new Date(now.getTime() + backoffMs(event.attempts, random(), { baseMs: 1_000, capMs: 10 * 60_000 }));
      const lastAttempt = event.attempts >= INBOX_MAX_ATTEMPTS;
      try {
        const outcome = await deps.db.transaction().execute(async (trx) => {
          const result = await applyInboundEvent(trx, event, { now, uuid: deps.ids.uuid });
          if (result.ok) {
            await finishInboundEvent(trx, event.seq, 'done', now, { result: result.value });
            return 'done';
          }
          const error = result.problems.map((p) => `${p.code}: ${p.field ? `${p.field}: ` : ''}${p.message}`).join('; ');
          const transient = result.problems.every((p) => TRANSIENT_PROBLEMS.includes(p.code));
          if (transient && !lastAttempt) {
            await retryInboundEvent(trx, event.seq, retryAt, error);
            return 'retry';
          }
          await finishInboundEvent(trx, event.seq, 'failed', now, { error });
          return 'failed';
        });
        log.info({ eventId: event.id, type: event.type, outcome, attempts: event.attempts }, 'inbound event');
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (lastAttempt) await finishInboundEvent(deps.db, event.seq, 'failed', now, { error: message });
        else await retryInboundEvent(deps.db, event.seq, retryAt, message);
        log.warn({ err: error, eventId: event.id, type: event.type, attempts: event.attempts }, 'inbound event threw; will retry');
      }
    }
    return events.length;
  }

  return createPoller('inbox-worker', runBatch, { pollMs: deps.pollMs, logger: deps.logger });
}
