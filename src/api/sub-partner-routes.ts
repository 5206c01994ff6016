import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, respondPage, toPage } from './read-body.js';
import { listSubPartnersQuerySchema } from '../contracts/index.js';

export function createSubPartnerRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', requireScope('spark-admin:wholesale_customers_read'), async (c) => {
    const q = parseQuery(c, listSubPartnersQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const page = toPage(q.value, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await deps.useCases.listSubPartnersOf(c.get('auth').partner, {
      provisioningState: q.value.provisioningState,
      ...page.value,
    });
    return c.json({ items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL) });
  });
  return app;
}
