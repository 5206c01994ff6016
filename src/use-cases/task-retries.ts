import { appendAudit } from '../db/repositories/audit-log.js';
import {
  countStoppedTasks,
  listStoppedTasks,
  requeueStoppedTasks,
  type StoppedTaskFilter,
  type StoppedTaskRow,
} from '../db/repositories/tasks.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import type { Store } from './store.js';
import { reopenForRetry } from './upstream-task-stops.js';

import type { z } from 'zod';
import type { taskItemSchema } from '../contracts/upstream.js';

/** A held or failed task as GET /v1/tasks answers it (the contract's item). */
export type TaskItem = z.infer<typeof taskItemSchema>;

export const toTaskItem = (t: StoppedTaskRow): TaskItem => ({
  id: String(t.id),
  kind: t.kind,
  entityId: t.entity_id,
  customerId: t.customer_id,
  state: t.status,
  attempts: t.attempts,
  lastError: t.last_error,
  created: new Date(t.created_at).toISOString(),
  stopped: t.finished_at ? new Date(t.finished_at).toISOString() : null,
});
/** Held and failed tasks by kind and state, every partner (metrics). */
export { countStoppedTasks };

/** Held (`parked`: the token was refused) and failed tasks, as GET /v1/tasks lists them. */
export type TaskState = 'parked' | 'failed';
export const TASK_STATES: readonly TaskState[] = ['parked', 'failed'];

const scopeOf = (actor: Actor) => ({ partnerId: actor.partner.id, isRoot: actor.partner.parentId === null });

/** One page of the partner's held and failed tasks, oldest first (one more row than `max`: there is a next page). */
export async function listTasks(
  db: Store,
  actor: Actor,
  f: { states: readonly TaskState[]; kind?: string | undefined; customerId?: string | undefined; offset: number; max: number },
): Promise<TaskItem[]> {
  return (await listStoppedTasks(db, scopeOf(actor), f, { offset: f.offset, limit: f.max + 1 })).map(toTaskItem);
}

/** The most one retry moves: a backlog larger than this is retried by repeating the call. */
export const RETRY_BATCH = 5_000;

/**
 * Puts held and failed tasks back in the queue (fresh attempts, due now); each one's customer or
 * subscriber, if it shows `error`, is back in progress. One audit entry per call, naming the tasks.
 * Answers the tasks moved (none is not an error: there was nothing to retry).
 */
export async function retryTasks(
  db: Store,
  actor: Actor,
  filter: StoppedTaskFilter,
  deps: UseCaseDeps,
): Promise<{ retried: number; tasks: { id: number; kind: string; entityId: string }[] }> {
  return db.transaction().execute(async (trx) => {
    const found = await listStoppedTasks(trx, scopeOf(actor), filter, { offset: 0, limit: RETRY_BATCH });
    const moved = await requeueStoppedTasks(
      trx,
      found.map((t) => t.id),
      deps.now,
    );
    for (const t of moved) await reopenForRetry(trx, { kind: t.kind, entityId: t.entity_id }, deps);
    const tasks = moved.map((t) => ({ id: t.id, kind: t.kind, entityId: t.entity_id }));
    if (tasks.length)
      await appendAudit(trx, {
        at: deps.now,
        partnerId: actor.partner.id,
        actor: actor.label,
        action: 'tasks.retried',
        entityType: tasks.length === 1 ? 'task' : 'tasks',
        entityId: tasks.length === 1 ? String(tasks[0]!.id) : `${tasks.length} tasks`,
        context: {
          filter: { states: filter.states, kind: filter.kind ?? null, customerId: filter.customerId ?? null },
          tasks: tasks.slice(0, 200),
        },
      });
    return { retried: tasks.length, tasks };
  });
}

/** Retries one held or failed task of the partner's: 404 when it has none by that id, 409 when it is not stopped. */
export async function retryTask(db: Store, actor: Actor, id: string, deps: UseCaseDeps): Promise<Result<TaskItem>> {
  const n = /^\d{1,15}$/.test(id) ? Number(id) : Number.NaN;
  if (!Number.isSafeInteger(n)) return fail(problem('task_not_found', `task ${id} not found`));
  // A task of another partner's is not found, whatever its state.
  const every = ['pending', 'done', 'parked', 'failed'] as const;
  const [own] = await listStoppedTasks(db, scopeOf(actor), { states: every, id: n }, { offset: 0, limit: 1 });
  if (!own) return fail(problem('task_not_found', `task ${n} not found`));
  if (own.status !== 'parked' && own.status !== 'failed')
    return fail(problem('task_not_retryable', `task ${n} is ${own.status}: only held (parked) and failed tasks are retried`));
  await retryTasks(db, actor, { states: TASK_STATES, id: n }, deps);
  return ok(toTaskItem({ ...own, status: 'pending', attempts: 0, finished_at: null }));
}
