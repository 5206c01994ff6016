import {
  listDisabledWebhookSubscriptions,
  listLiveWebhookTargets,
  listSharedExtensions,
  listSubscribersHoldingOnly,
  setWebhookDisabled,
} from '../db/repositories/data-notices.js';
import { describeDataNotice, type DataNotice } from '../domain/data-notices.js';
import { isAddOn, PACKAGE_IDS } from '../domain/packages.js';
import { redactWebhookUrl, refuseWebhookUrl, type WebhookAllowList } from '../domain/webhook-targets.js';
import type { Store } from './store.js';

/**
 * What today's rules refuse in the stored data, per kind with its fix; one partner's, or every
 * partner's (partnerId null: the start-up log). Webhook notices only for callers who manage webhooks.
 */
export async function listDataNotices(db: Store, partnerId: string | null, opts: { webhooks: boolean }): Promise<DataNotice[]> {
  const addOnOnly = await listSubscribersHoldingOnly(db, partnerId, PACKAGE_IDS.filter(isAddOn));
  const shared = await listSharedExtensions(db, partnerId);
  const webhooks = opts.webhooks ? await listDisabledWebhookSubscriptions(db, partnerId) : [];
  const who = (s: { email: string; customer_name: string | null; external_id: string }) =>
    `${s.email} (${s.customer_name ?? s.external_id})`;
  return [
    describeDataNotice(
      'subscriber_without_base_package',
      addOnOnly.map((s) => ({ id: s.id, label: who(s), detail: s.package })),
    ),
    describeDataNotice(
      'shared_extension',
      shared.map((s) => ({ id: s.id, label: who(s), detail: `extension ${s.extension}` })),
    ),
    describeDataNotice(
      'webhook_target_refused',
      webhooks.map((w) => ({ id: w.id, label: redactWebhookUrl(w.url), detail: w.disabled_reason ?? '' })),
    ),
  ].filter((n): n is DataNotice => n !== undefined);
}

export interface WebhookTargetCheck {
  disabled: { id: string; partnerId: string; url: string; reason: string }[];
  /** Subscriptions enabled again (the allow-list now names their host). */
  enabled: number;
  /** Pending deliveries cancelled because their subscription was disabled. */
  cancelled: number;
}

/**
 * Checks every live subscription's URL against today's rules and this start's allow-list: a refused
 * one is disabled with the reason (its pending deliveries cancelled), one allowed again is enabled.
 * Run at each start, so WEBHOOK_ALLOWED_HOSTS changes take effect with the restart they need anyway.
 */
export async function checkWebhookTargets(db: Store, allowList: WebhookAllowList): Promise<WebhookTargetCheck> {
  const result: WebhookTargetCheck = { disabled: [], enabled: 0, cancelled: 0 };
  for (const s of await listLiveWebhookTargets(db)) {
    const reason = refuseWebhookUrl(s.url, allowList);
    if (reason !== null) result.disabled.push({ id: s.id, partnerId: s.partner_id, url: redactWebhookUrl(s.url), reason });
    if (reason === s.disabled_reason) continue;
    if (reason === null) result.enabled++;
    result.cancelled += await db.transaction().execute((trx) => setWebhookDisabled(trx, s.id, reason));
  }
  return result;
}
