import { writeSubscriberStatus } from '../db/repositories/subscriber-status.js';
import { type SubscriberPatch, updateSubscriber } from '../db/repositories/subscribers.js';
import type { Db, SubscriberRow } from '../db/schema.js';
import { canRepairMove, canSubscriberMove, type SubscriberStatus } from '../domain/lifecycle.js';
import type { UseCaseDeps } from './actor.js';
import { emitEvent } from './emit-events.js';
import { appendMoveAudit, type MoveAudit } from './move-customer.js';

export interface SubscriberMove {
  to: SubscriberStatus;
  /** Columns written in the same statement as the status. */
  set?: SubscriberPatch;
  /** Null where the caller's audit entry covers several rows or is written elsewhere. */
  audit: MoveAudit<SubscriberRow> | null;
  /** A drift repair: Webex's word (or a re-provisioning of what it lost), checked by `canRepairMove`. */
  repair?: boolean;
}

/**
 * The one way a subscriber's status changes: checks the state machine before writing, writes the
 * status with its columns, tells subscribed systems (subscriber.status_changed) and appends the
 * audit entry, all in the caller's transaction. A move to the status it already has writes only `set`.
 */
export async function moveSubscriber(trx: Db, subscriber: SubscriberRow, move: SubscriberMove, deps: UseCaseDeps): Promise<SubscriberRow> {
  const from = subscriber.status;
  const allowed = move.repair ? canRepairMove(from, move.to) : canSubscriberMove(from, move.to);
  if (from !== move.to && !allowed) {
    throw new Error(`illegal subscriber transition ${from} → ${move.to} for ${subscriber.id}`);
  }
  const after =
    from === move.to
      ? await updateSubscriber(trx, subscriber.id, move.set ?? {})
      : await writeSubscriberStatus(trx, subscriber.id, move.to, deps.now, move.set ?? {});
  if (from !== move.to) await announceSubscriber(trx, after, from, deps);
  if (move.audit) await appendMoveAudit(trx, 'subscriber', after, move.audit, deps);
  return after;
}

/** A subscriber just inserted in its first status: subscribed systems hear of it like of any move. */
export async function announceNewSubscriber(trx: Db, subscriber: SubscriberRow, deps: UseCaseDeps): Promise<void> {
  await announceSubscriber(trx, subscriber, null, deps);
}

async function announceSubscriber(trx: Db, s: SubscriberRow, previousStatus: SubscriberStatus | null, deps: UseCaseDeps): Promise<void> {
  await emitEvent(
    trx,
    s.partner_id,
    'subscriber.status_changed',
    {
      subscriberId: s.id,
      customerId: s.customer_id,
      email: s.email,
      package: s.package,
      status: s.status,
      previousStatus,
      errors: s.errors,
    },
    deps,
  );
}
