import { Hono } from 'hono';
import { CUSTOMER_STATUSES } from '../domain/lifecycle.js';
import { problem } from '../domain/problems.js';
import { checkCustomerRulesOnRaw } from '../domain/customer-rules-on-raw.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { decodeListCursor, respondKeysetPage } from './list-cursor.js';
import { parseQuery, readJsonBody, toPage } from './read-body.js';
import {
  createCustomerBodySchema,
  getCustomerQuerySchema,
  listCustomersQuerySchema,
  updateCustomerBodySchema,
  validateCustomerBodySchema,
} from '../contracts/index.js';

const PRECHECK_OK = { message: 'success', info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' } } as const;

export function createCustomerRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const read = requireScope('spark-admin:wholesale_customers_read');
  const write = requireScope('spark-admin:wholesale_customers_write');
  const location = (id: string) => `${deps.config.PUBLIC_URL}/v1/wholesale/customers/${encodeURIComponent(id)}`;

  app.get('/', read, async (c) => {
    const q = parseQuery(c, listCustomersQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const page = toPage(q.value, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const statuses = q.value.status;
    const unknown = statuses?.filter((s) => !(CUSTOMER_STATUSES as readonly string[]).includes(s)) ?? [];
    if (unknown.length)
      return respondProblems(c, [
        problem('invalid_request', `unknown status ${unknown.join(', ')}; use ${CUSTOMER_STATUSES.join(', ')}`, 'status'),
      ]);
    const scope = { list: 'customers', sort: 'created.asc' };
    const after = decodeListCursor(scope, q.value);
    if (!after.ok) return respondProblems(c, after.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const rows = await deps.useCases.findCustomers(actor.value, {
      externalId: q.value.externalId,
      orgId: q.value.orgId,
      statuses,
      after: after.value,
      ...page.value,
    });
    return c.json({ items: respondKeysetPage(c, rows, page.value, deps.config.PUBLIC_URL, scope) });
  });

  app.post('/validate', write, async (c) => {
    const body = await readJsonBody(c, validateCustomerBodySchema, checkCustomerRulesOnRaw);
    if (!body.ok) return respondProblems(c, body.problems);
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.precheckCustomer(actor.value, body.value, useCaseDeps(deps), deps.upstream);
    return result.ok ? c.json(PRECHECK_OK) : respondProblems(c, result.problems);
  });

  app.post('/', write, async (c) => {
    const body = await readJsonBody(c, createCustomerBodySchema, checkCustomerRulesOnRaw);
    if (!body.ok) return respondProblems(c, body.problems);
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.createCustomer(actor.value, body.value, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    if (result.value.created) deps.onWorkQueued?.();
    const url = location(result.value.customer.id);
    return c.json({ url }, 202, { Location: url });
  });

  app.get('/:customerId', read, async (c) => {
    const q = parseQuery(c, getCustomerQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getCustomer(actor.value, c.req.param('customerId'), {
      includePackageLicenseInfo: q.value.includePackageLicenseInfo === 'true',
    });
    return result.ok ? c.json(result.value) : respondProblems(c, result.problems);
  });

  app.get('/:customerId/locations', read, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getCustomerLocations(actor.value, c.req.param('customerId'));
    return result.ok ? c.json({ items: result.value }) : respondProblems(c, result.problems);
  });

  app.put('/:customerId', write, async (c) => {
    const body = await readJsonBody(c, updateCustomerBodySchema, checkCustomerRulesOnRaw);
    if (!body.ok) return respondProblems(c, body.problems);
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.updateCustomerRequest(actor.value, c.req.param('customerId'), body.value, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    deps.onWorkQueued?.();
    const url = location(result.value.id);
    return c.json({ url }, 202, { Location: url });
  });

  app.delete('/:customerId', write, async (c) => {
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
