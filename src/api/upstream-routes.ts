import { Hono } from 'hono';
import { listDriftQuerySchema } from '../contracts/index.js';
import type { DriftAction } from '../use-cases/upstream-drift.js';
import { toSyncRunResponse } from '../use-cases/upstream-sync-runs.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, respondPage, toPage } from './read-body.js';

/** The Webex Wholesale connection as this instance sees it: mode, circuit, calls in flight, last error; and import/drift. */
export function createUpstreamRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));
  app.get('/status', requireScope('spark-admin:wholesale_customers_read'), async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    return c.json(await deps.useCases.loadUpstreamHealth(actor.value, deps.upstream));
  });

  // A sync runs in the background on the task queue (#25): 202 with the run's Location, followed with GET /syncs/{id}.
  app.post('/sync', requireScope('wholesale-desk:admin'), async (c) => {
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const r = await deps.useCases.requestSync(deps.upstream, actor.value, useCaseDeps(deps));
    if (!r.ok) return respondProblems(c, r.problems);
    return c.json(toSyncRunResponse(r.value.run), 202, {
      Location: `${deps.config.PUBLIC_URL}/v1/upstream/syncs/${encodeURIComponent(r.value.run.id)}`,
    });
  });

  app.get('/syncs/:id', requireScope('spark-admin:wholesale_customers_read'), async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const r = await deps.useCases.getSyncRun(actor.value, c.req.param('id'));
    return r.ok ? c.json(toSyncRunResponse(r.value), 200) : respondProblems(c, r.problems);
  });

  app.get('/drift', requireScope('spark-admin:wholesale_customers_read'), async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const q = parseQuery(c, listDriftQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const page = toPage(q.value, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await deps.useCases.listDrift(actor.value, { status: q.value.status ?? 'open', ...page.value });
    return c.json({ items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL) });
  });

  for (const action of ['adopt', 'push'] as const satisfies readonly DriftAction[]) {
    app.post(`/drift/:id/${action}`, requireScope('wholesale-desk:admin'), async (c) => {
      const actor = await toActor(c, deps, 'write');
      if (!actor.ok) return respondProblems(c, actor.problems);
      const r = await deps.useCases.resolveDriftItem(deps.upstream, actor.value, c.req.param('id'), action, useCaseDeps(deps));
      return r.ok ? c.json(r.value, 200) : respondProblems(c, r.problems);
    });
  }
  return app;
}
