import { Hono } from 'hono';
import { createWorkspaceBodySchema, listWorkspacesQuerySchema } from '../contracts/index.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import { warnIfBackdatedUpstream } from './backdate-warning.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, readJsonBody, respondPage, toPage } from './read-body.js';

/** `/v1/wholesale/workspaces`: ours (the public API has none), with the subscribers' scopes. */
export function createWorkspaceRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const read = requireScope('spark-admin:wholesale_subscribers_read');
  const write = requireScope('spark-admin:wholesale_subscribers_write');

  app.get('/', read, async (c) => {
    const q = parseQuery(c, listWorkspacesQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const page = toPage(q.value, { max: 50, limit: 100 });
    if (!page.ok) return respondProblems(c, page.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const rows = await deps.useCases.findWorkspaces(actor.value, { customerId: q.value.customerId, ...page.value });
    return c.json({
      items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL),
    });
  });

  app.post('/', write, async (c) => {
    const body = await readJsonBody(c, createWorkspaceBodySchema);
    if (!body.ok) return respondProblems(c, body.problems);
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.createWorkspace(actor.value, body.value, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    const workspace = result.value;
    warnIfBackdatedUpstream(c, deps, body.value.effectiveAt);
    return c.json(workspace, 201, {
      Location: `${deps.config.PUBLIC_URL}/v1/wholesale/workspaces/${encodeURIComponent(workspace.id)}`,
    });
  });

  app.get('/:workspaceId', read, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getWorkspace(actor.value, c.req.param('workspaceId'));
    if (!result.ok) return respondProblems(c, result.problems);
    return c.json(result.value);
  });

  app.delete('/:workspaceId', write, async (c) => {
    const actor = await toActor(c, deps, 'delete');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.deleteWorkspaceRequest(
      actor.value,
      c.req.param('workspaceId'),
      c.req.query('effectiveAt'),
      useCaseDeps(deps),
    );
    if (result.ok) warnIfBackdatedUpstream(c, deps, c.req.query('effectiveAt'));
    return result.ok ? c.body(null, 204) : respondProblems(c, result.problems);
  });

  return app;
}
