import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EdgeStoreUse, findEdgeStoreUses } from '../../scripts/find-edge-store-uses.js';
import { FACADE_FILE, findSnakeCaseReturns, type SnakeCaseReturn } from '../../scripts/find-snake-case-returns.js';
import { programWithPlantedFiles } from '../support/planted-program.js';

/**
 * Three checks that read the tree as tsc types it, each shown refusing planted code (never written to
 * disk) and letting the real tree pass: no database handle in the edges (`npm run lint:edges`), no rows
 * in what the use-case façade answers, and every handler's answer typed by its contract. They share one
 * program of the whole tree with every planted file in it: type-checking the tree is most of each check's
 * cost (about 12 s of CPU), paid once here instead of once per check.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

// --- Database access in the edges ---

/** Files planted beside the real ones (never written to disk): what `npm run lint:edges` must refuse, and what it must let pass. */
const EDGE_PLANTED: Record<string, string> = {
  // The database handle as the edges held it before the façade: AppDeps has no `db` any more.
  'src/api/planted-db-call.ts': `import type { AppDeps } from './app-env.js';
export const planted = (deps: AppDeps) => deps.db.selectFrom('customers').selectAll().execute();
`,
  // A handle smuggled in under a type borrowed from the use-cases: type-checks and passes the dependency rules.
  'src/api/planted-borrowed-handle.ts': `import type { createUseCases } from '../use-cases/use-cases.js';
type Handle = Parameters<typeof createUseCases>[0]['db'];
export const planted = (deps: { store: Handle }) => deps.store.selectFrom('customers').selectAll().execute();
`,
  // The façade, as every edge calls it.
  'src/api/planted-facade-call.ts': `import type { AppDeps, AuthContext } from './app-env.js';
export const planted = (deps: AppDeps, partner: AuthContext['partner']) => deps.useCases.listUsableTemplates(partner);
`,
};

describe('database access in the edges past the use-case façade (npm run lint:edges)', () => {
  let uses: EdgeStoreUse[] = [];
  beforeAll(() => {
    uses = findEdgeStoreUses(treeProgram(), root);
  }, 300_000);
  const usesIn = (file: string) => uses.filter((u) => u.file === file).map((u) => u.what);

  it('refuses a planted deps.db.selectFrom in src/api (the deps hold no handle: it does not type-check)', () => {
    expect(usesIn('src/api/planted-db-call.ts')).toEqual([expect.stringMatching(/does not type-check: Property 'db' does not exist/)]);
  });

  it('refuses a kysely handle an edge holds under any name, although it type-checks', () => {
    const found = usesIn('src/api/planted-borrowed-handle.ts');
    expect(found.some((w) => w.startsWith('does not type-check'))).toBe(false);
    expect(found).toContainEqual(expect.stringMatching(/^calls kysely: deps\.store\.selectFrom\('customers'\)/));
    expect(found).toContainEqual(expect.stringMatching(/^holds a kysely object: deps\.store is /));
  });

  it('lets a call through the façade pass', () => {
    expect(usesIn('src/api/planted-facade-call.ts')).toEqual([]);
  });

  it('finds none in the source tree', () => {
    expect(uses.filter((u) => !(u.file in PLANTED_FILES))).toEqual([]);
  });
});

// --- What the façade answers ---

/** The façade with planted members (never written to disk): what the check must refuse, and what it must let pass. */
const PLANTED_MEMBERS = `
    plantedRow: async (): Promise<{ id: string; org_id: string }> => ({ id: 'x', org_id: 'y' }),
    plantedNestedRow: (): { ok: true; value: { items: { external_id: string }[] } } => ({ ok: true, value: { items: [] } }),
    plantedPickedRow: async (): Promise<Pick<import('../db/schema.js').ReconciliationLinesTable, 'package' | 'diff_units'>[]> => [],
    plantedDomainKeys: (): Record<import('../domain/upstream-drift.js').DriftKind, number> => ({ only_webex: 0, only_desk: 0, status: 0, packages: 0 }),
    plantedView: async (): Promise<{ id: string; orgId: string; createdAt: Date }> => ({ id: 'x', orgId: 'y', createdAt: new Date(0) }),
    plantedWireNames: (): import('zod').z.infer<(typeof import('../contracts/upstream-sync.js'))['syncSummarySchema']>['drift'] => ({ only_webex: 0, only_desk: 0, status: 0, packages: 0 }),
`;

/** The façade's source with the planted members first in the object it returns. */
function facadeWithPlantedMembers(): string {
  const text = readFileSync(join(root, FACADE_FILE), 'utf8');
  const opening = '  return {\n';
  const found = text.indexOf(opening);
  if (found < 0) throw new Error(`${FACADE_FILE} no longer returns an object literal: plant the members elsewhere`);
  const at = found + opening.length;
  return text.slice(0, at) + PLANTED_MEMBERS + text.slice(at);
}

