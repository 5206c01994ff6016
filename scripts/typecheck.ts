// `npm run typecheck`: what `tsc --noEmit` reports for the service (tsconfig.json) and for the console's
// browser code (src/console/tsconfig.json), printed as tsc prints it. With `--edges` it also runs
// `npm run lint:edges`'s check (scripts/find-edge-store-uses.ts) on the service's program: CI
// (.ci/run) type-checks the tree once for both instead of building a second program for the edge check.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { findEdgeStoreUses, readProject, reportEdgeStoreUses } from './find-edge-store-uses.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const withEdges = process.argv.includes('--edges');
const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => ts.sys.newLine,
};

let failed = false;
for (const config of ['tsconfig.json', 'src/console/tsconfig.json']) {
  const project = readProject(root, config);
  const program = ts.createProgram({
    rootNames: project.fileNames,
    options: project.options,
    configFileParsingDiagnostics: project.errors,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) {
    failed = true;
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    console.log(format(diagnostics, formatHost));
    console.log(`${config}: found ${diagnostics.length} error(s).`);
  }
  if (withEdges && config === 'tsconfig.json' && !reportEdgeStoreUses(findEdgeStoreUses(program, root), program, root)) failed = true;
}
if (failed) process.exit(1);
