import { createRoute, type Hook, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { z } from 'zod';
import { errorResponseSchema, OUTBOUND_EVENT_SCHEMAS, OUTBOUND_EVENT_TYPES } from '../contracts/index.js';
import { mergeShapeAndRuleProblems } from '../domain/customer-rules-on-raw.js';
import type { Problem } from '../domain/problems.js';
import type { Scope } from '../domain/scopes.js';
import type { AppEnv } from './app-env.js';
import { requireScope } from './auth.js';
import { type ProblemResponse, respondProblems } from './problem-responses.js';
import type { DocumentedRoute } from './query-parameters.js';
import { issuesToProblems, queryProblems, rawQueryOf, readJsonText } from './read-body.js';

/** The groups `/docs` shows the operations in, in this order, each saying what its operations are for. */
export const API_TAGS = [
  {
    name: 'Customers',
    description:
      "Webex Wholesale customers: create (asynchronous: 202, then poll the customer until it settles), read, update, delete, precheck, and the customer's locations.",
  },
  {
    name: 'Subscribers',
    description:
      'Webex Wholesale subscribers: one base package plus add-ons, prechecks, and the consent email of a user pending migration.',
  },
  { name: 'Workspaces', description: "The desk's own workspaces (a lobby or common-area phone) holding Common Area Calling." },
  {
    name: 'Partner setup',
    description: 'Sub-partners with their billing start, and the onboarding templates customers are created under.',
  },
  {
    name: 'Billing reports',
    description:
      'Webex Wholesale billing reports (PARTNER, CUSTOMER, USER: daily usage per package) and their signed, short-lived download links.',
  },
  {
    name: 'Invoices and price book',
    description:
      "The SP's own invoices: the price book, a month's invoice (to date while it runs), issuing an ended month, and issued invoices as JSON, PDF or CSV.",
  },
  {
    name: 'Reconciliation',
    description: "Cisco's billing report for a period set beside the desk's own figures, with every difference priced.",
  },
  {
    name: 'Compliance',
    description:
      'Restricted-party screening: the screening list (root partner), the review queue, approvals, rejections and contact attempts.',
  },
  {
    name: 'Upstream (Webex)',
    description:
      'The connection to Webex Wholesale: its state, sync (import, then drift), adopting or pushing a drift item, and the last sync the console shows.',
  },
  {
    name: 'Held and failed tasks',
    description: 'Background work that stopped (held while Webex refuses the token, failed after its attempts): list it and retry it.',
  },
  {
    name: 'Inbound events',
    description: 'Events a back office posts, signed with Webhook-Signature (EVENTS_SECRETS); the failed ones, replay and counts.',
  },
  {
    name: 'Webhook subscriptions',
    description: 'Outbound webhooks: subscriptions, their deliveries and attempts, replay of a dead delivery.',
  },
  {
    name: 'Console',
    description:
      'What the web console sends and reads: chat messages, the dashboard, the customer table and page, the inbox and the audit log.',
  },
  { name: 'Digests', description: 'Daily and monthly digests a space subscribes to, at a local time.' },
  { name: 'Data notices', description: "Stored data today's rules refuse (found at upgrade), each kind with the request that fixes it." },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];

/**
 * One operation's contract, written next to its handler and turned into a route by `contract()`: the
 * OpenAPI document, the request validation and the handler's input types all come from it.
 */
export interface RouteSpec<
  P extends string = string,
  Q extends z.ZodObject | undefined = z.ZodObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  O extends string = string,
  S extends SuccessStatus = SuccessStatus,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  T extends string = string,
  X extends readonly OtherSuccess[] = readonly OtherSuccess[],
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path template, relative to the router it is registered on (`/{customerId}`). */
  path: P;
  /** Stable, camelCase, verb-first: client generators name their methods after it. */
  operationId: O;
  /** The group `/docs` lists it under. */
  tag: ApiTag;
  summary: string;
  /**
   * How the caller proves who it is: a bearer API token (with `scope` when one is required; the console
   * takes any valid token), the HMAC `Webhook-Signature` header (inbound events), or nothing but the
   * signed query of the URL itself (download links).
   */
  auth?: 'bearer' | 'signature' | 'none';
  /** Checked first (requireScope), before the request is validated. */
  scope?: Scope;
  /** Validated before the handler runs (answerInvalidRequest); the handler reads `c.req.valid('query')`. */
  query?: Q;
  /** Query parameters the handler reads itself, without a contract (the download link's signature). */
  parameters?: readonly { name: string; description: string; schema: Record<string, unknown> }[];
  /** A JSON body, read (415, malformed, NUL, depth) and validated before the handler runs: `c.req.valid('json')`. */
  body?: B;
  /**
   * A JSON body the handler reads itself, documented but not read before it: an inbound event, whose
   * signature covers the raw bytes and whose size is checked while streaming, before any parsing.
   */
  bodyReadByHandler?: z.ZodType;
  /** Rules still checkable on a body whose shape is wrong: reported with the shape errors. */
  rulesOnRaw?: (raw: unknown) => Problem[];
  /** A request body that is not JSON (an uploaded CSV): read by the handler. */
  bodyContent?: { type: string; description: string; optional?: boolean };
  /** The success status; the handler answers it with `c.json(body, status)` (or the content below). */
  status: S;
  /** The success body (JSON); without it and without `responseContent`, the success has no body (`c.body(null, status)`). */
  response?: R;
  /**
   * Other successes, each with its own status and JSON body (an inbound event already received: 200, beside
   * 202 for a new one); the handler may answer any of them, each body at its own status.
   */
  alsoSucceeds?: X;
  /** A success body that is not JSON, answered with `asContent(type, status, response)`. */
  responseContent?: { type: T; description: string };
  /** Other forms of the JSON response, chosen by Accept (unacceptable: 406, unless `acceptFallsBackToJson`). */
  alsoContent?: readonly { type: T; description: string }[];
  /** An Accept naming none of the forms gets the JSON, not a 406. */
  acceptFallsBackToJson?: boolean;
  /**
   * Failures of the operation itself that its contract does not imply: a conflict its use-case reports (409),
   * Webex failing behind it (502), an id in the body that does not exist (404), a refusal by the server's
   * configuration (403), a body without Content-Length (411). The rest are derived from the contract
   * (errorStatusesOf); the integration tests check every status answered is listed
   * (test/support/declared-statuses-guard.ts).
   */
  errors?: readonly OwnErrorStatus[];
  /** Run after the scope check, before the request is validated. */
  middleware?: readonly MiddlewareHandler<AppEnv>[];
}

