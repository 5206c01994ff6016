import { insertInboundEvents, countInboundEventsByStatus } from '../db/repositories/inbound-event-intake.js';
import { listFailedInboundEvents, replayInboundEvent, type NewInboundEvent } from '../db/repositories/inbound-events.js';
import { findRootPartner } from '../db/repositories/partners.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { PartnerRow } from '../db/schema.js';
import type { Store } from './store.js';

export type InboundEventToStore = NewInboundEvent;

/** Stores a batch in one commit; returns the ids stored now (the others were known already). */
export const storeInboundEvents = (store: Store, events: readonly InboundEventToStore[]): Promise<Set<string>> =>
  insertInboundEvents(store, events);

/** Inbound events belong to the root partner; undefined until the first start has seeded it. */
export const findEventIntakePartnerId = async (store: Store): Promise<string | undefined> => (await findRootPartner(store))?.id;

export const listParkedInboundEvents = (store: Store, partner: PartnerRow, page: { offset: number; max: number }) =>
  listFailedInboundEvents(store, partner.id, page.offset, page.max);

export const countInboundEvents = (store: Store, partner: PartnerRow) => countInboundEventsByStatus(store, partner.id);

/** Only a parked (failed) event can be replayed: it becomes pending again, due now. */
export async function replayFailedInboundEvent(store: Store, partner: PartnerRow, id: string, now: Date): Promise<Result<void>> {
  const outcome = await replayInboundEvent(store, partner.id, id, now);
  if (outcome === 'not_found') return fail(problem('not_found', `no inbound event ${id}`));
  if (outcome === 'not_failed')
    return fail(problem('event_not_failed', 'only a failed event can be replayed; this one is pending or done'));
  return ok(undefined);
}
