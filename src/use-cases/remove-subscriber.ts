import { appendAudit } from '../db/repositories/audit-log.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import { appendPackageEvent } from '../db/repositories/package-events.js';
import { enqueueTask } from './enqueue-task.js';
import { findSubscriber } from '../db/repositories/subscribers.js';
import type { Db, SubscriberRow } from '../db/schema.js';
import { resolveEffectiveAt } from '../domain/lifecycle.js';
import { checkNotBeforeCreation } from '../domain/billing-window.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import { subscriberSnapshot } from './snapshots.js';
import { moveSubscriber } from './move-subscriber.js';
import { subscriberCreatedAt } from './subscriber-checks.js';
import { type AcceptedChange, toAcceptedChange } from './responses.js';
import type { SubscriberStatus } from '../domain/lifecycle.js';

/** Checks a removal without making it (chat asks to confirm only what can be done). */
export async function validateSubscriberRemoval(
  db: Db,
  actor: Actor,
  id: string,
  effectiveAtInput: string | undefined,
  deps: UseCaseDeps,
): Promise<Result<true>> {
  const effective = resolveEffectiveAt(effectiveAtInput, deps.now, undefined, deps.backdateMaxDays);
  if (!effective.ok) return effective;
  const sub = await findSubscriber(db, actor.partner.id, id);
  if (!sub) return fail(problem('subscriber_not_found', `subscriber ${id} not found`));
  const tooEarly = checkNotBeforeCreation(effective.value, await subscriberCreatedAt(db, sub), 'subscriber');
  return tooEarly.length ? fail(...tooEarly) : ok(true);
}

/** Removes a subscriber at once (Webex answers 204): billing stops at effectiveAt. Upstream, through Webex first. */
export async function deleteSubscriberRequest(
  db: Db,
  actor: Actor,
  id: string,
  effectiveAtInput: string | undefined,
  deps: UseCaseDeps,
): Promise<Result<AcceptedChange<SubscriberStatus>>> {
  const effective = resolveEffectiveAt(effectiveAtInput, deps.now, undefined, deps.backdateMaxDays);
  if (!effective.ok) return effective;
  return runInTransaction(db, async (trx) => {
    const before = await findSubscriber(trx, actor.partner.id, id, { forUpdate: true });
    if (!before) return fail(problem('subscriber_not_found', `subscriber ${id} not found`));
    const tooEarly = checkNotBeforeCreation(effective.value, await subscriberCreatedAt(trx, before), 'subscriber');
    if (tooEarly.length) return fail(...tooEarly);
    if (deps.viaWebex && (before.webex_subscriber_id || before.status === 'provisioning')) {
      // Upstream: Webex removes it first (a subscriber still being posted is found by email); billing
      // stops when Webex confirms, or at the effectiveAt the request named.
      if (before.status === 'deleting') return ok(toAcceptedChange(before));
      // A package change on its way to Webex settles first, so Webex sees the two in the order asked.
      if (before.status === 'updating')
        return fail(problem('subscriber_settling', 'the subscriber is updating in Webex; retry when it has settled'));
      await enqueueTask(trx, {
        kind: 'subscriber.delete',
        entityId: id,
        now: deps.now,
        payload: effectiveAtInput !== undefined ? { effectiveAt: effective.value.toISOString() } : {},
      });
      const after = await moveSubscriber(
        trx,
        before,
        {
          to: 'deleting',
          audit: {
            actor: actor.label,
            action: 'subscriber.delete_requested',
            before: subscriberSnapshot(before),
            context: effectiveAtInput !== undefined ? { effectiveAt: effective.value.toISOString() } : null,
          },
        },
        deps,
      );
      return ok(toAcceptedChange(after));
    }
    const after = await removeSubscriber(trx, before, effective.value, deps, 'subscriber.delete');
    await appendAudit(trx, {
      at: deps.now,
      partnerId: before.partner_id,
      actor: actor.label,
      action: 'subscriber.delete',
      entityType: 'subscriber',
      entityId: id,
      before: subscriberSnapshot(before),
      context: { effectiveAt: effective.value.toISOString() },
    });
    return ok(toAcceptedChange(after));
  });
}

/** Marks a subscriber deleted and ends its package in the ledger; shared by deletes, customer deletes and compliance. */
export async function removeSubscriber(
  trx: Db,
  sub: SubscriberRow,
  effectiveAt: Date,
  deps: UseCaseDeps,
  cause: string,
): Promise<SubscriberRow> {
  await appendPackageEvent(trx, {
    subscriberId: sub.id,
    customerId: sub.customer_id,
    partnerId: sub.partner_id,
    package: null,
    effectiveAt,
    recordedAt: deps.now,
    cause,
  });
  return moveSubscriber(trx, sub, { to: 'deleted', audit: null }, deps);
}
