import { problem } from '../domain/problems.js';
import type { AppDeps } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { contract, createRouter } from './openapi.js';
import { digestBodySchema, digestSubscriptionSchema, listOf } from '../contracts/index.js';

/** Digest subscriptions per chat space, the API twin of `digest daily at …` and `digest off`. */
const listDigestsRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listDigests',
  tag: 'Digests',
  summary: 'Digest subscriptions of the chat spaces',
  scope: 'wholesale-desk:admin',
  status: 200,
  response: listOf(digestSubscriptionSchema),
});

const putDigestRoute = contract({
  method: 'put',
  path: '/{spaceId}',
  operationId: 'putDigest',
  tag: 'Digests',
  summary: 'Post the daily digest (and the monthly one on the 1st) to a space at a local time',
  scope: 'wholesale-desk:admin',
  body: digestBodySchema,
  status: 200,
  response: digestSubscriptionSchema,
});

const deleteDigestRoute = contract({
  method: 'delete',
  path: '/{spaceId}',
  operationId: 'deleteDigest',
  tag: 'Digests',
  summary: "Stop a space's digests",
  scope: 'wholesale-desk:admin',
  status: 204,
});

export function createDigestRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  app.operation(listDigestsRoute, async (c) => c.json({ items: await deps.useCases.listDigestSubscriptions(c.get('auth').partner) }, 200));
  app.operation(putDigestRoute, async (c) => {
    const body = c.req.valid('json');
    const auth = c.get('auth');
    const r = await deps.useCases.setDigestSubscription(auth.partner, {
      spaceId: c.req.param('spaceId'),
      ...body,
      by: auth.actorLabel,
      now: deps.clock.now(),
    });
    return r.ok ? c.json(r.value, 200) : respondProblems(c, r.problems);
  });
  app.operation(deleteDigestRoute, async (c) => {
    const removed = await deps.useCases.removeDigestSubscription(c.get('auth').partner, c.req.param('spaceId'));
    return removed
      ? c.body(null, 204)
      : respondProblems(c, [problem('not_found', `space ${c.req.param('spaceId')} has no digest subscription`)]);
  });
  return app;
}
