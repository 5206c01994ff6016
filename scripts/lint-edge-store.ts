// `npm run lint:edges`: fails when an edge (api, bot, jobs, webhooks, webex, cli) reaches the database
// past the use-case façade: a kysely call, a kysely object held anywhere, or an edge file that does not
// type-check (scripts/find-edge-store-uses.ts says what counts).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { compilerOptions, EDGE_FILE, findEdgeStoreUses, listSourceFiles } from './find-edge-store-uses.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = listSourceFiles(root);
const program = ts.createProgram(
  files.map((f) => join(root, f)),
  compilerOptions(root),
);
const uses = findEdgeStoreUses(program, root);
for (const u of uses) console.error(`${u.file}:${u.line}: ${u.what}`);
if (uses.length) {
  console.error(
    `\n${uses.length} database use(s) in the edges: call the use-case façade (deps.useCases, src/use-cases/use-cases.ts); SQL stays in src/db behind a use-case.`,
  );
  process.exit(1);
}
console.log(`edges: no database access past the use-case façade (${files.filter((f) => EDGE_FILE.test(f)).length} edge files checked)`);
