import { TASK_PAYLOADS, type TaskKind, type TaskPayloadInput } from '../contracts/task-payloads.js';
import { insertTask } from '../db/repositories/tasks.js';
import type { Db } from '../db/schema.js';

/** A kind whose payload has no required field may be enqueued without one. */
export type EnqueueTask<K extends TaskKind> = { kind: K; entityId: string; now: Date } & (Record<string, never> extends TaskPayloadInput<K>
  ? { payload?: TaskPayloadInput<K> }
  : { payload: TaskPayloadInput<K> });

/**
 * Queues a task, due now, in the caller's transaction (so the work is queued with the change that
 * asks for it). The payload is checked against its kind's schema: one that does not fit is a bug in
 * the caller, so it throws rather than store work that could never run.
 */
export async function enqueueTask<K extends TaskKind>(db: Db, t: EnqueueTask<K>): Promise<void> {
  const schema = TASK_PAYLOADS[t.kind];
  if (!schema) throw new Error(`unknown task kind ${String(t.kind)}`);
  const parsed = schema.safeParse(t.payload ?? {});
  if (!parsed.success) throw new Error(`invalid ${t.kind} task payload: ${describeIssues(parsed.error.issues)}`);
  await insertTask(db, { kind: t.kind, entityId: t.entityId, payload: parsed.data, now: t.now });
}

/** Zod issues as one line: `effectiveAt: Invalid ISO datetime; …`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}
