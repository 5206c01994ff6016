import type { Transaction } from 'kysely';
import { isTaskKind, type TaskKind } from '../contracts/task-payloads.js';
import { taskQueue, type ClaimedTask } from '../db/repositories/tasks.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Clock, IdSource, WebexWholesalePort } from '../ports.js';
import { describeIssues } from './enqueue-task.js';
import { runLeaseQueueBatch } from './run-lease-queue.js';
import type { Store } from './store.js';
import { TASK_REGISTRY, type Task, type TaskEntry, type TaskOutcome } from './task-registry.js';
import { stopUpstreamTask } from './upstream-task-stops.js';

export const DEFAULT_TASK_LEASE_MS = 15_000;
export const DEFAULT_TASK_LEASE_RENEW_MS = 5_000;
const BATCH = 20;
/**
 * Upstream, a batch's tasks wait on Webex side by side, paced by the client: a bigger batch keeps the
 * pipe full across the pause between batches (claim, last answer, commits). 100 calls at 20/s fit the lease.
 */
const UPSTREAM_BATCH = 100;
export const TASK_MAX_ATTEMPTS = 8;
const WAIT_MS = 2_000;
const BACKOFF = { baseMs: 500, capMs: 60_000 };

export interface TaskBatchDeps {
  clock: Clock;
  ids: IdSource;
  logger: Logger;
  screeningThreshold: number;
  /** False: with no list loaded, customers are provisioned unscreened (warned) instead of held. Default true. */
  screeningRequired?: boolean | undefined;
  /** Webex Wholesale in upstream mode: provisioning goes through it. */
  upstream?: WebexWholesalePort | undefined;
  random?: () => number;
  /** How long a claimed batch is held, unless renewed, before another instance may take it over (default 15 s). */
  leaseMs?: number | undefined;
  /** How often the held leases are renewed (default 5 s, or a third of a shorter lease). */
  leaseRenewMs?: number | undefined;
  /** Told how long each task ran and how it ended (done, wait, error), for metrics. */
  observeTask?: (kind: string, outcome: 'done' | 'wait' | 'error', seconds: number) => void;
}

/**
 * Runs one batch of due tasks through the registry. A task's payload is parsed with its kind's schema
 * first: a task of an unknown kind or with a payload that does not fit is parked with the reason. A
 * task that throws backs off exponentially, then parks as `failed`; one that must wait (its customer
 * is still provisioning) is tried again shortly.
 */
export function runTaskBatch(store: Store, deps: TaskBatchDeps): Promise<number> {
  const upstream = deps.upstream;
  return runLeaseQueueBatch(store, {
    queue: taskQueue,
    clock: deps.clock,
    leaseMs: deps.leaseMs ?? DEFAULT_TASK_LEASE_MS,
    renewEveryMs: deps.leaseRenewMs ?? Math.min(DEFAULT_TASK_LEASE_RENEW_MS, (deps.leaseMs ?? DEFAULT_TASK_LEASE_MS) / 3),
    batchSize: upstream ? UPSTREAM_BATCH : BATCH,
    maxAttempts: TASK_MAX_ATTEMPTS,
    backoff: BACKOFF,
    ...(deps.random ? { random: deps.random } : {}),
    inTransaction: (row) =>
      isTaskKind(row.kind) ? TASK_REGISTRY[row.kind].inTransaction && !(upstream && TASK_REGISTRY[row.kind].upstream) : true,
    // Upstream, a task mostly waits on Webex: the batch's tasks run side by side (one lane per entity),
    // bounded by the client's concurrency limit, instead of one network round trip after another.
    ...(upstream ? { laneOf: (row: ClaimedTask) => row.entity_id } : {}),
    async handle(db, row, now) {
      const task = parseTask(row);
      if (!task.ok) return { status: 'park', error: task.error };
      const entry = TASK_REGISTRY[task.task.kind] as TaskEntry<TaskKind>;
      const taskDeps = {
        now,
        uuid: deps.ids.uuid,
        screeningThreshold: deps.screeningThreshold,
        screeningRequired: deps.screeningRequired ?? true,
        logger: deps.logger,
      };
      const started = performance.now();
      let outcome: TaskOutcome;
      try {
        outcome =
          upstream && entry.upstream
            ? await entry.upstream(db as Store, task.task, { ...taskDeps, upstream })
            : entry.inTransaction
              ? await entry.run(db as Transaction<Database>, task.task, taskDeps)
              : await entry.run(db as Store, task.task, taskDeps);
      } catch (error) {
        deps.observeTask?.(task.task.kind, 'error', (performance.now() - started) / 1000);
        // Upstream work that waiting cannot cure is held or parked at once, its record showing why (#25).
        const stopped =
          upstream && entry.upstream
            ? await stopUpstreamTask(db as Store, task.task, error, row.attempts >= TASK_MAX_ATTEMPTS, {
                ...taskDeps,
                auth: upstream.status().auth,
              })
            : undefined;
        if (stopped) return stopped;
        throw error;
      }
      deps.observeTask?.(task.task.kind, outcome === 'done' ? 'done' : 'wait', (performance.now() - started) / 1000);
      return outcome === 'done' ? { status: 'done' } : { status: 'wait', at: new Date(now.getTime() + WAIT_MS) };
    },
    onSettled(row, settled) {
      const ids = { taskId: row.id, kind: row.kind, entityId: row.entity_id };
      if (settled.threw === undefined && (settled.outcome === 'done' || settled.outcome === 'wait'))
        deps.logger.debug({ ...ids, outcome: settled.outcome }, 'task run');
      else if (settled.outcome === 'held')
        deps.logger.warn({ ...ids, error: settled.error }, 'task held until retried: Webex refused the token');
      else if (settled.outcome === 'parked')
        deps.logger.error({ err: settled.threw, ...ids, error: settled.error }, 'task failed for good');
      else deps.logger.warn({ err: settled.threw, taskId: row.id, kind: row.kind, attempts: row.attempts }, 'task failed; will retry');
    },
  });
}

/** A stored task checked against the registry: a known kind, and a payload its schema accepts. */
export function parseTask(row: ClaimedTask): { ok: true; task: Task<TaskKind> } | { ok: false; error: string } {
  if (!isTaskKind(row.kind)) return { ok: false, error: `unknown task kind ${row.kind}` };
  const parsed = TASK_REGISTRY[row.kind].payload.safeParse(row.payload);
  if (!parsed.success) return { ok: false, error: `invalid ${row.kind} task payload: ${describeIssues(parsed.error.issues)}` };
  return { ok: true, task: { id: row.id, kind: row.kind, entityId: row.entity_id, payload: parsed.data, attempts: row.attempts } };
}