describe('what the use-case façade answers the edges: contract types and named views, never rows', () => {
  let found: SnakeCaseReturn[] = [];
  beforeAll(() => {
    found = findSnakeCaseReturns(treeProgram(), root);
  }, 300_000);
  const members = () => [...new Set(found.map((f) => f.member))];

  it('refuses a planted member answering a snake_case key, at any depth (awaited, in a Result, in a list)', () => {
    expect(found.filter((f) => f.member.startsWith('planted'))).toEqual([
      { member: 'plantedRow', path: 'org_id' },
      { member: 'plantedNestedRow', path: 'value.items[].external_id' },
      { member: 'plantedPickedRow', path: '[].diff_units' },
    ]);
  });

  it("refuses a row narrowed by Pick or Omit (a mapped type declared in TypeScript's library, as LineRow was)", () => {
    expect(found.filter((f) => f.member === 'plantedPickedRow')).toEqual([{ member: 'plantedPickedRow', path: '[].diff_units' }]);
  });

  it("lets a Record's literal keys pass (a domain value's name, e.g. a drift kind, not a row's column)", () => {
    expect(members()).not.toContain('plantedDomainKeys');
  });

  it('lets a camelCase view pass (library types such as Date are not looked into)', () => {
    expect(members()).not.toContain('plantedView');
  });

  it("lets a contract's own wire names pass (a zod schema in src/contracts spells them, e.g. a drift kind)", () => {
    expect(members()).not.toContain('plantedWireNames');
  });

  it('finds no member answering rows (the acting partner and reconciliation lines included: no exceptions)', () => {
    expect(members().filter((m) => !m.startsWith('planted'))).toEqual([]);
  });

  it('no longer finds rows in the chat lookups, the CLI listings, the console inbox and the billing report reads', () => {
    for (const m of [
      'findCustomerByReference',
      'findSubscriberByEmail',
      'readConsoleInbox',
      'listTokens',
      'listStaffOf',
      'listTasks',
      'retryTask',
      'setSubPartnerBillingStart',
      'setSubPartnerState',
      'listBillingReports',
      'getReport',
    ]) {
      expect(members()).not.toContain(m);
    }
  });
});

// --- Handlers and their contracts ---

/** One planted route file: a contract and its handler, registered as every /v1 route is (openapi.ts). */
const routeFile = (
  operationId: string,
  contractRest: string,
  handler: string,
) => `import { acceptedResponseSchema, inboundEventAcceptedSchema, inboundEventDuplicateSchema } from '../contracts/index.js';
import { asContent, contract, createRouter } from './openapi.js';
import { respondProblems } from './problem-responses.js';

const plantedRoute = contract({
  method: 'get',
  path: '/{customerId}',
  operationId: '${operationId}',
  tag: 'Customers',
  summary: 'planted',
  ${contractRest}
});

export const router = createRouter();
router.operation(plantedRoute, async (c) => {
  if (c.req.param('customerId') === '') return respondProblems(c, [{ code: 'customer_not_found', message: 'no' }]);
  ${handler}
});
void asContent;
void [acceptedResponseSchema, inboundEventAcceptedSchema, inboundEventDuplicateSchema];
`;

const BODY = "{ url: 'https://desk.test/v1/wholesale/customers/c1' }";
const OTHER_SUCCESS = "alsoSucceeds: [{ status: 200, description: 'seen before', response: inboundEventDuplicateSchema }]";

