import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AppDeps } from '../../src/api/app-env.js';
import { type RegisteredRoute, registeredRoutes } from '../../src/api/openapi.js';
import { buildOpenApiDocument, createV1Routes } from '../../src/api/v1-routes.js';
import { loadConfig } from '../../src/config.js';
import * as contracts from '../../src/contracts/index.js';
import { OUTBOUND_EVENT_TYPES } from '../../src/contracts/index.js';

/** Routes that are not part of the documented API: the document itself. */
const UNDOCUMENTED = new Set(['GET /openapi.json']);

// Building the routes touches neither the database nor the network, so a stub handle is enough.
const deps = {
  db: {},
  config: loadConfig({ PUBLIC_URL: 'http://desk.test', LOG_LEVEL: 'silent' }),
  logger: {},
  clock: { now: () => new Date() },
  ids: {},
  downloadSecret: 'x',
} as unknown as AppDeps;

const servedRoutes = () =>
  [
    ...new Set(
      createV1Routes(deps)
        .routes.filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')}`),
    ),
  ].filter((r) => !UNDOCUMENTED.has(r));

const contractSchemas = new Set<unknown>(Object.values(contracts).filter((v) => typeof v === 'object' && v !== null && 'safeParse' in v));
/** A response is a contract, or `{items: contract[]}` built by `listOf`. */
const fromContracts = (schema: z.ZodType) => {
  if (contractSchemas.has(schema)) return true;
  const items = (schema as unknown as { shape?: { items?: { element?: unknown } } }).shape?.items?.element;
  return items !== undefined && contractSchemas.has(items);
};

/** The contracts the v1 routers registered their routes with. */
const contracts_ = registeredRoutes(createV1Routes(deps));
const jsonSchemaOf = (content: unknown) =>
  (content as Record<string, { schema?: unknown }> | undefined)?.['application/json']?.schema as z.ZodType | undefined;
const successOf = (r: RegisteredRoute) =>
  Object.entries(r.responses).find(([status]) => status.startsWith('2'))?.[1] as { content?: unknown } | undefined;

describe('the OpenAPI document', () => {
  it('documents every route the API serves, and nothing it does not', () => {
    const documented = contracts_.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect([...documented].sort()).toEqual(servedRoutes().sort());
    const doc = buildOpenApiDocument('http://desk.test');
    for (const r of contracts_) expect(doc.paths[r.path]?.[r.method], `${r.method} ${r.path}`).toBeTruthy();
  });

  it('takes every request and response schema from src/contracts', () => {
    for (const r of contracts_) {
      const name = `${r.method} ${r.path}`;
      const body = jsonSchemaOf((r.request?.body ?? r.documentedBody)?.content);
      const response = jsonSchemaOf(successOf(r)?.content);
      if (body) expect(contractSchemas.has(body), `${name} body`).toBe(true);
      if (r.request?.query) expect(contractSchemas.has(r.request.query), `${name} query`).toBe(true);
      if (response) expect(fromContracts(response), `${name} response`).toBe(true);
    }
  });

  it('describes the outbound webhooks a subscription receives', () => {
    const doc = buildOpenApiDocument('http://desk.test');
    expect(Object.keys(doc.webhooks)).toEqual([...OUTBOUND_EVENT_TYPES]);
  });

  it('finds no schema declared in the HTTP or webhook edge', () => {
    const files = ['src/api', 'src/webhooks'].flatMap((dir) => readdirSync(dir).map((f) => join(dir, f)));
    const declaring = files.filter(
      (f) =>
        !f.endsWith('openapi.ts') && /\bz\.(object|string|enum|union|array|number|boolean|record|literal)\(/.test(readFileSync(f, 'utf8')),
    );
    expect(declaring).toEqual([]);
  });
});
