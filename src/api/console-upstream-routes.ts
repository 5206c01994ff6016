import { Hono } from 'hono';
import type { LastSyncResponse } from '../contracts/index.js';
import { toActor } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';

/** The console's Upstream page: when the desk last compared itself with Webex, and what it found. */
export function createConsoleUpstreamRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));
  app.get('/last-sync', requireScope('spark-admin:wholesale_customers_read'), async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const body: LastSyncResponse = { lastSync: await deps.useCases.getLastSyncRun(actor.value) };
    return c.json(body);
  });
  return app;
}
