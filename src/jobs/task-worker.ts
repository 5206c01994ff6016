import type { Kysely } from 'kysely';
import { claimTasks, completeTask, failTask, retryTaskLater } from '../db/repositories/provisioning-tasks.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { createPoller, type Poller } from './create-poller.js';
import { backoffMs } from '../domain/backoff.js';
import type { Clock, IdSource } from '../ports.js';
import { runProvisioningTask } from '../use-cases/run-provisioning-task.js';
import { generateReport } from '../use-cases/billing-reports.js';
import { rescreenCustomers } from '../use-cases/screening-list.js';
import { DEFAULT_SCREENING_THRESHOLD } from '../domain/compliance/review-rules.js';
import type { ClaimedTask } from '../db/repositories/provisioning-tasks.js';

export type TaskWorker = Poller;

const LEASE_MS = 60_000;
const BATCH = 20;
const MAX_ATTEMPTS = 8;
const WAIT_MS = 2_000;

/**
 * Moves accepted work to its end state (provisioning, billing report generation). Tasks are leased rows, so a crash or a second instance
 * never loses or doubles work; a failing task backs off exponentially, then parks as `failed`.
 */
export function createTaskWorker(deps: { db: Kysely<Database>; logger: Logger; clock: Clock; ids: IdSource; pollMs: number; screeningThreshold?: number }): TaskWorker {
  const log = deps.logger.child({ component: 'task-worker' });
  const threshold = deps.screeningThreshold ?? DEFAULT_SCREENING_THRESHOLD;


  /** Report generation runs its own transaction (and records its own failure); the rest run in one here. */
  async function runTask(task: ClaimedTask, now: Date): Promise<'done' | 'wait'> {
    const useCaseDeps = { now, uuid: deps.ids.uuid };
    if (task.kind === 'compliance.rescreen') {
      const outcome = await rescreenCustomers(deps.db, Number(task.entity_id), threshold, useCaseDeps);
      log.info({ versionId: task.entity_id, ...outcome }, 'customers re-screened against the new list');
      await completeTask(deps.db, task.id, now);
      return 'done';
    }
    if (task.kind === 'billing_report.generate') {
      await generateReport(deps.db, task.entity_id, useCaseDeps);
      await completeTask(deps.db, task.id, now);
      return 'done';
    }
    return deps.db.transaction().execute(async (trx) => {
      const result = await runProvisioningTask(trx, task, { ...useCaseDeps, screeningThreshold: threshold });
      if (result === 'done') await completeTask(trx, task.id, now);
      else await retryTaskLater(trx, task.id, new Date(now.getTime() + WAIT_MS), null);
      return result;
    });
  }

  async function runOnce(): Promise<number> {
    const tasks = await claimTasks(deps.db, deps.clock.now(), LEASE_MS, BATCH);
    for (const task of tasks) {
      const now = deps.clock.now();
      try {
        const outcome = await runTask(task, now);
        log.debug({ taskId: task.id, kind: task.kind, entityId: task.entity_id, outcome }, 'task run');
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (task.attempts >= MAX_ATTEMPTS) {
          await failTask(deps.db, task.id, now, message);
          log.error({ err: error, taskId: task.id, kind: task.kind, entityId: task.entity_id }, 'task failed for good');
        } else {
          const backoff = backoffMs(task.attempts, Math.random(), { baseMs: 500, capMs: 60_000 });
          await retryTaskLater(deps.db, task.id, new Date(now.getTime() + backoff), message);
          log.warn({ err: error, taskId: task.id, kind: task.kind, attempts: task.attempts }, 'task failed; will retry');
        }
      }
    }
    return tasks.length;
  }

  return createPoller('task-worker', runOnce, { pollMs: deps.pollMs, logger: deps.logger });
}
