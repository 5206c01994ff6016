import { sql } from 'kysely';
import type { Db } from '../schema.js';

export interface OutboundEvent {
  id: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/**
 * Queues an event for every live subscription of the partner (and of its parent, who sees its
 * sub-partners' business) that asked for this type. Call it in the transaction that made the change.
 */
export async function enqueueDeliveries(db: Db, partnerId: string, event: OutboundEvent): Promise<number> {
  const payload = JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: event.data });
  const r = await sql`
    insert into webhook_deliveries (event_id, subscription_id, event_type, payload, next_attempt_at, created_at)
    select ${event.id}, s.id, ${event.type}, ${payload}, ${event.occurredAt}::timestamptz, ${event.occurredAt}::timestamptz
    from webhook_subscriptions s
    where s.deleted_at is null and s.event_types ? ${event.type}
      and s.partner_id in (select id from partners where id = ${partnerId} union all select parent_id from partners where id = ${partnerId} and parent_id is not null)`.execute(db);
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

/** Leases due deliveries; SKIP LOCKED lets every instance dispatch side by side without doubles. */
export async function claimDeliveries(db: Db, now: Date, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  const r = await sql<ClaimedDelivery>`
    update webhook_deliveries d set locked_until = ${new Date(now.getTime() + leaseMs)}, attempts = d.attempts + 1
    from webhook_subscriptions s
    where s.id = d.subscription_id and d.id in (
      select id from webhook_deliveries
      where status = 'pending' and next_attempt_at <= ${now} and (locked_until is null or locked_until < ${now})
      order by next_attempt_at, id limit ${limit}
      for update skip locked)
    returning d.id, d.subscription_id, d.event_id, d.event_type, d.payload, d.attempts, s.url, s.secret`.execute(db);
  // UPDATE … RETURNING comes back in no particular order; deliveries go out oldest first.
  return r.rows.map((row) => ({ ...row, id: Number(row.id) })).sort((a, b) => a.id - b.id);
}

export async function recordAttempt(db: Db, a: { deliveryId: number; at: Date; statusCode: number | null; error: string | null; durationMs: number }): Promise<void> {
  await db.insertInto('webhook_delivery_attempts').values({ delivery_id: a.deliveryId, at: a.at, status_code: a.statusCode, error: a.error, duration_ms: Math.round(a.durationMs) }).execute();
}

export async function markDelivered(db: Db, id: number, now: Date, statusCode: number): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ status: 'delivered', delivered_at: now, locked_until: null, last_status: statusCode, last_error: null }).where('id', '=', id).execute();
}

export async function markRetry(db: Db, id: number, next: Date, statusCode: number | null, error: string): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ next_attempt_at: next, locked_until: null, last_status: statusCode, last_error: error }).where('id', '=', id).execute();
}

export async function markDead(db: Db, id: number, statusCode: number | null, error: string): Promise<void> {
  await db.updateTable('webhook_deliveries').set({ status: 'dead', locked_until: null, last_status: statusCode, last_error: error }).where('id', '=', id).execute();
}
