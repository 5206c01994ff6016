import type { TaskKind } from '../contracts/task-payloads.js';
import { findCustomerById } from '../db/repositories/customers.js';
import { findSubscriberById } from '../db/repositories/subscribers.js';
import type { Db, StoredProblem } from '../db/schema.js';
import type { CustomerStatus, SubscriberStatus } from '../domain/lifecycle.js';
import { gaveNoAnswerDescription, tokenRefusedDescription, WEBEX_GAVE_NO_ANSWER, WEBEX_TOKEN_REFUSED } from '../domain/upstream-health.js';
import { UpstreamError } from '../ports.js';
import type { UseCaseDeps } from './actor.js';
import { moveCustomer } from './move-customer.js';
import { moveSubscriber } from './move-subscriber.js';
import type { LeaseOutcome } from './run-lease-queue.js';
import type { Store } from './store.js';

/*
 * A provisioning task that can no longer succeed by waiting is never left looking in progress (#25):
 * Webex refusing the desk's token holds the task (no attempt spent) and a Webex refusal or the last
 * attempt parks it; either way its customer or subscriber shows `error` with an errors entry naming the
 * cause (Cisco's `{errorCode, description}`). A retry puts the record back in progress with its task.
 */

type Entity = 'customer' | 'subscriber';
/** The record a kind of upstream task carries, and the statuses it shows while the task is on its way. */
const CARRIES: Partial<Record<TaskKind, { entity: Entity; during: readonly string[] }>> = {
  'customer.provision': { entity: 'customer', during: ['provisioning', 'pending_rpl_review'] },
  'customer.update': { entity: 'customer', during: ['updating'] },
  'customer.delete': { entity: 'customer', during: ['deleting'] },
  'subscriber.provision': { entity: 'subscriber', during: ['provisioning'] },
  'subscriber.update': { entity: 'subscriber', during: ['updating'] },
  'subscriber.delete': { entity: 'subscriber', during: ['deleting'] },
};

export const isUpstreamTaskKind = (kind: string): boolean => Object.hasOwn(CARRIES, kind);

/** Webex refused the desk's token, or the customer this work needs is held for that: the caller holds the task. */
export const isTokenRefusal = (error: unknown): error is UpstreamError => error instanceof UpstreamError && error.kind === 'unauthorized';

/**
 * What becomes of an upstream task that threw: held (the token refused), parked (Webex refused, or
 * this was the last attempt), or undefined to retry it with backoff as before. The record shows why.
 */
export async function stopUpstreamTask(
  db: Store,
  task: { id: number; kind: TaskKind; entityId: string; attempts: number },
  error: unknown,
  lastAttempt: boolean,
  deps: UseCaseDeps & { auth?: 'token' | 'oauth' | undefined },
): Promise<LeaseOutcome<'tasks'> | undefined> {
  if (!isUpstreamTaskKind(task.kind)) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (isTokenRefusal(error)) {
    const description = tokenRefusedDescription(deps.auth, error.details.status);
    await showStopped(db, task, [{ errorCode: WEBEX_TOKEN_REFUSED, description }], 'held', message, deps);
    return { status: 'hold', error: `held: ${description}` };
  }
  if (error instanceof UpstreamError && error.kind === 'rejected') {
    const given = (error.details.errors ?? []).map((e) => ({
      errorCode: e.errorCode ?? error.details.status ?? 0,
      description: e.description ?? error.message,
    }));
    const errors = given.length ? given : [{ errorCode: error.details.status ?? 0, description: error.message }];
    await showStopped(db, task, errors, 'failed', message, deps);
    return { status: 'park', error: message };
  }
  if (!lastAttempt) return undefined;
  await showStopped(
    db,
    task,
    [{ errorCode: WEBEX_GAVE_NO_ANSWER, description: gaveNoAnswerDescription(task.attempts, message) }],
    'failed',
    message,
    deps,
  );
  return { status: 'park', error: message };
}

/** The record of a stopped task shows `error` with the cause; its audit says which task and why. */
async function showStopped(
  db: Store,
  task: { id: number; kind: TaskKind; entityId: string },
  errors: StoredProblem[],
  how: 'held' | 'failed',
  message: string,
  deps: UseCaseDeps,
): Promise<void> {
  const carries = CARRIES[task.kind];
  if (!carries) return;
  await db.transaction().execute(async (trx) => {
    const stored = JSON.stringify(errors);
    const context = { taskId: task.id, kind: task.kind, how, error: message, errors };
    if (carries.entity === 'customer') {
      const c = await findCustomerById(trx, task.entityId, { forUpdate: true });
      if (!c || !carries.during.includes(c.status)) return;
      await moveCustomer(
        trx,
        c,
        { to: 'error', set: { errors: stored }, audit: stopAudit(`customer.upstream_${how}`, c.status, context) },
        deps,
      );
      return;
    }
    const s = await findSubscriberById(trx, task.entityId, { forUpdate: true });
    if (!s || !carries.during.includes(s.status)) return;
    await moveSubscriber(
      trx,
      s,
      { to: 'error', set: { errors: stored }, audit: stopAudit(`subscriber.upstream_${how}`, s.status, context) },
      deps,
    );
  });
}

const stopAudit = (action: string, from: string, context: Record<string, unknown>) => ({
  actor: 'system:webex',
  action,
  before: { status: from },
  after: { status: 'error' },
  context,
});

/**
 * A stopped task is being retried: its record, if it shows `error`, is back in the status it had while
 * the task was on its way (the first of them), its errors cleared. In the caller's transaction.
 */
export async function reopenForRetry(trx: Db, task: { kind: string; entityId: string }, deps: UseCaseDeps): Promise<void> {
  const carries = CARRIES[task.kind as TaskKind];
  if (!carries) return;
  if (carries.entity === 'customer') {
    const c = await findCustomerById(trx, task.entityId, { forUpdate: true });
    if (!c || c.status !== 'error') return;
    const status = carries.during[0] as CustomerStatus;
    await moveCustomer(trx, c, { to: status, set: { errors: '[]' }, audit: null }, deps);
    return;
  }
  const s = await findSubscriberById(trx, task.entityId, { forUpdate: true });
  if (!s || s.status !== 'error') return;
  await moveSubscriber(trx, s, { to: carries.during[0] as SubscriberStatus, set: { errors: '[]' }, audit: null }, deps);
}
