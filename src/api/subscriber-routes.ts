import { SUBSCRIBER_STATUSES } from '../domain/lifecycle.js';
import { problem, type Problem } from '../domain/problems.js';
import { readInstantParameter } from '../domain/date-parameters.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import { warnIfBackdatedUpstream } from './backdate-warning.js';
import type { AppDeps } from './app-env.js';
import { respondProblems } from './problem-responses.js';
import { decodeListCursor, respondKeysetPage } from './list-cursor.js';
import { toPage } from './read-body.js';
import { contract, createRouter } from './openapi.js';
import {
  createSubscriberBodySchema,
  effectiveQuerySchema as effective,
  listOf as list,
  listSubscribersQuerySchema,
  onBehalfQuerySchema as onBehalf,
  precheckResponseSchema,
  subscriberResponseSchema,
  updateSubscriberBodySchema,
  validateSubscriberBodySchema,
} from '../contracts/index.js';

const PRECHECK_OK = { message: 'success', info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' } } as const;

const listSubscribersRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listSubscribers',
  tag: 'Subscribers',
  summary: 'List wholesale subscribers',
  scope: 'spark-admin:wholesale_subscribers_read',
  query: listSubscribersQuerySchema,
  status: 200,
  response: list(subscriberResponseSchema),
});

const validateSubscriberRoute = contract({
  method: 'post',
  path: '/validate',
  operationId: 'validateSubscriber',
  tag: 'Subscribers',
  summary: 'Precheck a wholesale subscriber provisioning',
  scope: 'spark-admin:wholesale_subscribers_write',
  query: onBehalf,
  body: validateSubscriberBodySchema,
  errors: [409, 502],
  status: 200,
  response: precheckResponseSchema,
});

const createSubscriberRoute = contract({
  method: 'post',
  path: '/',
  operationId: 'createSubscriber',
  tag: 'Subscribers',
  summary: 'Provision a wholesale subscriber',
  scope: 'spark-admin:wholesale_subscribers_write',
  query: onBehalf,
  body: createSubscriberBodySchema,
  errors: [409],
  status: 200,
  response: subscriberResponseSchema,
});

const getSubscriberRoute = contract({
  method: 'get',
  path: '/{subscriberId}',
  operationId: 'getSubscriber',
  tag: 'Subscribers',
  summary: 'Get a wholesale subscriber',
  scope: 'spark-admin:wholesale_subscribers_read',
  query: onBehalf,
  status: 200,
  response: subscriberResponseSchema,
});

const updateSubscriberRoute = contract({
  method: 'put',
  path: '/{subscriberId}',
  operationId: 'updateSubscriber',
  tag: 'Subscribers',
  summary: "Change a subscriber's package",
  scope: 'spark-admin:wholesale_subscribers_write',
  query: onBehalf,
  body: updateSubscriberBodySchema,
  errors: [409],
  status: 200,
  response: subscriberResponseSchema,
});

const sendConsentEmailRoute = contract({
  method: 'post',
  path: '/{subscriberId}/emails/consentMove',
  operationId: 'sendConsentEmail',
  tag: 'Subscribers',
  summary: 'Upstream mode: Webex sends a pending_user_migration subscriber the consent email again (standalone: 409, errorCode 2100)',
  scope: 'spark-admin:wholesale_subscribers_write',
  query: onBehalf,
  errors: [409, 502],
  status: 204,
});

const deleteSubscriberRoute = contract({
  method: 'delete',
  path: '/{subscriberId}',
  operationId: 'deleteSubscriber',
  tag: 'Subscribers',
  summary: 'Remove a wholesale subscriber',
  scope: 'spark-admin:wholesale_subscribers_write',
  query: effective,
  errors: [409],
  status: 204,
});

