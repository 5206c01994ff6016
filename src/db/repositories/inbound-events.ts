import { sql } from 'kysely';
import { replayParked, type LeaseQueue } from '../lease-queue.js';
import type { Db } from '../schema.js';

export interface NewInboundEvent {
  id: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
  orderingKey: string;
  partnerId: string;
  receivedAt: Date;
}

export interface ClaimedInboundEvent {
  seq: number;
  id: string;
  type: string;
  data: Record<string, unknown>;
  partner_id: string;
  attempts: number;
}

/**
 * The inbox: due by `run_after`, parked as `failed`. A claim takes at most the earliest pending event
 * per ordering key, so one customer's events apply in occurredAt order while different customers' run
 * side by side.
 */
export const inboxQueue: LeaseQueue<'inbound_events', ClaimedInboundEvent> = {
  table: 'inbound_events',
  key: 'seq',
  dueColumn: 'run_after',
  orderBy: ['occurred_at', 'seq'],
  statuses: { done: 'done', parked: 'failed' },
  doneAtColumn: 'finished_at',
  parkedAtColumn: 'finished_at',
  returning: ['seq', 'id', 'type', 'data', 'partner_id', 'attempts'],
  dueFilter: sql`not exists (
    select 1 from inbound_events p
    where p.ordering_key = c.ordering_key and p.status = 'pending' and (p.occurred_at, p.seq) < (c.occurred_at, c.seq))`,
  toClaimed: (r) => ({ ...(r as unknown as ClaimedInboundEvent), seq: Number(r.seq) }),
  keyOf: (e) => e.seq,
};

export const listFailedInboundEvents = (db: Db, partnerId: string, offset: number, max: number) =>
  db
    .selectFrom('inbound_events')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'failed')
    .orderBy('seq')
    .offset(offset)
    .limit(max + 1)
    .execute();

/** Puts a parked event back in the queue: only a failed one, and only once. */
export async function replayInboundEvent(
  db: Db,
  partnerId: string,
  id: string,
  now: Date,
): Promise<'replayed' | 'not_failed' | 'not_found'> {
  if ((await replayParked(db, inboxQueue, { id, partner_id: partnerId }, now)) > 0) return 'replayed';
  const exists = await db
    .selectFrom('inbound_events')
    .select('status')
    .where('id', '=', id)
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  return exists ? 'not_failed' : 'not_found';
}
