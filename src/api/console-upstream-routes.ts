import type { LastSyncResponse } from '../contracts/index.js';
import { toActor } from './acting-actor.js';
import type { AppDeps } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { contract, createRouter } from './openapi.js';
import { lastSyncResponseSchema, onBehalfQuerySchema as onBehalf } from '../contracts/index.js';

/** The console's Upstream page: when the desk last compared itself with Webex, and what it found. */
const getConsoleLastSyncRoute = contract({
  method: 'get',
  path: '/last-sync',
  operationId: 'getConsoleLastSync',
  tag: 'Upstream (Webex)',
  summary: "The console's Upstream page: the partner's latest sync with Webex Wholesale (null before the first)",
  scope: 'spark-admin:wholesale_customers_read',
  query: onBehalf,
  status: 200,
  response: lastSyncResponseSchema,
});

export function createConsoleUpstreamRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  app.operation(getConsoleLastSyncRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const body: LastSyncResponse = { lastSync: await deps.useCases.getLastSyncRun(actor.value) };
    return c.json(body, 200);
  });
  return app;
}
