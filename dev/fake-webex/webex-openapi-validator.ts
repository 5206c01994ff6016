import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Checks HTTP exchanges against Cisco's OpenAPI document for the Webex Wholesale API
 * (test/fixtures/webex-wholesale.openapi.json, CC BY 4.0): the request's path and method exist, its
 * query parameters are declared, required ones present, its JSON body fits the operation's schema; the
 * response's status is one the operation declares, and its JSON body fits that status's schema (or is
 * empty where the document declares no content). Schemas only, never the document's examples (their
 * strings are quoted twice).
 */
export interface Exchange {
  method: string;
  /** The path after the API base (`/wholesale/customers/…`), without the query. */
  path: string;
  query: Record<string, string>;
  requestBody?: unknown;
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  responseBody?: unknown;
}

interface Operation {
  template: string;
  regex: RegExp;
  method: string;
  params: { name: string; in: string; required: boolean }[];
  request?: ValidateFunction;
  responses: Map<string, { validate?: ValidateFunction; empty: boolean }>;
}

const DOCUMENT = new URL('../../test/fixtures/webex-wholesale.openapi.json', import.meta.url);
/** Cisco's /locations, /workspaces and /organizations (test/fixtures/webex-locations-workspaces.openapi.json, CC BY 4.0). */
export const ORG_RESOURCES_DOCUMENT = new URL('../../test/fixtures/webex-locations-workspaces.openapi.json', import.meta.url);

// ajv-formats is CommonJS with a default export; under NodeNext its namespace object is what arrives.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

function loadOperations(document: URL = DOCUMENT): Operation[] {
  const doc = JSON.parse(readFileSync(document, 'utf8')) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: Record<string, unknown>;
  };
  // OpenAPI 3.0 schemas carry `example`, `nullable` and descriptions that are not JSON Schema keywords.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'webex', components: doc.components });
  const compile = (schema: unknown) => ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"webex#/components/')));
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const params = ((op.parameters ?? []) as { name: string; in: string; required?: boolean }[]).map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required === true,
      }));
      const requestSchema = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.[
        'application/json'
      ]?.schema;
      const responses = new Map<string, { validate?: ValidateFunction; empty: boolean }>();
      for (const [status, r] of Object.entries(
        (op.responses ?? {}) as Record<string, { content?: Record<string, { schema?: unknown }> }>,
      )) {
        const schema = r.content?.['application/json']?.schema;
        // A status documented without `content` (Cisco's error statuses) says nothing about its body;
        // one documented with an empty `content` (204, the delete's 202) has none.
        const declaredEmpty = r.content !== undefined && Object.keys(r.content).length === 0;
        responses.set(status, { ...(schema ? { validate: compile(schema) } : {}), empty: declaredEmpty });
      }
      ops.push({
        template,
        regex,
        method: method.toUpperCase(),
        params,
        ...(requestSchema ? { request: compile(requestSchema) } : {}),
        responses,
      });
    }
  }
  return ops;
}

let operations: Operation[] | undefined;
const operationsByDocument = new Map<string, Operation[]>();

/** Compiles the document's schemas now (about a second) rather than on the first exchange. */
export function prepareChecker(document?: URL): void {
  if (!document) operations ??= loadOperations();
  else if (!operationsByDocument.has(document.href)) operationsByDocument.set(document.href, loadOperations(document));
}

const describeErrors = (fn: ValidateFunction) =>
  (fn.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);

/** Every way the exchange departs from Cisco's document (the Wholesale one unless `document` names another); empty when it fits. */
export function checkExchange(x: Exchange, document?: URL): string[] {
  let ops: Operation[];
  if (document) {
    prepareChecker(document);
    ops = operationsByDocument.get(document.href)!;
  } else ops = operations ??= loadOperations();
  return checkAgainst(ops, x);
}

function checkAgainst(operations: Operation[], x: Exchange): string[] {
  const where = `${x.method} ${x.path}`;
  const candidates = operations.filter((o) => o.regex.test(x.path));
  if (!candidates.length) return [`${where}: no such path in Cisco's document`];
  // A literal segment beats a parameter (`/wholesale/customers/validate` is not a customer id).
  const op = candidates
    .filter((o) => o.method === x.method)
    .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0))[0];
  if (!op) return [`${where}: method not in Cisco's document`];
  const problems: string[] = [];
  const query = op.params.filter((p) => p.in === 'query');
  for (const name of Object.keys(x.query)) {
    if (!query.some((p) => p.name === name)) problems.push(`${where}: query parameter '${name}' is not declared`);
  }
  for (const p of query) if (p.required && !(p.name in x.query)) problems.push(`${where}: query parameter '${p.name}' is required`);
  if (op.request) {
    if (x.requestBody === undefined) problems.push(`${where}: request body missing`);
    else if (!op.request(x.requestBody)) problems.push(...describeErrors(op.request).map((e) => `${where} request: ${e}`));
  }
  const declared = op.responses.get(String(x.status));
  if (!declared) {
    problems.push(`${where}: status ${x.status} is not declared`);
    return problems;
  }
  if (declared.validate) {
    if (x.responseBody === undefined) problems.push(`${where} ${x.status}: body missing`);
    else if (!declared.validate(x.responseBody))
      problems.push(...describeErrors(declared.validate).map((e) => `${where} ${x.status} response: ${e}`));
  } else if (declared.empty && x.responseBody !== undefined) {
    problems.push(`${where} ${x.status}: a body where the document declares none`);
  }
  return problems;
}
