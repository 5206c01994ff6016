import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate, requireScope } from '../api/auth.js';
import type { AppDeps, AppEnv } from '../api/app-env.js';
import { readJsonBody, respondPage, toPage } from '../api/read-body.js';
import { respondError, respondProblems } from '../api/problem-responses.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { problem } from '../domain/problems.js';
import { OUTBOUND_EVENT_TYPES } from '../use-cases/emit-events.js';

export const createSubscriptionBodySchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'url must be an http(s) URL' }).max(2000),
  secret: z.string().min(16, 'secret must be at least 16 characters').max(200).optional(),
  eventTypes: z.array(z.enum(OUTBOUND_EVENT_TYPES, { error: `event types are ${OUTBOUND_EVENT_TYPES.join(', ')}` })).min(1).max(OUTBOUND_EVENT_TYPES.length),
});

/** Outbound webhook subscriptions per partner, their delivery log, and replay of dead deliveries. */
export function createSubscriptionRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps), requireScope('wholesale-desk:admin'));

  app.post('/', async (c) => {
    const body = await readJsonBody(c, createSubscriptionBodySchema);
    if (!body.ok) return 'response' in body ? body.response : respondProblems(c, body.problems);
    const partner = c.get('auth').partner;
    const now = deps.clock.now();
    const secret = body.value.secret ?? deps.ids.secret(32);
    const id = deps.ids.uuid();
    const eventTypes = [...new Set(body.value.eventTypes)];
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('webhook_subscriptions').values({ id, partner_id: partner.id, url: body.value.url, secret, event_types: JSON.stringify(eventTypes), created_at: now, deleted_at: null }).execute();
      await appendAudit(trx, { at: now, partnerId: partner.id, actor: `token:${c.get('auth').tokenId}`, action: 'webhook_subscription.create', entityType: 'webhook_subscription', entityId: id, after: { url: body.value.url, eventTypes } });
    });
    // The secret is shown once: receivers verify our Webhook-Signature with it.
    return c.json({ id, url: body.value.url, eventTypes, secret, created: now.toISOString() }, 201, { Location: `${deps.config.PUBLIC_URL}/v1/webhooks/${id}` });
  });

  app.get('/', async (c) => {
    const rows = await deps.db.selectFrom('webhook_subscriptions').selectAll().where('partner_id', '=', c.get('auth').partner.id).where('deleted_at', 'is', null).orderBy('created_at').execute();
    return c.json({ items: rows.map((r) => ({ id: r.id, url: r.url, eventTypes: r.event_types, created: r.created_at.toISOString() })) });
  });

  app.get('/deliveries', async (c) => {
    const page = toPage({ offset: c.req.query('offset'), max: c.req.query('max') }, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const status = c.req.query('status');
    if (status && !['pending', 'delivered', 'dead'].includes(status)) return respondProblems(c, [problem('invalid_request', 'status must be pending, delivered or dead', 'status')]);
    let q = deps.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
      .select(['d.id', 'd.event_id', 'd.event_type', 'd.status', 'd.attempts', 'd.last_status', 'd.last_error', 'd.created_at', 'd.delivered_at', 'd.next_attempt_at', 's.url', 'd.subscription_id'])
      .where('s.partner_id', '=', c.get('auth').partner.id);
    if (status) q = q.where('d.status', '=', status as 'dead');
    const subscriptionId = c.req.query('subscriptionId');
    if (subscriptionId) q = q.where('d.subscription_id', '=', subscriptionId);
    const rows = await q.orderBy('d.id').offset(page.value.offset).limit(page.value.max + 1).execute();
    return c.json({
      items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL).map((d) => ({
        id: d.id,
        eventId: d.event_id,
        eventType: d.event_type,
        subscriptionId: d.subscription_id,
        url: d.url,
        status: d.status,
        attempts: d.attempts,
        lastStatusCode: d.last_status,
        lastError: d.last_error,
        created: d.created_at.toISOString(),
        deliveredAt: d.delivered_at?.toISOString() ?? null,
        nextAttemptAt: d.status === 'pending' ? d.next_attempt_at.toISOString() : null,
      })),
    });
  });

  app.get('/deliveries/:id/attempts', async (c) => {
    const id = Number(c.req.param('id'));
    const owned = await ownedDelivery(id, c.get('auth').partner.id);
    if (!owned) return respondProblems(c, [problem('not_found', `no delivery ${c.req.param('id')}`)]);
    const rows = await deps.db.selectFrom('webhook_delivery_attempts').selectAll().where('delivery_id', '=', id).orderBy('id').execute();
    return c.json({ items: rows.map((a) => ({ at: a.at.toISOString(), statusCode: a.status_code, error: a.error, durationMs: a.duration_ms })) });
  });

  app.post('/deliveries/:id/replay', async (c) => {
    const id = Number(c.req.param('id'));
    const owned = await ownedDelivery(id, c.get('auth').partner.id);
    if (!owned) return respondProblems(c, [problem('not_found', `no delivery ${c.req.param('id')}`)]);
    if (owned.status !== 'dead') return respondError(c, 409, `only a dead delivery can be replayed; this one is ${owned.status}`, 4092);
    await deps.db.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: deps.clock.now(), locked_until: null }).where('id', '=', id).execute();
    deps.onDeliveryQueued?.();
    return c.json({ id, status: 'pending' }, 202);
  });

  app.delete('/:id', async (c) => {
    const r = await deps.db.updateTable('webhook_subscriptions').set({ deleted_at: deps.clock.now() }).where('id', '=', c.req.param('id')).where('partner_id', '=', c.get('auth').partner.id).where('deleted_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return respondProblems(c, [problem('not_found', `no webhook subscription ${c.req.param('id')}`)]);
    return c.body(null, 204);
  });

  async function ownedDelivery(id: number, partnerId: string) {
    if (!Number.isSafeInteger(id)) return undefined;
    return deps.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
      .select(['d.id', 'd.status'])
      .where('d.id', '=', id)
      .where('s.partner_id', '=', partnerId)
      .executeTakeFirst();
  }
  return app;
}
