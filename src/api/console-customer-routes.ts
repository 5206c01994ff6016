import { toActor } from './acting-actor.js';
import type { AppDeps } from './app-env.js';
import { respondProblems } from './problem-responses.js';
import { contract, createRouter } from './openapi.js';
import {
  consoleCustomerListSchema,
  consoleCustomerPageSchema,
  consoleCustomersQuerySchema,
  onBehalfQuerySchema as onBehalf,
} from '../contracts/index.js';

/** The console's Customers and Customer pages: console-only shapes, read with the customers' read scope. */
const listConsoleCustomersRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listConsoleCustomers',
  tag: 'Console',
  summary: "The console's customer table: search, status and package filters, sort and a page, with the total",
  scope: 'spark-admin:wholesale_customers_read',
  query: consoleCustomersQuerySchema,
  status: 200,
  response: consoleCustomerListSchema,
});

const getConsoleCustomerRoute = contract({
  method: 'get',
  path: '/{customerId}',
  operationId: 'getConsoleCustomer',
  tag: 'Console',
  summary:
    "The console's customer page in one call: status history, packages with limits and use, locations, subscribers, workspaces, compliance, audit trail, 30 days of licences and this month's invoice to date",
  scope: 'spark-admin:wholesale_customers_read',
  query: onBehalf,
  status: 200,
  response: consoleCustomerPageSchema,
});

export function createConsoleCustomerRoutes(deps: AppDeps) {
  const app = createRouter();
  app.operation(listConsoleCustomersRoute, async (c) => {
    const q = c.req.valid('query');
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    return c.json(await deps.useCases.listConsoleCustomers(actor.value, q), 200);
  });
  app.operation(getConsoleCustomerRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const scopes = c.get('auth').scopes;
    const result = await deps.useCases.loadConsoleCustomer(actor.value, c.req.param('customerId'), deps.clock.now(), {
      subscribers: scopes.includes('spark-admin:wholesale_subscribers_read'),
      billing: scopes.includes('spark-admin:wholesale_billing_reports_read'),
    });
    if (!result.ok) return respondProblems(c, result.problems);
    return c.json(result.value, 200);
  });
  return app;
}