/** Handlers planted beside the real routes (never written to disk): which must fail type-checking, and which must pass. */
const ROUTE_PLANTED: Record<string, string> = {
  // A body missing the field the success schema requires (`url`).
  'src/api/planted-missing-field-routes.ts': routeFile(
    'getPlantedMissingField',
    'status: 200,\n  response: acceptedResponseSchema,',
    "return c.json({ location: 'https://desk.test/v1/wholesale/customers/c1' }, 200);",
  ),
  // The right body at a status the contract does not declare.
  'src/api/planted-wrong-status-routes.ts': routeFile(
    'getPlantedWrongStatus',
    'status: 200,\n  response: acceptedResponseSchema,',
    `return c.json(${BODY}, 201);`,
  ),
  // A JSON body where the contract declares none (204).
  'src/api/planted-body-on-204-routes.ts': routeFile('deletePlantedWithBody', 'status: 204,', 'return c.json({ deleted: true }, 200);'),
  // JSON where the contract declares a CSV.
  'src/api/planted-json-for-csv-routes.ts': routeFile(
    'downloadPlantedCsv',
    "status: 200,\n  responseContent: { type: 'text/csv', description: 'x' },",
    "return c.json({ csv: 'a,b' }, 200);",
  ),
  // What the contracts say, answered as they say it: passes.
  'src/api/planted-matching-routes.ts': routeFile(
    'getPlantedMatching',
    'status: 200,\n  response: acceptedResponseSchema,',
    `return c.json(${BODY}, 200);`,
  ),
  'src/api/planted-matching-csv-routes.ts': routeFile(
    'downloadPlantedMatchingCsv',
    "status: 200,\n  responseContent: { type: 'text/csv', description: 'x' },",
    "return asContent('text/csv', 200, c.body('a,b', 200, { 'Content-Type': 'text/csv; charset=utf-8' }));",
  ),
  // Two successes, each with its own body (an inbound event: 202 accepted, 200 duplicate): a body at the other's status.
  'src/api/planted-other-success-swapped-routes.ts': routeFile(
    'receivePlantedSwapped',
    `status: 202,\n  response: inboundEventAcceptedSchema,\n  ${OTHER_SUCCESS},`,
    "return c.json({ id: 'e1', status: 'duplicate' as const }, 202);",
  ),
  // Each body at its own status: passes.
  'src/api/planted-other-success-matching-routes.ts': routeFile(
    'receivePlantedMatching',
    `status: 202,\n  response: inboundEventAcceptedSchema,\n  ${OTHER_SUCCESS},`,
    "if (c.req.query('again')) return c.json({ id: 'e1', status: 'duplicate' as const }, 200);\n  return c.json({ id: 'e1', status: 'accepted' as const }, 202);",
  ),
};

/** tsc's messages on each planted route file, as `npm run typecheck` checks them. */
function diagnosticsOfPlantedFiles(): Map<string, string[]> {
  const program = treeProgram();
  const found = new Map<string, string[]>();
  for (const [file] of Object.entries(ROUTE_PLANTED)) {
    const source = program.getSourceFile(join(root, file));
    found.set(
      file,
      ts.getPreEmitDiagnostics(program, source).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    );
  }
  return found;
}

describe('a handler is type-checked against its contract’s success response (openapi.ts: ContractHandler)', () => {
  let found = new Map<string, string[]>();
  beforeAll(() => {
    found = diagnosticsOfPlantedFiles();
  }, 300_000);
  const messagesOf = (file: string) => (found.get(file) ?? []).join('\n');

  it('refuses a body missing a required field, naming the operation and the field', () => {
    const message = messagesOf('src/api/planted-missing-field-routes.ts');
    expect(message).toMatch(/ContractHandler<"getPlantedMissingField"/);
    expect(message).toMatch(/Property 'url' is missing/);
  });

  it('refuses the declared body at a status the contract does not declare, naming the operation', () => {
    const message = messagesOf('src/api/planted-wrong-status-routes.ts');
    expect(message).toMatch(/ContractHandler<"getPlantedWrongStatus"/);
    expect(message).toMatch(/JSONRespondReturn<\{ url: string; \}, 201>/);
  });

  it('refuses a body on an operation whose success has none, and JSON where a CSV is declared', () => {
    expect(messagesOf('src/api/planted-body-on-204-routes.ts')).toMatch(/ContractHandler<"deletePlantedWithBody"/);
    expect(messagesOf('src/api/planted-json-for-csv-routes.ts')).toMatch(/ContractHandler<"downloadPlantedCsv"/);
  });

  it('lets handlers answering what their contracts declare pass', () => {
    expect(found.get('src/api/planted-matching-routes.ts')).toEqual([]);
    expect(found.get('src/api/planted-matching-csv-routes.ts')).toEqual([]);
  });

  it('holds each of several successes (alsoSucceeds) to its own body: one answered at the other’s status is refused', () => {
    const message = messagesOf('src/api/planted-other-success-swapped-routes.ts');
    expect(message).toMatch(/ContractHandler<"receivePlantedSwapped"/);
    expect(message).toMatch(/JSONRespondReturn<\{ id: string; status: "duplicate"; \}, 202>/);
    expect(found.get('src/api/planted-other-success-matching-routes.ts')).toEqual([]);
  });
});

/** Every file planted for the checks below: new files beside the real ones, and the façade with planted members. */
const PLANTED_FILES: Record<string, string> = { ...EDGE_PLANTED, ...ROUTE_PLANTED };

let program: ts.Program | undefined;
/** The whole tree with every planted file, built once for the three checks (the first to ask builds it). */
function treeProgram(): ts.Program {
  program ??= programWithPlantedFiles(root, { ...PLANTED_FILES, [FACADE_FILE]: facadeWithPlantedMembers() });
  return program;
}
