import { writeCustomerStatus } from '../db/repositories/customer-status.js';
import { type CustomerPatch, updateCustomer } from '../db/repositories/customers.js';
import { appendAudit, type AuditEntry } from '../db/repositories/audit-log.js';
import type { CustomerRow, Db } from '../db/schema.js';
import { canRepairMove, canCustomerMove, type CustomerStatus } from '../domain/lifecycle.js';
import type { UseCaseDeps } from './actor.js';
import { emitEvent } from './emit-events.js';

/** The audit entry of a move; time, partner and entity come from the move itself. */
export interface MoveAudit<Row> {
  actor: string;
  action: string;
  before?: object | null;
  /** The moved row's view for the audit, computed after the write. */
  after?: object | ((row: Row) => object) | null;
  context?: Record<string, unknown> | null;
}

export interface CustomerMove {
  to: CustomerStatus;
  /** Columns written in the same statement as the status. */
  set?: CustomerPatch;
  /** Null where the caller's audit entry covers several rows or is written elsewhere. */
  audit: MoveAudit<CustomerRow> | null;
  /** A drift repair: Webex's word (or a re-provisioning of what it lost), checked by `canRepairMove`. */
  repair?: boolean;
}

/** The audit entry of a move of either aggregate, stamped with the move's time, partner and entity. */
export async function appendMoveAudit<Row extends { id: string; partner_id: string }>(
  trx: Db,
  entityType: 'customer' | 'subscriber',
  row: Row,
  audit: MoveAudit<Row>,
  deps: Pick<UseCaseDeps, 'now'>,
): Promise<void> {
  const after: AuditEntry['after'] = typeof audit.after === 'function' ? audit.after(row) : audit.after;
  await appendAudit(trx, {
    at: deps.now,
    partnerId: row.partner_id,
    actor: audit.actor,
    action: audit.action,
    entityType,
    entityId: row.id,
    before: audit.before ?? null,
    after: after ?? null,
    context: audit.context ?? null,
  });
}

/**
 * The one way a customer's status changes: checks the state machine before writing, writes the
 * status with its columns, tells subscribed systems (customer.status_changed) and appends the audit
 * entry, all in the caller's transaction. A move to the status it already has writes only `set`.
 */
export async function moveCustomer(trx: Db, customer: CustomerRow, move: CustomerMove, deps: UseCaseDeps): Promise<CustomerRow> {
  const from = customer.status;
  const allowed = move.repair ? canRepairMove(from, move.to) : canCustomerMove(from, move.to);
  if (from !== move.to && !allowed) {
    throw new Error(`illegal customer transition ${from} → ${move.to} for ${customer.id}`);
  }
  const after =
    from === move.to
      ? await updateCustomer(trx, customer.id, { ...move.set, updated_at: deps.now })
      : await writeCustomerStatus(trx, customer.id, move.to, deps.now, move.set ?? {});
  if (from !== move.to) {
    await emitEvent(
      trx,
      after.partner_id,
      'customer.status_changed',
      {
        customerId: after.id,
        externalId: after.external_id,
        orgId: after.org_id,
        status: after.status,
        previousStatus: from,
        errors: after.errors,
      },
      deps,
    );
  }
  if (move.audit) await appendMoveAudit(trx, 'customer', after, move.audit, deps);
  return after;
}

/** A customer just inserted in its first status: subscribed systems hear of it like of any move. */
export async function announceNewCustomer(trx: Db, customer: CustomerRow, deps: UseCaseDeps): Promise<void> {
  await emitEvent(
    trx,
    customer.partner_id,
    'customer.status_changed',
    {
      customerId: customer.id,
      externalId: customer.external_id,
      orgId: customer.org_id,
      status: customer.status,
      previousStatus: null,
      errors: customer.errors,
    },
    deps,
  );
}
