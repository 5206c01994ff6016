import type { Transaction } from 'kysely';
import type { OutboundEventType } from '../../contracts/webhook-subscriptions.js';
import type { Database, Db } from '../schema.js';

export interface NewWebhookSubscription {
  id: string;
  partnerId: string;
  url: string;
  secret: string;
  eventTypes: readonly OutboundEventType[];
  createdAt: Date;
}

export async function insertWebhookSubscription(db: Db, s: NewWebhookSubscription): Promise<void> {
  await db
    .insertInto('webhook_subscriptions')
    .values({
      id: s.id,
      partner_id: s.partnerId,
      url: s.url,
      secret: s.secret,
      event_types: JSON.stringify(s.eventTypes),
      created_at: s.createdAt,
      deleted_at: null,
    })
    .execute();
}

export const listActiveWebhookSubscriptions = (db: Db, partnerId: string) =>
  db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();

/**
 * Soft delete (deliveries keep their subscription); false when the partner has no such live
 * subscription. Its pending deliveries are cancelled with it: nothing more goes to a deleted receiver
 * (one in flight right now finishes, and its outcome no longer revives it).
 */
export async function softDeleteWebhookSubscription(db: Db, partnerId: string, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('webhook_subscriptions')
    .set({ deleted_at: now })
    .where('id', '=', id)
    .where('partner_id', '=', partnerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', locked_until: null, last_error: 'subscription deleted' })
    .where('subscription_id', '=', id)
    .where('status', '=', 'pending')
    .execute();
  return true;
}

export interface DeliveryFilter {
  status?: 'pending' | 'delivered' | 'dead' | 'cancelled' | undefined;
  subscriptionId?: string | undefined;
  offset: number;
  /** One more row than this is read, so the caller knows whether a next page exists. */
  max: number;
}

export async function listPartnerDeliveries(db: Db, partnerId: string, f: DeliveryFilter) {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select([
      'd.id',
      'd.event_id',
      'd.event_type',
      'd.status',
      'd.attempts',
      'd.last_status',
      'd.last_error',
      'd.created_at',
      'd.delivered_at',
      'd.next_attempt_at',
      's.url',
      'd.subscription_id',
    ])
    .where('s.partner_id', '=', partnerId);
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.subscriptionId) q = q.where('d.subscription_id', '=', f.subscriptionId);
  return q
    .orderBy('d.id')
    .offset(f.offset)
    .limit(f.max + 1)
    .execute();
}

/** A delivery to one of the partner's subscriptions: a partner never sees another's deliveries. */
export const findPartnerDelivery = (db: Db, partnerId: string, id: number) =>
  db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select(['d.id', 'd.status'])
    .where('d.id', '=', id)
    .where('s.partner_id', '=', partnerId)
    .executeTakeFirst();

export const listDeliveryAttempts = (db: Db, deliveryId: number) =>
  db.selectFrom('webhook_delivery_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id').execute();

/** Back to the queue with a fresh retry budget, due now. */
export async function requeueDelivery(db: Db, id: number, now: Date): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null })
    .where('id', '=', id)
    .execute();
}

/**
 * Every subscription's stored secret, locked: the operator's `secrets reencrypt` spans all tenants
 * (it re-seals under a new SECRETS_KEY and changes nothing a tenant can see).
 */
export const lockAllWebhookSecrets = (trx: Transaction<Database>) =>
  trx.selectFrom('webhook_subscriptions').select(['id', 'secret']).orderBy('id').forUpdate().execute();

export async function replaceWebhookSecret(trx: Transaction<Database>, id: string, secret: string): Promise<void> {
  await trx.updateTable('webhook_subscriptions').set({ secret }).where('id', '=', id).execute();
}

/** Stored webhook secrets (all tenants), for counting those not yet sealed under the current key. */
export const listAllWebhookSecrets = (db: Db) =>
  db.selectFrom('webhook_subscriptions').select('secret').where('deleted_at', 'is', null).execute();
