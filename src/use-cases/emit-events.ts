import { enqueueDeliveries } from '../db/repositories/webhooks.js';
import type { BillingReportRow, Db } from '../db/schema.js';
import type { UseCaseDeps } from './actor.js';
import type { OutboundEventData, OutboundEventType } from '../contracts/webhook-subscriptions.js';

/** Queues an event of `type` for every subscription that asked for it, in the caller's transaction. */
export async function emitEvent<T extends OutboundEventType>(
  trx: Db,
  partnerId: string,
  type: T,
  data: OutboundEventData<T>,
  deps: Pick<UseCaseDeps, 'now' | 'uuid'>,
): Promise<void> {
  await enqueueDeliveries(trx, partnerId, { id: deps.uuid(), type, occurredAt: deps.now, data });
}

export async function billingReportFinished(trx: Db, report: BillingReportRow, deps: UseCaseDeps): Promise<void> {
  await emitEvent(
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
