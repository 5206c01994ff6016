import type { Context } from 'hono';
import type { z } from 'zod';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../domain/json-depth.js';
import { fail, problem, type Problem, type Result } from '../domain/problems.js';
import { mergeShapeAndRuleProblems } from '../domain/customer-rules-on-raw.js';
import type { AppEnv } from './app-env.js';
import { unknownQueryNames, unknownQueryProblem } from './query-parameters.js';

/** zod issues as problems, one per bad field, each saying what to fix. */
export function issuesToProblems(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => issueToProblem(issue, prefix));
}

function issueToProblem(issue: z.core.$ZodIssue, prefix = ''): Problem {
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  let message = issue.message;
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
  else if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.join(', ')}`;
  return problem('invalid_request', message, path || undefined);
}

/** `application/json` or `application/<x>+json`, with parameters: the JSON the body validator reads. */
const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
const JSON_CONTENT_TYPE_WITH_PARAMETERS = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/**
 * Reads a JSON body without a schema: `unsupported_media_type` (415) when it is not JSON, `invalid_request`
 * (400) for malformed JSON or NUL, `json_too_deep` for nesting past the limit.
 */
export async function readJsonText(c: Context<AppEnv>): Promise<Result<unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!JSON_CONTENT_TYPE.test(type) || !JSON_CONTENT_TYPE_WITH_PARAMETERS.test(type.trim())) {
    return fail(problem('unsupported_media_type', `send the body as JSON with "Content-Type: application/json" (got "${type || 'none'}")`));
  }
  try {
    const text = await c.req.text();
    // PostgreSQL cannot store NUL in text or jsonb: refuse it here with a clear answer, not a 500 later.
    if (/\\u0000/i.test(text))
      return { ok: false, problems: [problem('invalid_request', 'strings may not contain the NUL character (\\u0000)')] };
    if (exceedsJsonDepth(text)) return fail(problem('json_too_deep', jsonTooDeepMessage()));
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      problems: [problem('invalid_request', `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)],
    };
  }
}

/**
 * Reads a JSON body: `unsupported_media_type` (415) when it is not JSON, `invalid_request` (400) for
 * malformed JSON, then the schema.
 */
export async function readJsonBody<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  /** Rules still checkable on a body whose shape is wrong: reported with the shape errors. */
  rulesOnRaw?: (raw: unknown) => Problem[],
): Promise<Result<z.infer<S>>> {
  const raw = await readJsonText(c);
  if (!raw.ok) return raw;
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success) {
    const shape = issuesToProblems(parsed.error);
    return { ok: false, problems: rulesOnRaw ? mergeShapeAndRuleProblems(shape, rulesOnRaw(raw.value)) : shape };
  }
  return { ok: true, value: parsed.data };
}

/** The query as a validator sees it: a parameter given more than once is an array. */
export const rawQueryOf = (c: Context): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(c.req.queries()).map(([name, values]) => [name, values.length === 1 ? (values[0] as string) : values]));

/** A query's schema errors as problems: a parameter given more than once where one is expected says to give it once. */
export function queryProblems(error: z.ZodError, raw: Record<string, unknown>): Problem[] {
  return error.issues.map((issue) => {
    const name = issue.path.map(String).join('.');
    return Array.isArray(raw[name]) && issue.code === 'invalid_type'
      ? problem('invalid_request', `was given ${(raw[name] as string[]).length} times; give it once`, name)
      : issueToProblem(issue);
  });
}

/**
 * Reads the query against its schema, strictly: a parameter the schema does not name is refused (naming the
 * accepted ones), never dropped. A parameter given more than once reaches the schema as an array, which only
 * list parameters (`queryList`) accept; any other says to give it once.
 */
export function parseQuery<S extends z.ZodObject>(c: Context<AppEnv>, schema: S): Result<z.infer<S>> {
  const accepted = Object.keys(schema.shape);
  const unknown = unknownQueryNames(c, accepted);
  if (unknown.length) return fail(unknownQueryProblem(unknown, accepted));
  const raw = rawQueryOf(c);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: queryProblems(parsed.error, raw) };
}

export interface Page {
  offset: number;
  max: number;
}

/** An offset past this would only ever return an empty page; it also keeps the SQL parameter an int. */
const MAX_OFFSET = 1_000_000_000;

export function toPage(
  q: { offset?: string | undefined; max?: string | undefined },
  defaults: { max: number; limit: number },
): Result<Page> {
  const problems: Problem[] = [];
  const offset = q.offset === undefined || q.offset === '' ? 0 : /^\d{1,10}$/.test(q.offset) ? Number(q.offset) : Number.NaN;
  if (!(offset >= 0 && offset <= MAX_OFFSET))
    problems.push(problem('invalid_request', `offset must be a whole number from 0 to ${MAX_OFFSET}`, 'offset'));
  const max = q.max === undefined || q.max === '' ? defaults.max : /^\d{1,10}$/.test(q.max) ? Number(q.max) : Number.NaN;
  if (!(max >= 1 && max <= defaults.limit)) problems.push(problem('invalid_request', `max must be between 1 and ${defaults.limit}`, 'max'));
  return problems.length ? { ok: false, problems } : { ok: true, value: { offset, max } };
}

/** Sends one page: `{items}` and, when more rows exist, an RFC 5988 `Link: <…>; rel="next"`. */
export function respondPage<T>(c: Context<AppEnv>, rows: T[], page: Page, publicUrl: string) {
  const hasMore = rows.length > page.max;
  const items = hasMore ? rows.slice(0, page.max) : rows;
  if (hasMore) {
    const url = new URL(c.req.url);
    url.searchParams.set('offset', String(page.offset + page.max));
    url.searchParams.set('max', String(page.max));
    c.header('Link', `<${publicUrl}${url.pathname}${url.search}>; rel="next"`);
  }
  return items;
}