/** The statuses an operation succeeds with. */
export type SuccessStatus = 200 | 201 | 202 | 204;

/** A success besides the contract's `status`: its own status, what it means, and its JSON body. */
export interface OtherSuccess {
  status: SuccessStatus;
  description: string;
  response: z.ZodType;
}

type ErrorStatus = 400 | 401 | 403 | 404 | 406 | 409 | 411 | 413 | 415 | 429 | 502 | 503;

/** The errors a contract lists itself (`errors`): the others every operation of its kind may answer are derived. */
type OwnErrorStatus = 403 | 404 | 409 | 411 | 502;

/**
 * The errors an operation can really answer, from its contract: every /v1 request may be refused (400: an
 * unknown query parameter, NUL in the URL), rate limited (429) or meet the database down (503); a bearer token
 * may be missing (401) or lack the scope, the CSRF token or an active partner (403); the signature of an
 * inbound event may be wrong (401), a download link altered or expired (403); an id in the path or a
 * sub-partner acted for may not exist (404); a body may be too large (413) or not JSON (415); a choice by
 * Accept may be unacceptable (406); and the operation's own `errors` (409, 502, …).
 */
export function errorStatusesOf(spec: RouteSpec): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>([400, 429, 503]);
  const auth = spec.auth ?? 'bearer';
  if (auth === 'bearer') for (const s of [401, 403] as const) statuses.add(s);
  if (auth === 'signature') statuses.add(401);
  if (auth === 'none') statuses.add(403);
  if (/\{\w+\}/.test(spec.path) || (spec.query && 'onBehalfOfSubPartnerOrgId' in spec.query.shape)) statuses.add(404);
  if (spec.alsoContent && !spec.acceptFallsBackToJson) statuses.add(406);
  if (spec.body || spec.bodyReadByHandler || spec.bodyContent) for (const s of [413, 415] as const) statuses.add(s);
  for (const s of spec.errors ?? []) statuses.add(s);
  return [...statuses].sort((a, b) => a - b);
}

