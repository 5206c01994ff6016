import { sql } from 'kysely';
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
 * Leases due events, at most the earliest pending one per ordering key, so one customer's events
 * apply in occurredAt order while different customers' run side by side.
 */
export async function claimInboundEvents(db: Db, now: Date, leaseMs: number, limit: number): Promise<ClaimedInboundEvent[]> {
  const r = await sql<ClaimedInboundEvent>`
    update inbound_events set locked_until = ${new Date(now.getTime() + leaseMs)}, attempts = attempts + 1
    where seq in (
      select e.seq from inbound_events e
      where e.status = 'pending' and e.run_after <= ${now} and (e.locked_until is null or e.locked_until < ${now})
        and not exists (
          select 1 from inbound_events p
          where p.ordering_key = e.ordering_key and p.status = 'pending' and (p.occurred_at, p.seq) < (e.occurred_at, e.seq))
      order by e.occurred_at, e.seq
      limit ${limit}
      for update skip locked)
    returning seq, id, type, data, partner_id, attempts`.execute(db);
  return r.rows.map((row) => ({ ...row, seq: Number(row.seq) })).sort((a, b) => a.seq - b.seq);
}

export async function finishInboundEvent(db: Db, seq: number, status: 'done' | 'failed', now: Date, outcome: { result?: Record<string, unknown>; error?: string }): Promise<void> {
  await db
    .updateTable('inbound_events')
    .set({ status, finished_at: now, locked_until: null, result: outcome.result ? JSON.stringify(outcome.result) : null, last_error: outcome.error ?? null })
    .where('seq', '=', seq)
    .execute();
}

export async function retryInboundEvent(db: Db, seq: number, runAfter: Date, error: string): Promise<void> {
  await db.updateTable('inbound_events').set({ run_after: runAfter, locked_until: null, last_error: error }).where('seq', '=', seq).execute();
}

export const listFailedInboundEvents = (db: Db, partnerId: string, offset: number, max: number) =>
  db.selectFrom('inbound_events').selectAll().where('partner_id', '=', partnerId).where('status', '=', 'failed').orderBy('seq').offset(offset).limit(max + 1).execute();

/** Puts a parked event back in the queue: only a failed one, and only once. */
export async function replayInboundEvent(db: Db, partnerId: string, id: string, now: Date): Promise<'replayed' | 'not_failed' | 'not_found'> {
  const r = await db
    .updateTable('inbound_events')
    .set({ status: 'pending', attempts: 0, run_after: now, locked_until: null, finished_at: null })
    .where('id', '=', id)
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) > 0) return 'replayed';
  const exists = await db.selectFrom('inbound_events').select('status').where('id', '=', id).where('partner_id', '=', partnerId).executeTakeFirst();
  return exists ? 'not_failed' : 'not_found';
}
