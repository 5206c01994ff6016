import { Hono } from 'hono';
import { consoleCustomersQuerySchema } from '../contracts/index.js';
import { toActor } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery } from './read-body.js';

/** The console's Customers and Customer pages: console-only shapes, read with the customers' read scope. */
export function createConsoleCustomerRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', requireScope('spark-admin:wholesale_customers_read'));
  app.get('/', async (c) => {
    const q = parseQuery(c, consoleCustomersQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    return c.json(await deps.useCases.listConsoleCustomers(actor.value, q.value));
  });
  app.get('/:customerId', async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const scopes = c.get('auth').scopes;
    const result = await deps.useCases.loadConsoleCustomer(actor.value, c.req.param('customerId'), deps.clock.now(), {
      subscribers: scopes.includes('spark-admin:wholesale_subscribers_read'),
      billing: scopes.includes('spark-admin:wholesale_billing_reports_read'),
    });
    if (!result.ok) return respondProblems(c, result.problems);
    return c.json(result.value);
  });
  return app;
}