/** An empty list means no credential beyond the request itself (the download link signs its own URL). */
function securityOf(spec: RouteSpec): Record<string, string[]>[] {
  const auth = spec.auth ?? 'bearer';
  if (auth === 'none') return [];
  if (auth === 'signature') return [{ webhookSignature: [] }];
  return [{ bearer: spec.scope ? [spec.scope] : [] }];
}

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** What `c.req.valid()` holds for a contract: its query and JSON body, typed by their schemas. */
type RequestOf<Q, B> = (Q extends z.ZodObject ? { query: Q } : Record<never, never>) &
  (B extends z.ZodType ? { body: { required: true; content: { 'application/json': { schema: B } } } } : Record<never, never>);

/** The handler's input: what `c.req.valid('query')` and `c.req.valid('json')` return. */
type InputOf<Q, B> = {
  in: (Q extends z.ZodObject ? { query: z.input<Q> } : Record<never, never>) &
    (B extends z.ZodType ? { json: z.input<B> } : Record<never, never>);
  out: (Q extends z.ZodObject ? { query: z.output<Q> } : Record<never, never>) &
    (B extends z.ZodType ? { json: z.output<B> } : Record<never, never>);
};

/** `/{customerId}/locations` → `/:customerId/locations`: the path as Hono routes it, which types `c.req.param()`. */
type HonoPath<P extends string> = P extends `${infer Head}/{${infer Name}}${infer Rest}` ? `${Head}/:${Name}${HonoPath<Rest>}` : P;

/** A success body that is not JSON (a CSV, a PDF, a stream), typed as its contract declares it: content type and status. */
export type ContentResponse<T extends string, S extends SuccessStatus> = Response & TypedResponse<{ contentType: T }, S, 'body'>;

/**
 * What a handler may answer for its contract: the declared success (`c.json(body, status)` with the response
 * schema's type; `asContent` for a declared content type; `c.body(null, status)` when the success has no body),
 * or its problems (`respondProblems`, the shared error schema).
 */
export type ContractAnswer<S extends SuccessStatus, R, T extends string, X extends readonly OtherSuccess[] = readonly []> =
  | (R extends z.ZodType ? TypedResponse<JSONParsed<z.output<R>>, S, 'json'> : never)
  | ([T] extends [never] ? never : ContentResponse<T, S>)
  | (R extends z.ZodType ? never : [T] extends [never] ? TypedResponse<null, S, 'body'> : never)
  | OtherSuccessAnswer<X[number]>
  | ProblemResponse;

/** Each other success answered as declared: its body at its own status (distributes over them). */
type OtherSuccessAnswer<E> = E extends { status: infer S extends SuccessStatus; response: infer R extends z.ZodType }
  ? TypedResponse<JSONParsed<z.output<R>>, S, 'json'>
  : never;

/**
 * The handler of an operation, held to its contract: tsc refuses one answering a body the response schema
 * does not describe, or another status. The operationId (`_O`, which types nothing) comes first so that tsc's
 * message names the operation.
 */
