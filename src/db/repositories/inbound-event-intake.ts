import type { Db } from '../schema.js';
import type { NewInboundEvent } from './inbound-events.js';

/** One multi-row INSERT for a batch of received events; returns the ids it stored (a known id is skipped). */
export async function insertInboundEvents(db: Db, events: readonly NewInboundEvent[]): Promise<Set<string>> {
  const rows = await db
    .insertInto('inbound_events')
    .values(
      events.map((e) => ({
        id: e.id,
        type: e.type,
        occurred_at: e.occurredAt,
        data: JSON.stringify(e.data),
        ordering_key: e.orderingKey,
        partner_id: e.partnerId,
        run_after: e.receivedAt,
        received_at: e.receivedAt,
        locked_until: null,
        last_error: null,
        result: null,
        finished_at: null,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function countInboundEventsByStatus(db: Db, partnerId: string): Promise<Record<'pending' | 'done' | 'failed', number>> {
  const rows = await db
    .selectFrom('inbound_events')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('partner_id', '=', partnerId)
    .groupBy('status')
    .execute();
  const counts = { pending: 0, done: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}
