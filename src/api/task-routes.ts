import { isTaskKind } from '../contracts/task-payloads.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { TASK_STATES, type TaskState } from '../use-cases/task-retries.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import type { AppDeps } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { respondPage, toPage } from './read-body.js';
import { contract, createRouter } from './openapi.js';
import {
  listOf as list,
  listTasksQuerySchema,
  retryTasksQuerySchema,
  retryTasksResponseSchema,
  taskItemSchema,
} from '../contracts/index.js';

/** `state` and `kind` as given, checked: every problem named at once. */
function readFilter(q: { state?: string | undefined; kind?: string | undefined; customerId?: string | undefined }): Result<{
  states: TaskState[];
  kind?: string;
  customerId?: string;
}> {
  const states = q.state ? q.state.split(',').map((s) => s.trim()) : [...TASK_STATES];
  const problems = [
    ...states
      .filter((s) => !(TASK_STATES as readonly string[]).includes(s))
      .map((s) => problem('invalid_request', `state "${s}" is not parked or failed`, 'state')),
    ...(q.kind && !isTaskKind(q.kind)
      ? [problem('invalid_request', `kind "${q.kind}" is not a task kind (e.g. customer.provision)`, 'kind')]
      : []),
  ];
  if (problems.length) return fail(...problems);
  return ok({
    states: states as TaskState[],
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.customerId ? { customerId: q.customerId } : {}),
  });
}

/** Retried work goes now: the worker is woken, and an open circuit lets a trial call through (a person says Webex is back). */
function retried(deps: AppDeps) {
  deps.upstream?.retryNow?.();
  deps.onWorkQueued?.();
}

/**
 * Held and failed background tasks, and their retry (#25): a task Webex's refusal of the token held, or
 * one that used up its attempts, waits here until a person retries it; the retry is audited.
 */
const listTasksRoute = contract({
  method: 'get',
  path: '/',
  operationId: 'listTasks',
  tag: 'Held and failed tasks',
  summary: 'Held (parked: Webex refused the token) and failed background tasks, oldest first, paged',
  scope: 'spark-admin:wholesale_customers_read',
  query: listTasksQuerySchema,
  status: 200,
  response: list(taskItemSchema),
});

const replayStoppedTasksRoute = contract({
  method: 'post',
  path: '/retry',
  operationId: 'replayStoppedTasks',
  tag: 'Held and failed tasks',
  summary: "Retry the partner's held and failed tasks (optionally one state, kind or customer): each record is back in progress",
  scope: 'wholesale-desk:admin',
  query: retryTasksQuerySchema,
  status: 200,
  response: retryTasksResponseSchema,
});

const replayTaskRoute = contract({
  method: 'post',
  path: '/{id}/retry',
  operationId: 'replayTask',
  tag: 'Held and failed tasks',
  summary: 'Retry one held or failed task',
  scope: 'wholesale-desk:admin',
  // A task neither held nor failed (task_not_retryable).
  errors: [409],
  status: 200,
  response: taskItemSchema,
});

export function createTaskRoutes(deps: AppDeps) {
  const app = createRouter();
  app.use('*', authenticate(deps));

  app.operation(listTasksRoute, async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const q = c.req.valid('query');
    const filter = readFilter(q);
    const page = toPage(q, { max: 100, limit: 1000 });
    if (!filter.ok || !page.ok) return respondProblems(c, [...(filter.ok ? [] : filter.problems), ...(page.ok ? [] : page.problems)]);
    const rows = await deps.useCases.listTasks(actor.value, { ...filter.value, ...page.value });
    return c.json({ items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL) }, 200);
  });

  app.operation(replayStoppedTasksRoute, async (c) => {
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const q = c.req.valid('query');
    const filter = readFilter(q);
    if (!filter.ok) return respondProblems(c, filter.problems);
    const r = await deps.useCases.retryTasks(actor.value, filter.value, useCaseDeps(deps));
    if (r.retried) retried(deps);
    return c.json({ retried: r.retried, items: r.tasks.map((t) => ({ id: String(t.id), kind: t.kind, entityId: t.entityId })) }, 200);
  });

  app.operation(replayTaskRoute, async (c) => {
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const r = await deps.useCases.retryTask(actor.value, c.req.param('id'), useCaseDeps(deps));
    if (!r.ok) return respondProblems(c, r.problems);
    retried(deps);
    return c.json(r.value, 200);
  });
  return app;
}
