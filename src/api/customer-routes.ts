import { CUSTOMER_STATUSES } from '../domain/lifecycle.js';
import { problem } from '../domain/problems.js';
import { checkCustomerRulesOnRaw } from '../domain/customer-rules-on-raw.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import type { AppDeps } from './app-env.js';
import { contract, createRouter } from './openapi.js';
import { respondProblems } from './problem-responses.js';
import { decodeListCursor, respondKeysetPage } from './list-cursor.js';
import { toPage } from './read-body.js';
import {
  acceptedResponseSchema,
  createCustomerBodySchema,
  customerResponseSchema,
  effectiveQuerySchema,
  getCustomerQuerySchema,
  listCustomersQuerySchema,
  listOf,
  locationResponseSchema,
  onBehalfQuerySchema,
  precheckResponseSchema,
  updateCustomerBodySchema,
  validateCustomerBodySchema,
} from '../contracts/index.js';

const PRECHECK_OK = { message: 'success', info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' } } as const;

const READ = 'spark-admin:wholesale_customers_read';
const WRITE = 'spark-admin:wholesale_customers_write';
const tag = 'Customers';

const listCustomersRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listCustomers',
  tag,
  summary: 'List wholesale customers',
  scope: READ,
  query: listCustomersQuerySchema,
  status: 200,
  response: listOf(customerResponseSchema),
});

const validateCustomerRoute = contract({
  method: 'post',
  path: '/validate',
  operationId: 'validateCustomer',
  tag,
  summary: 'Precheck a wholesale customer provisioning',
  scope: WRITE,
  query: onBehalfQuerySchema,
  body: validateCustomerBodySchema,
  rulesOnRaw: checkCustomerRulesOnRaw,
  status: 200,
  response: precheckResponseSchema,
  errors: [409, 502],
});

const createCustomerRoute = contract({
  method: 'post',
  path: '/',
  operationId: 'createCustomer',
  tag,
  summary: 'Provision a wholesale customer (asynchronous)',
  scope: WRITE,
  query: onBehalfQuerySchema,
  body: createCustomerBodySchema,
  rulesOnRaw: checkCustomerRulesOnRaw,
  status: 202,
  response: acceptedResponseSchema,
  errors: [409],
});

const getCustomerRoute = contract({
  method: 'get',
  path: '/{customerId}',
  operationId: 'getCustomer',
  tag,
  summary: 'Get a wholesale customer',
  scope: READ,
  query: getCustomerQuerySchema,
  status: 200,
  response: customerResponseSchema,
});

const listCustomerLocationsRoute = contract({
  method: 'get',
  path: '/{customerId}/locations',
  operationId: 'listCustomerLocations',
  tag,
  summary: "List a customer's calling locations: HQ first, then branches (ours)",
  scope: READ,
  query: onBehalfQuerySchema,
  status: 200,
  response: listOf(locationResponseSchema),
});

const updateCustomerRoute = contract({
  method: 'put',
  path: '/{customerId}',
  operationId: 'updateCustomer',
  tag,
  summary: 'Update a wholesale customer (packages is the complete list)',
  scope: WRITE,
  query: onBehalfQuerySchema,
  body: updateCustomerBodySchema,
  rulesOnRaw: checkCustomerRulesOnRaw,
  status: 202,
  response: acceptedResponseSchema,
  errors: [409],
});

const deleteCustomerRoute = contract({
  method: 'delete',
  path: '/{customerId}',
  operationId: 'deleteCustomer',
  tag,
  summary: 'Remove a wholesale customer (asynchronous)',
  scope: WRITE,
  query: effectiveQuerySchema,
  status: 202,
  response: acceptedResponseSchema,
  errors: [409],
});

export function createCustomerRoutes(deps: AppDeps) {
  const app = createRouter();
  const location = (id: string) => `${deps.config.PUBLIC_URL}/v1/wholesale/customers/${encodeURIComponent(id)}`;

  app.operation(listCustomersRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const statuses = q.status;
    const unknown = statuses?.filter((s) => !(CUSTOMER_STATUSES as readonly string[]).includes(s)) ?? [];
    if (unknown.length)
      return respondProblems(c, [
        problem('invalid_request', `unknown status ${unknown.join(', ')}; use ${CUSTOMER_STATUSES.join(', ')}`, 'status'),
      ]);
    const scope = { list: 'customers', sort: 'created.asc' };
    const after = decodeListCursor(scope, q);
    if (!after.ok) return respondProblems(c, after.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const rows = await deps.useCases.findCustomers(actor.value, {
      externalId: q.externalId,
      orgId: q.orgId,
      statuses,
      after: after.value,
      ...page.value,
    });
    return c.json({ items: respondKeysetPage(c, rows, page.value, deps.config.PUBLIC_URL, scope) }, 200);
  });

  app.operation(validateCustomerRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.precheckCustomer(actor.value, body, useCaseDeps(deps), deps.upstream);
    return result.ok ? c.json(PRECHECK_OK, 200) : respondProblems(c, result.problems);
  });

  app.operation(createCustomerRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.createCustomer(actor.value, body, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    if (result.value.created) deps.onWorkQueued?.();
    const url = location(result.value.customer.id);
    return c.json({ url }, 202, { Location: url });
  });

  app.operation(getCustomerRoute, async (c) => {
    const q = c.req.valid('query');
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getCustomer(actor.value, c.req.param('customerId'), {
      includePackageLicenseInfo: q.includePackageLicenseInfo === 'true',
    });
    return result.ok ? c.json(result.value, 200) : respondProblems(c, result.problems);
  });

  app.operation(listCustomerLocationsRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getCustomerLocations(actor.value, c.req.param('customerId'));
    return result.ok ? c.json({ items: result.value }, 200) : respondProblems(c, result.problems);
  });

  app.operation(updateCustomerRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.updateCustomerRequest(actor.value, c.req.param('customerId'), body, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    deps.onWorkQueued?.();
    const url = location(result.value.id);
    return c.json({ url }, 202, { Location: url });
  });

  app.operation(deleteCustomerRoute, async (c) => {
    const actor = await toActor(c, deps, 'delete');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.deleteCustomerRequest(
      actor.value,
      c.req.param('customerId'),
      c.req.query('effectiveAt'),
      useCaseDeps(deps),
    );
    if (!result.ok) return respondProblems(c, result.problems);
    deps.onWorkQueued?.();
    const url = location(result.value.id);
    return c.json({ url }, 202, { Location: url });
  });

  return app;
}
