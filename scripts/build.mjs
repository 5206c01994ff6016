// `npm run build`: src/ compiled to JavaScript in dist/ (or the folder given), then the console's assets
// beside it. `npm start` runs it, then `node dist/main.js`.
//
// esbuild compiles each .ts to one .js and its source map, the layout of src/, as tsc laid it out: no
// bundling, so `node dist/main.js` and `node dist/cli.js` load the same modules the sources are made of.
// It strips types without checking them; `npm run typecheck` checks them (CI runs it beside the tests, and fails on it).
// tsc emitting the same tree cost about 17 s of CPU, 11 s on a quiet 2-core machine and a minute or more
// on a busy one, each `npm start`; esbuild takes under a second. The test suite runs the services it
// spawns on this same build (test/support/compiled-service.ts).
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds src/ into `outDir`, emptied first, so no file of a source that no longer exists is left behind. */
export async function buildInto(outDir) {
  const out = resolve(outDir);
  rmSync(out, { recursive: true, force: true });
  const src = join(root, 'src');
  const entryPoints = readdirSync(src, { recursive: true })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    // The console's browser code is bundled below (its own tsconfig, DOM types); it is never run by node.
    .filter((file) => !file.startsWith('console/'))
    .map((file) => join(src, file));
  await build({
    entryPoints,
    outdir: out,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'error',
  });
  await copyAssets(out);
  // The last step: `npm run cli` runs the compiled CLI only when this stamp is newer than src/.
  writeFileSync(join(out, '.built-at'), `${new Date().toISOString()}\n`);
  return out;
}

/**
 * The console's static files, read at run time beside the compiled code (<out>/console/assets), with its
 * two scripts bundled by esbuild from src/console/app (the bundler the compiled src/api/console-bundle.ts
 * holds, the same one a service run from the sources uses).
 */
async function copyAssets(out) {
  const assets = join(out, 'console/assets');
  cpSync(join(root, 'src/console/assets'), assets, { recursive: true });
  const { bundleConsole, CONSOLE_SCRIPT_NAMES } = await import(pathToFileURL(join(out, 'api/console-bundle.js')).href);
  const scripts = await bundleConsole(join(root, 'src/console/app'));
  mkdirSync(join(assets, 'vendor'), { recursive: true });
  for (const name of CONSOLE_SCRIPT_NAMES) writeFileSync(join(assets, name), scripts[name]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildInto(process.argv[2] ?? join(root, 'dist'));
}
