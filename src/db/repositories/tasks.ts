import type { TaskKind } from '../../contracts/task-payloads.js';
import { claimDue, parseJsonColumn, type LeaseQueue } from '../lease-queue.js';
import type { Db } from '../schema.js';

/** Inserts a task due now. The payload is checked by the caller (the task registry) against its kind's schema. */
export async function insertTask(
  db: Db,
  t: { kind: TaskKind; entityId: string; payload: Record<string, unknown>; now: Date },
): Promise<void> {
  await db
    .insertInto('tasks')
    .values({
      kind: t.kind,
      entity_id: t.entityId,
      payload: JSON.stringify(t.payload),
      run_after: t.now,
      created_at: t.now,
      locked_until: null,
      last_error: null,
      finished_at: null,
    })
    .execute();
}

/** A leased task as stored: the kind and payload are checked by the registry before it runs. */
export interface ClaimedTask {
  id: number;
  kind: string;
  entity_id: string;
  payload: unknown;
  attempts: number;
}

/** The task queue: due by `run_after`, parked as `failed`. */
export const taskQueue: LeaseQueue<'tasks', ClaimedTask> = {
  table: 'tasks',
  key: 'id',
  dueColumn: 'run_after',
  orderBy: ['run_after', 'id'],
  statuses: { done: 'done', parked: 'failed' },
  doneAtColumn: 'finished_at',
  parkedAtColumn: 'finished_at',
  returning: ['id', 'kind', 'entity_id', 'payload', 'attempts'],
  toClaimed: (r) => ({
    id: Number(r.id),
    kind: String(r.kind),
    entity_id: String(r.entity_id),
    payload: parseJsonColumn(r.payload),
    attempts: Number(r.attempts),
  }),
  keyOf: (t) => t.id,
};

/** Leases up to `limit` due tasks (see claimDue). */
export const claimTasks = (db: Db, now: Date, leaseMs: number, limit: number): Promise<ClaimedTask[]> =>
  claimDue(db, taskQueue, now, leaseMs, limit);
