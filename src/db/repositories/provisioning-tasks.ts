import { sql } from 'kysely';
import type { Db } from '../schema.js';

export type TaskKind = 'customer.provision' | 'customer.update' | 'customer.delete' | 'subscriber.provision' | 'billing_report.generate' | 'compliance.rescreen';

export async function enqueueTask(db: Db, t: { kind: TaskKind; entityId: string; payload?: Record<string, unknown>; now: Date }): Promise<void> {
  await db
    .insertInto('provisioning_tasks')
    .values({ kind: t.kind, entity_id: t.entityId, payload: JSON.stringify(t.payload ?? {}), run_after: t.now, created_at: t.now, locked_until: null, last_error: null, finished_at: null })
    .execute();
}

export interface ClaimedTask {
  id: number;
  kind: TaskKind;
  entity_id: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Leases up to `limit` due tasks. SKIP LOCKED lets several instances claim side by side; the lease
 * makes a task claimed by a crashed process due again once it expires.
 */
export async function claimTasks(db: Db, now: Date, leaseMs: number, limit: number): Promise<ClaimedTask[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await sql<ClaimedTask>`
    update provisioning_tasks set locked_until = ${leaseUntil}, attempts = attempts + 1
    where id in (
      select id from provisioning_tasks
      where status = 'pending' and run_after <= ${now} and (locked_until is null or locked_until < ${now})
      order by run_after, id
      limit ${limit}
      for update skip locked
    )
    returning id, kind, entity_id, payload, attempts`.execute(db);
  return rows.rows.map((r) => ({ ...r, id: Number(r.id), payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload }));
}

export async function completeTask(db: Db, id: number, now: Date): Promise<void> {
  await db.updateTable('provisioning_tasks').set({ status: 'done', finished_at: now, locked_until: null }).where('id', '=', id).execute();
}

export async function retryTaskLater(db: Db, id: number, runAfter: Date, error: string | null): Promise<void> {
  await db.updateTable('provisioning_tasks').set({ run_after: runAfter, locked_until: null, last_error: error }).where('id', '=', id).execute();
}

export async function failTask(db: Db, id: number, now: Date, error: string): Promise<void> {
  await db.updateTable('provisioning_tasks').set({ status: 'failed', finished_at: now, locked_until: null, last_error: error }).where('id', '=', id).execute();
}
