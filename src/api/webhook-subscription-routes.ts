import type { Context } from 'hono';
import { parseWebhookAllowList, redactWebhookUrl } from '../domain/webhook-targets.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { contract, createRouter } from './openapi.js';
import {
  createSubscriptionBodySchema,
  createdSubscriptionResponseSchema,
  deliveryAttemptResponseSchema,
  deliveryResponseSchema,
  listDeliveriesQuerySchema,
  listOf as list,
  replayAcceptedSchema,
  subscriptionResponseSchema,
} from '../contracts/index.js';

/** Outbound webhook subscriptions per partner, their delivery log, and replay of dead deliveries. */
const createWebhookSubscriptionRoute = contract({
  method: 'post',
  path: '/',
  operationId: 'createWebhookSubscription',
  tag: 'Webhook subscriptions',
  summary: 'Subscribe a public http(s) URL to outbound events (the secret is returned once; see WEBHOOK_ALLOWED_HOSTS)',
  scope: 'wholesale-desk:admin',
  body: createSubscriptionBodySchema,
  status: 201,
  response: createdSubscriptionResponseSchema,
});

const listWebhookSubscriptionsRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listWebhookSubscriptions',
  tag: 'Webhook subscriptions',
  summary: 'Outbound webhook subscriptions',
  scope: 'wholesale-desk:admin',
  status: 200,
  response: list(subscriptionResponseSchema),
});

const listWebhookDeliveriesRoute = contract({
  method: 'get',
  path: '/deliveries',
  operationId: 'listWebhookDeliveries',
  tag: 'Webhook subscriptions',
  summary: 'Deliveries (status=pending|delivered|dead|cancelled, subscriptionId)',
  scope: 'wholesale-desk:admin',
  query: listDeliveriesQuerySchema,
  status: 200,
  response: list(deliveryResponseSchema),
});

const listWebhookDeliveryAttemptsRoute = contract({
  method: 'get',
  path: '/deliveries/{id}/attempts',
  operationId: 'listWebhookDeliveryAttempts',
  tag: 'Webhook subscriptions',
  summary: 'The delivery log of one delivery',
  scope: 'wholesale-desk:admin',
  status: 200,
  response: list(deliveryAttemptResponseSchema),
});

const replayWebhookDeliveryRoute = contract({
  method: 'post',
  path: '/deliveries/{id}/replay',
  operationId: 'replayWebhookDelivery',
  tag: 'Webhook subscriptions',
  summary: 'Deliver a dead delivery again',
  scope: 'wholesale-desk:admin',
  errors: [409],
  status: 202,
  response: replayAcceptedSchema,
});

const deleteWebhookSubscriptionRoute = contract({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteWebhookSubscription',
  tag: 'Webhook subscriptions',
  summary: 'Remove a subscription',
  scope: 'wholesale-desk:admin',
  status: 204,
});

export function createWebhookSubscriptionRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  const allowList = parseWebhookAllowList(deps.config.WEBHOOK_ALLOWED_HOSTS);
  const actorOf = (c: Context<AppEnv>) => ({ partner: c.get('auth').partner, label: c.get('auth').actorLabel });

  app.operation(createWebhookSubscriptionRoute, async (c) => {
    const body = c.req.valid('json');
    const created = await deps.useCases.createWebhookSubscription(actorOf(c), body, {
      ...useCaseDeps(deps),
      newSecret: () => deps.ids.secret(32),
      sealSecret: deps.box ? (plaintext: string) => deps.box!.seal(plaintext) : undefined,
      allowList,
    });
    if (!created.ok) return respondProblems(c, created.problems);
    // The secret is shown once: receivers verify our Webhook-Signature with it.
    const { id, url, eventTypes, secret } = created.value;
    const answer = {
      id,
      url: redactWebhookUrl(url),
      eventTypes,
      secret,
      created: created.value.created.toISOString(),
      status: 'active' as const,
      disabledReason: null,
    };
    return c.json(answer, 201, {
      Location: `${deps.config.PUBLIC_URL}/v1/webhooks/${id}`,
    });
  });

  app.operation(listWebhookSubscriptionsRoute, async (c) => {
    return c.json({ items: await deps.useCases.listWebhookSubscriptions(c.get('auth').partner) }, 200);
  });

  app.operation(listWebhookDeliveriesRoute, async (c) => {
    // The contract has read the query; an empty ?status= filters nothing, as it always has.
    const q = c.req.valid('query');
    const page = toPage(q, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const deliveries = await deps.useCases.listWebhookDeliveries(c.get('auth').partner, {
      status: q.status || undefined,
      subscriptionId: q.subscriptionId,
      ...page.value,
    });
    return c.json({ items: respondPage(c, deliveries, page.value, deps.config.PUBLIC_URL) }, 200);
  });

  app.operation(listWebhookDeliveryAttemptsRoute, async (c) => {
    const attempts = await deps.useCases.listWebhookDeliveryAttempts(c.get('auth').partner, c.req.param('id'));
    if (!attempts.ok) return respondProblems(c, attempts.problems);
    return c.json({ items: attempts.value }, 200);
  });

  app.operation(replayWebhookDeliveryRoute, async (c) => {
    const replayed = await deps.useCases.replayDeadDelivery(c.get('auth').partner, c.req.param('id'), deps.clock.now());
    if (!replayed.ok) return respondProblems(c, replayed.problems);
    deps.onDeliveryQueued?.();
    return c.json({ id: replayed.value.id, status: 'pending' as const }, 202);
  });

  app.operation(deleteWebhookSubscriptionRoute, async (c) => {
    const removed = await deps.useCases.removeWebhookSubscription(c.get('auth').partner, c.req.param('id'), deps.clock.now());
    return removed.ok ? c.body(null, 204) : respondProblems(c, removed.problems);
  });
  return app;
}
