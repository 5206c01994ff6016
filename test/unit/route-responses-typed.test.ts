import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { programWithPlantedFiles } from '../support/planted-program.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

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
const PLANTED: Record<string, string> = {
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

/** tsc's messages on each planted file: the program holds only them and what they import, as `npm run typecheck` checks them. */
function diagnosticsOfPlantedFiles(): Map<string, string[]> {
  const program = programWithPlantedFiles(root, PLANTED, 'planted');
  const found = new Map<string, string[]>();
  for (const [file] of Object.entries(PLANTED)) {
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
