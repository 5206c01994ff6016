import { Hono } from 'hono';
import { isTaskKind } from '../contracts/task-payloads.js';
import { listTasksQuerySchema, retryTasksQuerySchema } from '../contracts/upstream.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { TASK_STATES, type TaskState } from '../use-cases/task-retries.js';
import { toActor, useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate, requireScope } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { parseQuery, respondPage, toPage } from './read-body.js';

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
export function createTaskRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));

  app.get('/', requireScope('spark-admin:wholesale_customers_read'), async (c) => {
    const actor = await toActor(c, deps, 'read');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const q = parseQuery(c, listTasksQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const filter = readFilter(q.value);
    const page = toPage(q.value, { max: 100, limit: 1000 });
    if (!filter.ok || !page.ok) return respondProblems(c, [...(filter.ok ? [] : filter.problems), ...(page.ok ? [] : page.problems)]);
    const rows = await deps.useCases.listTasks(actor.value, { ...filter.value, ...page.value });
    return c.json({ items: respondPage(c, rows, page.value, deps.config.PUBLIC_URL) });
  });

  app.post('/retry', requireScope('wholesale-desk:admin'), async (c) => {
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const q = parseQuery(c, retryTasksQuerySchema);
    if (!q.ok) return respondProblems(c, q.problems);
    const filter = readFilter(q.value);
    if (!filter.ok) return respondProblems(c, filter.problems);
    const r = await deps.useCases.retryTasks(actor.value, filter.value, useCaseDeps(deps));
    if (r.retried) retried(deps);
    return c.json({ retried: r.retried, items: r.tasks.map((t) => ({ id: String(t.id), kind: t.kind, entityId: t.entityId })) });
  });

  app.post('/:id/retry', requireScope('wholesale-desk:admin'), async (c) => {
    const actor = await toActor(c, deps, 'write');
    if (!actor.ok) return respondProblems(c, actor.problems);
    const r = await deps.useCases.retryTask(actor.value, c.req.param('id'), useCaseDeps(deps));
    if (!r.ok) return respondProblems(c, r.problems);
    retried(deps);
    return c.json(r.value);
  });
  return app;
}
