import { insertInboundEvents, countInboundEventsByStatus } from '../db/repositories/inbound-event-intake.js';
import { listFailedInboundEvents, replayInboundEvent, type NewInboundEvent } from '../db/repositories/inbound-events.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { isDatabaseUnavailable } from '../db/is-database-unavailable.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Store } from './store.js';
import type { ParkedInboundEvent } from '../contracts/events.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import type { ActingPartner } from './partner-views.js';

export type InboundEventToStore = NewInboundEvent;

/**
 * Stores a batch in one commit; returns the ids stored now (the others were known already).
 * An explicit transaction, not an autocommit INSERT: an INSERT held up in the network (a database
 * that stopped answering) and delivered after the request answered 503 would commit on arrival;
 * inside BEGIN…COMMIT the server ends the idle transaction (idle_in_transaction_session_timeout,
 * shorter than the client's read timeout) before the late statement can commit.
 */
export const storeInboundEvents = (store: Store, events: readonly InboundEventToStore[]): Promise<Set<string>> =>
  runInTransaction(store, (trx) => insertInboundEvents(trx, events));

export type SeparateOutcome = { stored: boolean } | { error: unknown };

/**
 * Stores each event in its own INSERT (after a batch failed): one bad event fails alone. When the
 * database itself is down, the rest are not tried: they get the same error at once.
 */
export async function storeInboundEventsSeparately(
  store: Store,
  events: readonly InboundEventToStore[],
): Promise<Map<string, SeparateOutcome>> {
  const outcomes = new Map<string, SeparateOutcome>();
  let down: unknown;
  for (const event of events) {
    if (down !== undefined) {
      outcomes.set(event.id, { error: down });
      continue;
    }
    try {
      // Through storeInboundEvents (its own transaction), so an event answered 503 never commits late.
      outcomes.set(event.id, { stored: (await storeInboundEvents(store, [event])).has(event.id) });
    } catch (error) {
      if (isDatabaseUnavailable(error)) down = error;
      outcomes.set(event.id, { error });
    }
  }
  return outcomes;
}

/** A database fault (503 and retry), as opposed to something wrong with what was stored. */
export const isStoreUnavailable = (error: unknown): boolean => isDatabaseUnavailable(error);

/** Inbound events belong to the root partner; undefined until the first start has seeded it. */
export const findEventIntakePartnerId = async (store: Store): Promise<string | undefined> => (await findRootPartner(store))?.id;

/** One page of parked events (one more than asked: there is a next page). */
export const listParkedInboundEvents = async (
  store: Store,
  partner: ActingPartner,
  page: { offset: number; max: number },
): Promise<ParkedInboundEvent[]> =>
  (await listFailedInboundEvents(store, partner.id, page.offset, page.max)).map((e) => ({
    id: e.id,
    type: e.type,
    occurredAt: e.occurred_at.toISOString(),
    receivedAt: e.received_at.toISOString(),
    attempts: e.attempts,
    error: e.last_error,
    data: e.data,
  }));

export const countInboundEvents = (store: Store, partner: ActingPartner) => countInboundEventsByStatus(store, partner.id);

/** Only a parked (failed) event can be replayed: it becomes pending again, due now. */
export async function replayFailedInboundEvent(store: Store, partner: ActingPartner, id: string, now: Date): Promise<Result<void>> {
  const outcome = await replayInboundEvent(store, partner.id, id, now);
  if (outcome === 'not_found') return fail(problem('not_found', `no inbound event ${id}`));
  if (outcome === 'not_failed')
    return fail(problem('event_not_failed', 'only a failed event can be replayed; this one is pending or done'));
  return ok(undefined);
}
