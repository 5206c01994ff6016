import { enqueueDeliveries } from '../db/repositories/webhooks.js';
import type { BillingReportRow, CustomerRow, Db, SubscriberRow } from '../db/schema.js';
import type { UseCaseDeps } from './actor.js';
import { canCustomerMove, canSubscriberMove, type CustomerStatus, type SubscriberStatus } from '../domain/lifecycle.js';
import type { OutboundEventType } from '../contracts/webhook-subscriptions.js';

async function emit(trx: Db, partnerId: string, type: OutboundEventType, data: Record<string, unknown>, deps: UseCaseDeps) {
  await enqueueDeliveries(trx, partnerId, { id: deps.uuid(), type, occurredAt: deps.now, data });
}

/** In the transaction that moved the customer: checks the move, tells subscribed systems where it stands now. */
export async function customerStatusChanged(
  trx: Db,
  customer: CustomerRow,
  previousStatus: CustomerStatus | null,
  deps: UseCaseDeps,
): Promise<void> {
  if (previousStatus === customer.status) return;
  // Every status change passes here: the state machine is enforced where transitions happen.
  if (previousStatus !== null && !canCustomerMove(previousStatus, customer.status)) {
    throw new Error(`illegal customer transition ${previousStatus} → ${customer.status} for ${customer.id}`);
  }
  await emit(
    trx,
    customer.partner_id,
    'customer.status_changed',
    {
      customerId: customer.id,
      externalId: customer.external_id,
      orgId: customer.org_id,
      status: customer.status,
      previousStatus,
      errors: customer.errors,
    },
    deps,
  );
}

export async function subscriberStatusChanged(
  trx: Db,
  subscriber: SubscriberRow,
  previousStatus: SubscriberStatus | null,
  deps: UseCaseDeps,
): Promise<void> {
  if (previousStatus === subscriber.status) return;
  if (previousStatus !== null && !canSubscriberMove(previousStatus, subscriber.status)) {
    throw new Error(`illegal subscriber transition ${previousStatus} → ${subscriber.status} for ${subscriber.id}`);
  }
  await emit(
    trx,
    subscriber.partner_id,
    'subscriber.status_changed',
    {
      subscriberId: subscriber.id,
      customerId: subscriber.customer_id,
      email: subscriber.email,
      package: subscriber.package,
      status: subscriber.status,
      previousStatus,
      errors: subscriber.errors,
    },
    deps,
  );
}

export async function billingReportFinished(trx: Db, report: BillingReportRow, deps: UseCaseDeps): Promise<void> {
  await emit(
    trx,
    report.requested_by_partner_id,
    'billing_report.completed',
    {
      reportId: report.id,
      status: report.status,
      type: report.type,
      category: report.category,
      billingStartDate: report.billing_start_date,
      billingEndDate: report.billing_end_date,
      errors: report.errors,
    },
    deps,
  );
}