export type ContractHandler<
  _O extends string,
  P extends string,
  Q,
  B,
  S extends SuccessStatus,
  R,
  T extends string,
  X extends readonly OtherSuccess[] = readonly [],
> = (c: Context<AppEnv, HonoPath<P>, InputOf<Q, B>>) => ContractAnswer<S, R, T, X> | Promise<ContractAnswer<S, R, T, X>>;

/** Where a route carries its contract's types (never set at run time: the document reads `responses`). */
declare const CONTRACT: unique symbol;

export type ContractRoute<
  O extends string,
  P extends string,
  Q,
  B,
  S extends SuccessStatus = SuccessStatus,
  R = unknown,
  T extends string = string,
  X extends readonly OtherSuccess[] = readonly [],
> = Omit<RouteConfig, 'path' | 'request'> & {
  path: P;
  request: RequestOf<Q, B>;
  middleware: MiddlewareHandler<AppEnv>[];
  readonly [CONTRACT]?: { operationId: O; status: S; response: R; content: T; alsoSucceeds: X };
};

/** Path parameters of an OpenAPI path template, in order. */
const pathParameters = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

/**
 * A route from its contract (`createRoute` of @hono/zod-openapi): register it with `router.openapi(route,
 * handler)`; its query and body are validated before the handler, and the document is built from it.
 */
export function contract<
  const P extends string,
  const O extends string,
  const S extends SuccessStatus,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
  const T extends string = never,
  const X extends readonly OtherSuccess[] = readonly [],
>(spec: RouteSpec<P, Q, B, O, S, R, T, X>): ContractRoute<O, P, Q, B, S, R, T, X> {
  const params = pathParameters(spec.path);
  const success = spec.response
    ? {
        description: spec.alsoContent
          ? `Success: ${['application/json', ...spec.alsoContent.map((o) => o.type)].join(', ')} by Accept`
          : 'Success',
        content: {
          'application/json': { schema: spec.response },
          ...Object.fromEntries((spec.alsoContent ?? []).map((o) => [o.type, { schema: { type: 'string', description: o.description } }])),
        },
      }
    : spec.responseContent
      ? { description: spec.responseContent.description, content: { [spec.responseContent.type]: { schema: { type: 'string' } } } }
      : { description: 'Success' };
  const responses: Record<string, unknown> = { [String(spec.status)]: success };
  for (const other of spec.alsoSucceeds ?? []) {
    if (String(other.status) in responses) throw new Error(`${spec.operationId}: success ${other.status} declared twice`);
    responses[String(other.status)] = { description: other.description, content: { 'application/json': { schema: other.response } } };
  }
  for (const s of errorStatusesOf(spec)) responses[String(s)] = { description: 'Error', content: ERROR_CONTENT };
  const route = createRoute({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    security: securityOf(spec),
    ...(spec.scope ? { 'x-required-scope': spec.scope } : {}),
    ...(spec.parameters ? { parameters: spec.parameters.map((p) => ({ ...p, in: 'query' as const, required: true })) } : {}),
    ...(spec.bodyReadByHandler
      ? { documentedBody: { required: true, content: { 'application/json': { schema: spec.bodyReadByHandler } } } }
      : {}),
    middleware: [
      ...(spec.scope ? [requireScope(spec.scope)] : []),
      ...(spec.middleware ?? []),
      ...(spec.body ? [readJsonGate(spec.rulesOnRaw)] : []),
    ],
    request: {
      ...(params.length ? { params: z.object(Object.fromEntries(params.map((name) => [name, z.string()]))) } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body
        ? { body: { required: true, content: { 'application/json': { schema: spec.body } } } }
        : spec.bodyContent
          ? {
              body: {
                required: !spec.bodyContent.optional,
                description: spec.bodyContent.description,
                content: { [spec.bodyContent.type]: { schema: { type: 'string' as const } } },
              },
            }
          : {}),
    },
    responses: responses as RouteConfig['responses'],
  });
  return route as unknown as ContractRoute<O, P, Q, B, S, R, T, X>;
}

