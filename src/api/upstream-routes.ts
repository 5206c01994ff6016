import type { DriftAction } from '../use-cases/upstream-drift.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import type { AppDeps } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { contract, createRouter } from './openapi.js';
import {
  driftItemSchema,
  listDriftQuerySchema,
  listOf as list,
  onBehalfQuerySchema as onBehalf,
  syncRunSchema,
  upstreamStatusResponseSchema,
} from '../contracts/index.js';

/** The Webex Wholesale connection as this instance sees it: mode, circuit, calls in flight, last error; and import/drift. */
const getUpstreamStatusRoute = contract({
  method: 'get',
  path: '/status',
  operationId: 'getUpstreamStatus',
  tag: 'Upstream (Webex)',
  summary: 'Standalone or upstream (Webex Wholesale), and the connection: circuit, calls in flight, last error',
  scope: 'spark-admin:wholesale_customers_read',
  status: 200,
  response: upstreamStatusResponseSchema,
});

const createUpstreamSyncRoute = contract({
  method: 'post',
  path: '/sync',
  operationId: 'createUpstreamSync',
  tag: 'Upstream (Webex)',
  summary:
    "Start a sync with Webex Wholesale in the background (202, Location of the run; a sync already queued or running is joined): the partner's first sync imports, later ones report drift",
  scope: 'wholesale-desk:admin',
  query: onBehalf,
  // A standalone desk has no Webex to sync with (upstream_only).
  errors: [409],
  status: 202,
  response: syncRunSchema,
});

const getUpstreamSyncRoute = contract({
  method: 'get',
  path: '/syncs/{id}',
  operationId: 'getUpstreamSync',
  tag: 'Upstream (Webex)',
  summary: 'A sync run: its state, pages read, customers and subscribers seen, imported, drift found, errors',
  scope: 'spark-admin:wholesale_customers_read',
  query: onBehalf,
  status: 200,
  response: syncRunSchema,
});

const listUpstreamDriftRoute = contract({
  method: 'get',
  path: '/drift',
  operationId: 'listUpstreamDrift',
  tag: 'Upstream (Webex)',
  summary: 'Differences between the desk and Webex Wholesale found by sync, oldest first, paged',
  scope: 'spark-admin:wholesale_customers_read',
  query: listDriftQuerySchema,
  status: 200,
  response: list(driftItemSchema),
});

/** Resolving a drift item, one operation per direction. */
const resolveDriftRoutes = {
  adopt: contract({
    method: 'post',
    path: '/drift/{id}/adopt',
    operationId: 'updateDeskFromDrift',
    tag: 'Upstream (Webex)',
    summary: "Resolve a drift item by making the desk hold Webex's state",
    scope: 'wholesale-desk:admin',
    query: onBehalf,
    errors: [409, 502],
    status: 200,
    response: driftItemSchema,
  }),
  push: contract({
    method: 'post',
    path: '/drift/{id}/push',
    operationId: 'updateWebexFromDrift',
    tag: 'Upstream (Webex)',
    summary: "Resolve a drift item by making Webex hold the desk's state (through the provisioning tasks where there is one)",
    scope: 'wholesale-desk:admin',
    query: onBehalf,
    errors: [409, 502],
    status: 200,
    response: driftItemSchema,
  }),
} as const;

export function createUpstreamRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));
  app.operation(getUpstreamStatusRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    return c.json(await deps.useCases.loadUpstreamHealth(actor.value, deps.upstream), 200);
  });

  // A sync runs in the background on the task queue (#25): 202 with the run's Location, followed with GET /syncs/{id}.
  app.operation(createUpstreamSyncRoute, async (c) => {
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const r = await deps.useCases.requestSync(deps.upstream, actor.value, useCaseDeps(deps));
    if (!r.ok) return respondProblems(c, r.problems);
    return c.json(r.value.run, 202, {
      Location: `${deps.config.PUBLIC_URL}/v1/upstream/syncs/${encodeURIComponent(r.value.run.id)}`,
    });
  });

  app.operation(getUpstreamSyncRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const r = await deps.useCases.getSyncRun(actor.value, c.req.param('id'));
    return r.ok ? c.json(r.value, 200) : respondProblems(c, r.problems);
  });

  app.operation(listUpstreamDriftRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const q = c.req.valid('query');
    const page = toPage(q, { max: 100, limit: 1000 });
    if (!page.ok) return respondProblems(c, page.problems);
    const rows = await deps.useCases.listDrift(actor.value, { status: q.status ?? 'open', ...page.value });
    return c.json({ items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL) }, 200);
  });

  for (const action of ['adopt', 'push'] as const satisfies readonly DriftAction[]) {
    app.operation(resolveDriftRoutes[action], async (c) => {
      const actor = await toActor(c, deps, 'write');
      if (!actor.ok) return respondProblems(c, actor.problems);
      const r = await deps.useCases.resolveDriftItem(deps.upstream, actor.value, c.req.param('id'), action, useCaseDeps(deps));
      return r.ok ? c.json(r.value, 200) : respondProblems(c, r.problems);
    });
  }
  return app;
}