export function createSubscriberRoutes(deps: AppDeps) {
  const app = createRouter();

  app.operation(listSubscribersRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q, { max: 50, limit: 100 });
    if (!page.ok) return respondProblems(c, page.problems);
    const statuses = q.status;
    const problems: Problem[] = [];
    const unknown = statuses?.filter((s) => !(SUBSCRIBER_STATUSES as readonly string[]).includes(s)) ?? [];
    if (unknown.length)
      problems.push(problem('invalid_request', `unknown status ${unknown.join(', ')}; use ${SUBSCRIBER_STATUSES.join(', ')}`, 'status'));
    const instants: Partial<Record<'after' | 'lastStatusChange', Date>> = {};
    for (const name of ['after', 'lastStatusChange'] as const) {
      const given = q[name];
      if (given === undefined) continue;
      const read = readInstantParameter(given);
      if (read.ok) instants[name] = read.instant;
      else problems.push(problem('invalid_request', read.message, name));
    }
    if (problems.length) return respondProblems(c, problems);
    const sortBy = q.sortBy ?? 'created';
    const sortOrder = q.sortOrder?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    const scope = { list: 'subscribers', sort: `${sortBy}.${sortOrder.toLowerCase()}` };
    const after = decodeListCursor(scope, q);
    if (!after.ok) return respondProblems(c, after.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const rows = await deps.useCases.findSubscribers(actor.value, {
      customerId: q.customerId,
      personId: q.personId,
      externalCustomerId: q.externalCustomerId,
      email: q.email,
      statuses,
      createdAfter: instants.after,
      statusChangedAfter: instants.lastStatusChange,
      sortBy,
      sortOrder,
      after: after.value,
      ...page.value,
    });
    return c.json(
      {
        items: respondKeysetPage(c, rows, page.value, deps.config.PUBLIC_URL, scope),
      },
      200,
    );
  });

  app.operation(validateSubscriberRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    if (!body.customerId) {
      return respondProblems(c, [
        problem('invalid_request', 'customerId is required to precheck a subscriber of an existing customer', 'customerId'),
      ]);
    }
    const result = await deps.useCases.precheckSubscriber(
      actor.value,
      { ...body, customerId: body.customerId },
      useCaseDeps(deps),
      deps.upstream,
    );
    return result.ok ? c.json(PRECHECK_OK, 200) : respondProblems(c, result.problems);
  });

  app.operation(createSubscriberRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.createSubscriber(actor.value, body, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    const subscriber = result.value;
    if (subscriber.status === 'provisioning') deps.onWorkQueued?.();
    warnIfBackdatedUpstream(c, deps, body.effectiveAt);
    return c.json(subscriber, 200, {
      Location: `${deps.config.PUBLIC_URL}/v1/wholesale/subscribers/${encodeURIComponent(subscriber.id)}`,
    });
  });

  app.operation(getSubscriberRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getSubscriber(actor.value, c.req.param('subscriberId'));
    return result.ok ? c.json(result.value, 200) : respondProblems(c, result.problems);
  });

  app.operation(updateSubscriberRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.updateSubscriberRequest(actor.value, c.req.param('subscriberId'), body, useCaseDeps(deps));
    if (result.ok) warnIfBackdatedUpstream(c, deps, body.effectiveAt);
    return result.ok ? c.json(result.value, 200) : respondProblems(c, result.problems);
  });

  // Upstream only: Webex sends a pending_user_migration subscriber the consent email again.
  app.operation(sendConsentEmailRoute, async (c) => {
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.resendConsentEmail(actor.value, c.req.param('subscriberId'), useCaseDeps(deps), deps.upstream);
    return result.ok ? c.body(null, 204) : respondProblems(c, result.problems);
  });

  app.operation(deleteSubscriberRoute, async (c) => {
    const actor = await toActor(c, deps, 'delete');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.deleteSubscriberRequest(
      actor.value,
      c.req.param('subscriberId'),
      c.req.query('effectiveAt'),
      useCaseDeps(deps),
    );
    if (result.ok) warnIfBackdatedUpstream(c, deps, c.req.query('effectiveAt'));
    return result.ok ? c.body(null, 204) : respondProblems(c, result.problems);
  });

  return app;
}