/** Rules on the raw body of the request being validated (a route's `rulesOnRaw`), for the validation hook. */
const rulesOnRawOf = new WeakMap<Request, (raw: unknown) => Problem[]>();

/**
 * Runs before the body validator: what `readJsonBody` checked before the schema (415 when not JSON,
 * malformed JSON, NUL, nesting depth), answered as today's problems, never as the validator's own errors.
 */
function readJsonGate(rulesOnRaw?: (raw: unknown) => Problem[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = await readJsonText(c);
    if (!raw.ok) return respondProblems(c, raw.problems);
    if (rulesOnRaw) rulesOnRawOf.set(c.req.raw, rulesOnRaw);
    await next();
  };
}

/** A failed validation answered as the desk always has: one problem per bad field, Webex's error shape. */
const answerInvalidRequest: Hook<unknown, AppEnv, string, Response | undefined> = (result, c) => {
  if (result.success) return undefined;
  if (result.target === 'query') return respondProblems(c, queryProblems(result.error, rawQueryOf(c)));
  const shape = issuesToProblems(result.error);
  const rulesOnRaw = result.target === 'json' ? rulesOnRawOf.get(c.req.raw) : undefined;
  if (!rulesOnRaw) return respondProblems(c, shape);
  return respondProblems(c, mergeShapeAndRuleProblems(shape, rulesOnRaw((result as unknown as { data: unknown }).data)));
};

/**
 * A router of /v1 operations, each registered with `operation(contract({…}), handler)`: the handler is
 * type-checked against its contract's responses (ContractHandler), failed validations are answered as
 * problems. Its untyped door, `openapi(route, handler)`, is closed (typed `never`), so no handler escapes.
 */
export class ContractRouter extends OpenAPIHono<AppEnv> {
  declare openapi: never;

  operation<O extends string, P extends string, Q, B, S extends SuccessStatus, R, T extends string, X extends readonly OtherSuccess[]>(
    route: ContractRoute<O, P, Q, B, S, R, T, X>,
    handler: ContractHandler<NoInfer<O>, NoInfer<P>, NoInfer<Q>, NoInfer<B>, NoInfer<S>, NoInfer<R>, NoInfer<T>, NoInfer<X>>,
  ): this {
    // The handler was checked against the contract above; the library's own typing of it is looser.
    (this as OpenAPIHono<AppEnv>).openapi(route as unknown as RouteConfig, handler as never);
    return this;
  }
}

export const createRouter = () => new ContractRouter({ defaultHook: answerInvalidRequest });

/**
 * Types a non-JSON answer (`c.body(…)`, a streamed `new Response(…)`) as the content its contract declares,
 * once it is checked to be that: a handler sending another type or status is a mistake in this code, and
 * throws rather than answer what the document does not say.
 */
export function asContent<T extends string, S extends SuccessStatus>(type: T, status: S, response: Response): ContentResponse<T, S> {
  const sent = response.headers.get('content-type') ?? '';
  if (response.status !== status || !(sent === type || sent.startsWith(`${type};`)))
    throw new Error(`answered ${response.status} ${sent || 'without a content type'} where the contract declares ${status} ${type}`);
  return response as ContentResponse<T, S>;
}

export type RegisteredRoute = RouteConfig & {
  operationId?: string;
  parameters?: { name: string }[];
  /** `bodyReadByHandler`: in the document, not validated. */
  documentedBody?: NonNullable<RouteConfig['request']>['body'];
};

const isZodSchema = (schema: unknown): schema is z.ZodType => schema instanceof z.ZodType;

