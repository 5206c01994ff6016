import type { AppDeps } from './app-env.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { contract, createRouter } from './openapi.js';
import { listOf, listSubPartnersQuerySchema, subPartnerResponseSchema } from '../contracts/index.js';

const listSubPartnersRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listSubPartners',
  tag: 'Partner setup',
  summary: 'List sub-partners',
  scope: 'spark-admin:wholesale_customers_read',
  query: listSubPartnersQuerySchema,
  status: 200,
  response: listOf(subPartnerResponseSchema),
});

export function createSubPartnerRoutes(deps: AppDeps) {
  const app = createRouter();
  app.operation(listSubPartnersRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await deps.useCases.listSubPartnersOf(c.get('auth').partner, {
      provisioningState: q.provisioningState,
      ...page.value,
    });
    return c.json({ items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL) }, 200);
  });
  return app;
}
