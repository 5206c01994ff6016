import type { TaskKind } from '../../contracts/task-payloads.js';
import { sql } from 'kysely';
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
  statuses: { done: 'done', parked: 'failed', held: 'parked' },
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

/** A held (`parked`) or failed task as listed for retry, with the partner whose record it carries. */
export interface StoppedTaskRow {
  id: number;
  kind: string;
  entity_id: string;
  status: 'pending' | 'done' | 'parked' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  /** The customer the task's record belongs to (customer and subscriber tasks). */
  customer_id: string | null;
}

export interface StoppedTaskFilter {
  states: readonly ('pending' | 'done' | 'parked' | 'failed')[];
  kind?: string | undefined;
  customerId?: string | undefined;
  id?: number | undefined;
}

const ownedBy = (scope: { partnerId: string; isRoot: boolean }) => sql`
    from tasks t
    left join customers c on t.kind like 'customer.%' and c.id = t.entity_id
    left join subscribers s on t.kind like 'subscriber.%' and s.id = t.entity_id
    left join billing_reports r on t.kind = 'billing_report.generate' and r.id = t.entity_id
    where (c.partner_id = ${scope.partnerId} or s.partner_id = ${scope.partnerId} or r.partner_id = ${scope.partnerId}
        or (t.kind = 'compliance.rescreen' and ${scope.isRoot}))`;

/** How many of the partner's tasks are held and failed. */
export async function countStoppedTasksOf(
  db: Db,
  scope: { partnerId: string; isRoot: boolean },
): Promise<{ parked: number; failed: number }> {
  const r = await sql<{ parked: number | string; failed: number | string }>`
    select count(*) filter (where t.status = 'parked') as parked, count(*) filter (where t.status = 'failed') as failed
    ${ownedBy(scope)} and t.status in ('parked', 'failed')`.execute(db);
  return { parked: Number(r.rows[0]?.parked ?? 0), failed: Number(r.rows[0]?.failed ?? 0) };
}

/**
 * Tasks in the given states (held and failed, for retry) whose record is the partner's: a customer's or subscriber's tasks by its
 * partner, a billing report's by the report's; re-screening (the root partner's list) only for the root.
 * Oldest first.
 */
export async function listStoppedTasks(
  db: Db,
  scope: { partnerId: string; isRoot: boolean },
  filter: StoppedTaskFilter,
  page: { offset: number; limit: number },
): Promise<StoppedTaskRow[]> {
  if (filter.states.length === 0) return [];
  const r = await sql<StoppedTaskRow & { attempts: number | string; id: number | string }>`
    select t.id, t.kind, t.entity_id, t.status, t.attempts, t.last_error, t.created_at, t.finished_at,
      coalesce(c.id, s.customer_id) as customer_id
    ${ownedBy(scope)}
      and t.status in (${sql.join(filter.states)})
      ${filter.kind ? sql`and t.kind = ${filter.kind}` : sql``}
      ${filter.customerId ? sql`and coalesce(c.id, s.customer_id) = ${filter.customerId}` : sql``}
      ${filter.id !== undefined ? sql`and t.id = ${filter.id}` : sql``}
    order by t.id
    limit ${page.limit} offset ${page.offset}`.execute(db);
  return r.rows.map((row) => ({ ...row, id: Number(row.id), attempts: Number(row.attempts) }));
}

/** Puts the given held or failed tasks back in the queue, due now, with a fresh count of attempts; answers those moved. */
export async function requeueStoppedTasks(
  db: Db,
  ids: readonly number[],
  now: Date,
): Promise<{ id: number; kind: string; entity_id: string }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('tasks')
    .set({ status: 'pending', attempts: 0, run_after: now, locked_until: null, finished_at: null })
    .where('id', 'in', [...ids])
    .where('status', 'in', ['parked', 'failed'])
    .returning(['id', 'kind', 'entity_id'])
    .execute();
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, entity_id: r.entity_id }));
}

/** Held and failed tasks by kind and status, every partner (the metrics scrape). */
export async function countStoppedTasks(db: Db): Promise<{ kind: string; status: string; n: number }[]> {
  const rows = await db
    .selectFrom('tasks')
    .select(['kind', 'status', db.fn.countAll<number | string>().as('n')])
    .where('status', 'in', ['parked', 'failed'])
    .groupBy(['kind', 'status'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) }));
}