/** One operation of the document, rendered the way the desk always has (zod's own JSON Schema, inputs as input). */
function renderOperation(route: RegisteredRoute) {
  const { method: _method, path, request, responses, parameters: extra, documentedBody, ...operation } = route;
  const query = request?.query as z.ZodObject | undefined;
  const pathParams = pathParameters(path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  const queryParams = query
    ? Object.entries(query.shape).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: z.toJSONSchema(schema as z.ZodType, { io: 'input' }),
      }))
    : [];
  const body = request?.body ?? documentedBody;
  const bodyContent = body?.content ?? {};
  const requestBody = body
    ? {
        required: body.required,
        ...(body.description ? { description: body.description } : {}),
        content: Object.fromEntries(
          Object.entries(bodyContent as Record<string, { schema?: unknown }>).map(([type, media]) => [
            type,
            { schema: isZodSchema(media.schema) ? z.toJSONSchema(media.schema, { io: 'input' }) : media.schema },
          ]),
        ),
      }
    : undefined;
  const rendered: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(responses)) {
    const { content, ...rest } = response as { description: string; content?: Record<string, { schema?: unknown }> };
    rendered[status] = content
      ? {
          ...rest,
          content: Object.fromEntries(
            Object.entries(content).map(([type, media]) => [
              type,
              { ...media, schema: isZodSchema(media.schema) ? z.toJSONSchema(media.schema) : media.schema },
            ]),
          ),
        }
      : rest;
  }
  return {
    ...operation,
    parameters: [...pathParams, ...queryParams, ...(extra ?? [])],
    ...(requestBody ? { requestBody } : {}),
    responses: rendered,
  };
}

/** The /v1 routes, each as registered with its contract, with its full path. */
export function registeredRoutes(app: OpenAPIHono<AppEnv>): RegisteredRoute[] {
  const registered = app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === 'route' ? [{ ...(d.route as RegisteredRoute), path: d.route.path.replace(/(.)\/$/, '$1') }] : [],
  );
  return registered;
}

/** Each /v1 operation with the query parameters it accepts: what the v1 router lets through (query-parameters.ts). */
export function documentedQueryRoutes(app: OpenAPIHono<AppEnv>): DocumentedRoute[] {
  return registeredRoutes(app).map((r) => ({
    method: r.method,
    path: r.path,
    query: [...Object.keys((r.request?.query as z.ZodObject | undefined)?.shape ?? {}), ...(r.parameters ?? []).map((p) => String(p.name))],
  }));
}

/** OpenAPI 3.1 from the routes the v1 router registered with their contracts. */
export function openApiDocumentOf(app: OpenAPIHono<AppEnv>, serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registeredRoutes(app)) (paths[route.path] ??= {})[route.method] = renderOperation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'Wholesale Desk API', version: '1', description: 'Webex Wholesale compatible provisioning API of Wholesale Desk.' },
    servers: [{ url: `${serverUrl}/v1` }],
    tags: API_TAGS.map((t) => ({ name: t.name, description: t.description })),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (`npm run cli -- token create`)' },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'Webhook-Signature',
          description:
            '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with a shared secret (EVENTS_SECRETS inbound; the subscription secret outbound)',
        },
      },
      schemas: { Error: z.toJSONSchema(errorResponseSchema) },
    },
    paths,
    webhooks: outboundWebhooks(),
  };
}

/** `customer.status_changed` → `receiveCustomerStatusChanged`. */
const receiveOperationId = (type: string) =>
  `receive${type
    .split(/[._]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}`;

/** What a subscribed URL receives per event type: the posted payload with that type's `data`. */
function outboundWebhooks() {
  const webhooks: Record<string, unknown> = {};
  for (const type of OUTBOUND_EVENT_TYPES) {
    webhooks[type] = {
      post: {
        operationId: receiveOperationId(type),
        tags: ['Webhook subscriptions' satisfies ApiTag],
        summary: `${type}, signed with Webhook-Signature: t=…,v1=…`,
        security: [{ webhookSignature: [] }],
        requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(OUTBOUND_EVENT_SCHEMAS[type]) } } },
        responses: { '2XX': { description: 'Received; any other answer is retried with backoff' } },
      },
    };
  }
  return webhooks;
}
