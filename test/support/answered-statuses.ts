import { buildOpenApiDocument } from '../../src/api/v1-routes.js';

/**
 * Every status the /v1 API answers during the integration tests, by operation, checked against what the
 * OpenAPI document declares for that operation (test/support/declared-statuses-guard.ts, after each file):
 * an operation answering a status its contract does not list fails the file that made it answer it.
 *
 * The harness's app records what it answers (`recordAnswers`); the document is the one GET /v1/openapi.json
 * serves (buildOpenApiDocument), read once per worker and only when something was answered.
 */

/** One answer of the app: what was asked and the status it got. */
export interface Answer {
  method: string;
  path: string;
  status: number;
}

/** An answer whose status the operation it reached does not declare. */
export interface UndeclaredAnswer {
  operationId: string;
  method: string;
  path: string;
  status: number;
  declared: string[];
}

const answers: Answer[] = [];

/** The answers recorded since the last `takeAnswers`, forgotten as they are handed over. */
export const takeAnswers = (): Answer[] => answers.splice(0);

/**
 * Makes `app` record each answer's status: `app.request()` and servers given `app.fetch` both go through
 * `fetch`, looked up on the app at each call, so wrapping it once catches every request the tests send.
 */
export function recordAnswers<A extends { fetch: (request: Request, ...rest: never[]) => Response | Promise<Response> }>(app: A): A {
  const fetch = app.fetch;
  const record = (request: Request) => (response: Response) => {
    answers.push({ method: request.method, path: new URL(request.url).pathname, status: response.status });
    return response;
  };
  app.fetch = ((request: Request, ...rest: never[]) => {
    const answered = fetch(request, ...rest);
    return answered instanceof Promise ? answered.then(record(request)) : record(request)(answered);
  }) as A['fetch'];
  return app;
}

interface Operation {
  operationId: string;
  method: string;
  segments: string[];
  /** How many segments are literal: `/events/failed` is chosen over `/events/{id}` for GET /v1/events/failed. */
  literals: number;
  declared: string[];
}

type Paths = Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;

/** The document's operations, with the path each is served at (the document's paths are under /v1). */
export function operationsOf(document: { paths: Paths }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const segments = `/v1${path}`.split('/');
      return {
        operationId: op.operationId,
        method: method.toUpperCase(),
        segments,
        literals: segments.filter((s) => !/^\{\w+\}$/.test(s)).length,
        declared: Object.keys(op.responses),
      };
    }),
  );
}

/**
 * The operation a request reached, matched as the router matches: segment by segment, strictly (a trailing
 * slash or an empty segment reaches nothing), a path parameter never empty; the match with the most literal
 * segments, as static paths come before parameters.
 */
export function operationOf(operations: readonly Operation[], method: string, path: string): Operation | undefined {
  const segments = path.split('/');
  const matches = operations.filter(
    (op) =>
      op.method === method &&
      op.segments.length === segments.length &&
      op.segments.every((s, i) => (/^\{\w+\}$/.test(s) ? segments[i] !== '' : s === segments[i])),
  );
  return matches.sort((a, b) => b.literals - a.literals)[0];
}

let documented: Operation[] | undefined;

/**
 * The answers given by a documented operation with a status it does not declare. Requests no operation
 * serves (outside /v1, the document itself, a path or method the API does not have) are not the document's
 * to declare. 500 is left out as well: an unexpected error, never an answer an operation declares.
 */
export function undeclaredAnswers(given: readonly Answer[], operations?: readonly Operation[]): UndeclaredAnswer[] {
  const ops = operations ?? (documented ??= operationsOf(buildOpenApiDocument('http://desk.test') as { paths: Paths }));
  const found = new Map<string, UndeclaredAnswer>();
  for (const answer of given) {
    if (answer.status === 500) continue;
    const op = operationOf(ops, answer.method, answer.path);
    if (!op || op.declared.includes(String(answer.status))) continue;
    found.set(`${op.operationId} ${answer.status}`, { operationId: op.operationId, ...answer, declared: op.declared });
  }
  return [...found.values()];
}
