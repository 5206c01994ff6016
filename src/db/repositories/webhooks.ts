import type { OutboundEventData, OutboundEventType } from '../../contracts/webhook-subscriptions.js';
import { sql } from 'kysely';
import { replayParked, type LeaseQueue } from '../lease-queue.js';
import type { Db } from '../schema.js';

/** One event for subscribed systems; `data` is typed from the contract of its type. */
export interface OutboundEvent<T extends OutboundEventType = OutboundEventType> {
  id: string;
  type: T;
  occurredAt: Date;
  data: OutboundEventData<T>;
}

/**
 * Queues an event for every live subscription of the partner (and of its parent, who sees its
 * sub-partners' business) that asked for this type; a disabled one (a target today's rules refuse) gets none. Call it in the transaction that made the change.
 */
export async function enqueueDeliveries<T extends OutboundEventType>(db: Db, partnerId: string, event: OutboundEvent<T>): Promise<number> {
  const payload = JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.data });
  const r = await sql`
    insert into webhook_deliveries (event_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    select ${event.id}, s.id, ${event.type}, ${payload}, ${event.occurredAt}::timestamptz, ${event.occurredAt}::timestamptz
    from webhook_subscriptions s
    where s.deleted_at is null and s.disabled_reason is null and s.event_types ? ${event.type}
      and s.partner_id in (select id from partners where id = ${partnerId} union all select parent_id from partners where id = ${partnerId} and parent_id is not null)`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0);
}

export interface ClaimedDelivery {
  id: number;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * The outbox: due by `next_attempt_at`, parked as `dead`; a claim brings the subscription's URL and
 * secret. A claim takes at most one delivery per subscription (its receiver's lane), the first due,
 * and none of a subscription that has one in flight (leased) or was deleted: one slow receiver holds
 * only its own lane, and no claimed delivery waits behind another under a lease it could outlive.
 */
export const deliveryQueue: LeaseQueue<'webhook_deliveries', ClaimedDelivery> = {
  table: 'webhook_deliveries',
  key: 'id',
  dueColumn: 'next_attempt_at',
  orderBy: ['next_attempt_at', 'id'],
  statuses: { done: 'delivered', parked: 'dead' },
  doneAtColumn: 'delivered_at',
  parkedAtColumn: null,
  returning: ['id', 'subscription_id', 'event_id', 'event_type', 'payload', 'attempts'],
  join: { table: 'webhook_subscriptions', column: 'id', on: 'subscription_id', returning: ['url', 'secret'] },
  dueFilterAt: (now) => sql`
    not exists (select 1 from webhook_subscriptions s where s.id = c.subscription_id
      and (s.deleted_at is not null or s.disabled_reason is not null))
    and not exists (select 1 from webhook_deliveries f where f.subscription_id = c.subscription_id
      and f.status = 'pending' and f.locked_until >= ${now})
    and not exists (select 1 from webhook_deliveries e where e.subscription_id = c.subscription_id
      and e.status = 'pending' and e.next_attempt_at <= ${now} and (e.locked_until is null or e.locked_until < ${now})
      and (e.next_attempt_at, e.id) < (c.next_attempt_at, c.id))`,
  toClaimed: (r) => ({ ...(r as unknown as ClaimedDelivery), id: Number(r.id) }),
  keyOf: (d) => d.id,
};

export async function recordAttempt(
  db: Db,
  a: { deliveryId: number; at: Date; statusCode: number | null; error: string | null; durationMs: number },
): Promise<void> {
  await db
    .insertInto('webhook_delivery_attempts')
    .values({ delivery_id: a.deliveryId, at: a.at, status_code: a.statusCode, error: a.error, duration_ms: Math.round(a.durationMs) })
    .execute();
}

/** Puts a dead delivery back in the outbox, due now; false when it is not dead. */
export async function replayDeadDelivery(db: Db, id: number, now: Date): Promise<boolean> {
  return (await replayParked(db, deliveryQueue, { id }, now)) > 0;
}
