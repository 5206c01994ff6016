import { appendAudit } from '../db/repositories/audit-log.js';
import {
  findPartnerDelivery,
  insertWebhookSubscription,
  listActiveWebhookSubscriptions,
  listDeliveryAttempts,
  listPartnerDeliveries,
  requeueDelivery,
  softDeleteWebhookSubscription,
  type DeliveryFilter,
} from '../db/repositories/webhook-subscriptions.js';
import type { z } from 'zod';
import type {
  deliveryAttemptResponseSchema,
  deliveryResponseSchema,
  OutboundEventType,
  subscriptionResponseSchema,
} from '../contracts/webhook-subscriptions.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { redactWebhookUrl, refuseWebhookUrl, type WebhookAllowList } from '../domain/webhook-targets.js';
import type { Actor, UseCaseDeps } from './actor.js';
import type { Store } from './store.js';
import type { ActingPartner } from './partner-views.js';

export interface SubscriptionInput {
  url: string;
  /** When absent, one is generated; either way it is returned once, here. */
  secret?: string | undefined;
  eventTypes: readonly OutboundEventType[];
}

export interface CreatedSubscription {
  id: string;
  url: string;
  eventTypes: OutboundEventType[];
  secret: string;
  created: Date;
}

/**
 * Subscribes a URL to outbound events, audited in the same transaction. A URL with credentials, or
 * whose host is an internal name or a non-public address, is refused unless the operator's allow-list
 * names it (no DNS here: the sender checks what a name resolves to at every delivery).
 */
export async function createWebhookSubscription(
  store: Store,
  actor: Actor,
  input: SubscriptionInput,
  deps: UseCaseDeps & { newSecret: () => string; allowList: WebhookAllowList; sealSecret?: ((plaintext: string) => string) | undefined },
): Promise<Result<CreatedSubscription>> {
  const refused = refuseWebhookUrl(input.url, deps.allowList);
  if (refused) return fail(problem('webhook_url_not_allowed', refused));
  const secret = input.secret ?? deps.newSecret();
  const id = deps.uuid();
  const eventTypes = [...new Set(input.eventTypes)];
  await store.transaction().execute(async (trx) => {
    // Stored sealed under SECRETS_KEY when one is set; shown in plain only in this answer.
    const stored = deps.sealSecret ? deps.sealSecret(secret) : secret;
    await insertWebhookSubscription(trx, {
      id,
      partnerId: actor.partner.id,
      url: input.url,
      secret: stored,
      eventTypes,
      createdAt: deps.now,
    });
    await appendAudit(trx, {
      at: deps.now,
      partnerId: actor.partner.id,
      actor: actor.label,
      action: 'webhook_subscription.create',
      entityType: 'webhook_subscription',
      entityId: id,
      after: { url: input.url, eventTypes },
    });
  });
  return ok({ id, url: input.url, eventTypes, secret, created: deps.now });
}

/** The partner's live subscriptions as the API lists them: each URL's credentials redacted. */
export const listWebhookSubscriptions = async (
  store: Store,
  partner: ActingPartner,
): Promise<z.infer<typeof subscriptionResponseSchema>[]> =>
  (await listActiveWebhookSubscriptions(store, partner.id)).map((r) => ({
    id: r.id,
    url: redactWebhookUrl(r.url),
    eventTypes: r.event_types,
    created: r.created_at.toISOString(),
    status: r.disabled_reason === null ? 'active' : 'disabled',
    disabledReason: r.disabled_reason,
  }));

/** Deleting a subscription cancels its pending deliveries in the same transaction: nothing more is sent. */
export async function removeWebhookSubscription(store: Store, partner: ActingPartner, id: string, now: Date): Promise<Result<void>> {
  return (await store.transaction().execute((trx) => softDeleteWebhookSubscription(trx, partner.id, id, now)))
    ? ok(undefined)
    : fail(problem('not_found', `no webhook subscription ${id}`));
}

/** One page of the partner's deliveries (one more than asked: there is a next page), as the API lists them. */
export const listWebhookDeliveries = async (
  store: Store,
  partner: ActingPartner,
  filter: DeliveryFilter,
): Promise<z.infer<typeof deliveryResponseSchema>[]> =>
  (await listPartnerDeliveries(store, partner.id, filter)).map((d) => ({
    id: d.id,
    eventId: d.event_id,
    eventType: d.event_type,
    subscriptionId: d.subscription_id,
    url: redactWebhookUrl(d.url),
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status,
    lastError: d.last_error,
    created: d.created_at.toISOString(),
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
  }));

/** Delivery ids are numbers in the path; anything else names no delivery. */
async function findOwnedDelivery(store: Store, partner: ActingPartner, idParam: string) {
  const id = Number(idParam);
  const found = Number.isSafeInteger(id) ? await findPartnerDelivery(store, partner.id, id) : undefined;
  return found ? ok(found) : fail(problem('not_found', `no delivery ${idParam}`));
}

export async function listWebhookDeliveryAttempts(
  store: Store,
  partner: ActingPartner,
  idParam: string,
): Promise<Result<z.infer<typeof deliveryAttemptResponseSchema>[]>> {
  const owned = await findOwnedDelivery(store, partner, idParam);
  if (!owned.ok) return owned;
  return ok(
    (await listDeliveryAttempts(store, owned.value.id)).map((a) => ({
      at: a.at.toISOString(),
      statusCode: a.status_code,
      error: a.error,
      durationMs: a.duration_ms,
    })),
  );
}

/** A dead delivery goes back to the queue with a fresh retry budget; any other status is refused. */
export async function replayDeadDelivery(
  store: Store,
  partner: ActingPartner,
  idParam: string,
  now: Date,
): Promise<Result<{ id: number }>> {
  const owned = await findOwnedDelivery(store, partner, idParam);
  if (!owned.ok) return owned;
  if (owned.value.status !== 'dead')
    return fail(problem('delivery_not_dead', `only a dead delivery can be replayed; this one is ${owned.value.status}`));
  await requeueDelivery(store, owned.value.id, now);
  return ok({ id: owned.value.id });
}
