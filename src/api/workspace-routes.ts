import { toActor, useCaseDeps } from './acting-actor.js';
import { warnIfBackdatedUpstream } from './backdate-warning.js';
import type { AppDeps } from './app-env.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { contract, createRouter } from './openapi.js';
import {
  createWorkspaceBodySchema,
  effectiveQuerySchema as effective,
  listOf as list,
  listWorkspacesQuerySchema,
  onBehalfQuerySchema as onBehalf,
  workspaceResponseSchema,
} from '../contracts/index.js';

/** `/v1/wholesale/workspaces`: ours (the public API has none), with the subscribers' scopes. */
const listWorkspacesRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listWorkspaces',
  tag: 'Workspaces',
  summary: "List workspaces (the desk's own resource: Common Area Calling devices)",
  scope: 'spark-admin:wholesale_subscribers_read',
  query: listWorkspacesQuerySchema,
  status: 200,
  response: list(workspaceResponseSchema),
});

const createWorkspaceRoute = contract({
  method: 'post',
  path: '/',
  operationId: 'createWorkspace',
  tag: 'Workspaces',
  summary: 'Add a workspace holding Common Area Calling to a provisioned customer (billing starts at effectiveAt)',
  scope: 'spark-admin:wholesale_subscribers_write',
  query: onBehalf,
  body: createWorkspaceBodySchema,
  errors: [409],
  status: 201,
  response: workspaceResponseSchema,
});

const getWorkspaceRoute = contract({
  method: 'get',
  path: '/{workspaceId}',
  operationId: 'getWorkspace',
  tag: 'Workspaces',
  summary: 'Get a workspace',
  scope: 'spark-admin:wholesale_subscribers_read',
  query: onBehalf,
  status: 200,
  response: workspaceResponseSchema,
});

const deleteWorkspaceRoute = contract({
  method: 'delete',
  path: '/{workspaceId}',
  operationId: 'deleteWorkspace',
  tag: 'Workspaces',
  summary: 'Remove a workspace (billing stops at effectiveAt)',
  scope: 'spark-admin:wholesale_subscribers_write',
  query: effective,
  // A workspace still being provisioned or deleted in Webex (workspace_settling).
  errors: [409],
  status: 204,
});

export function createWorkspaceRoutes(deps: AppDeps) {
  const app = createRouter();

  app.operation(listWorkspacesRoute, async (c) => {
    const q = c.req.valid('query');
    const page = toPage(q, { max: 50, limit: 100 });
    if (!page.ok) return respondProblems(c, page.problems);
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const rows = await deps.useCases.findWorkspaces(actor.value, { customerId: q.customerId, ...page.value });
    return c.json(
      {
        items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL),
      },
      200,
    );
  });

  app.operation(createWorkspaceRoute, async (c) => {
    const body = c.req.valid('json');
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.createWorkspace(actor.value, body, useCaseDeps(deps));
    if (!result.ok) return respondProblems(c, result.problems);
    const workspace = result.value;
    warnIfBackdatedUpstream(c, deps, body.effectiveAt);
    return c.json(workspace, 201, {
      Location: `${deps.config.PUBLIC_URL}/v1/wholesale/workspaces/${encodeURIComponent(workspace.id)}`,
    });
  });

  app.operation(getWorkspaceRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const result = await deps.useCases.getWorkspace(actor.value, c.req.param('workspaceId'));
    if (!result.ok) return respondProblems(c, result.problems);
    return c.json(result.value, 200);
  });

  app.operation(deleteWorkspaceRoute, async (c) => {
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
