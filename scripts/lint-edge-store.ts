// `npm run lint:edges`: fails when an edge (api, bot, jobs, webhooks, webex, cli) reaches the database
// past the use-case façade: a kysely call, a kysely object held anywhere, or an edge file that does not
// type-check (scripts/find-edge-store-uses.ts says what counts). CI runs the same check inside
// `npm run typecheck -- --edges` (scripts/typecheck.ts), on the program tsc checks, to type-check the tree once.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { findEdgeStoreUses, readProject, reportEdgeStoreUses } from './find-edge-store-uses.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const project = readProject(root);
const program = ts.createProgram(project.fileNames, project.options);
if (!reportEdgeStoreUses(findEdgeStoreUses(program, root), program, root)) process.exit(1);
