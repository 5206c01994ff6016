import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The console's scripts, bundled by esbuild from the TypeScript in src/console/app:
 *
 * - `vendor/preact.js`: Preact, its hooks and htm (the declared dependencies), one ES module that
 *   changes only when they are upgraded, so browsers keep it across releases of the desk;
 * - `app.js`: the console itself, importing the vendor module by its versioned URL.
 *
 * `npm run build` writes both beside the compiled code (scripts/build.mjs); a service run from
 * the sources (tsx, vitest) has no build, so the first request for the console bundles them here and
 * keeps the result in node_modules/.cache/wholesale-desk-console, named by a hash of the sources and
 * versions, so every later start (every test file) reads it instead of bundling again.
 */
export interface ConsoleScripts {
  'app.js': Buffer;
  'vendor/preact.js': Buffer;
}

export const CONSOLE_SCRIPT_NAMES = ['app.js', 'vendor/preact.js'] as const;

/** Run from the sources, src/api sits two levels below the project (the only case that bundles here). */
const NODE_MODULES = new URL('../../node_modules/', import.meta.url);
const VENDOR_PACKAGES = ['preact', 'htm', 'esbuild'] as const;
/** The import specifiers the console uses for its libraries: all of them come from the vendor module. */
const VENDOR_SPECIFIERS = /^(preact|preact\/hooks|htm\/preact)$/;
const VENDOR_SOURCE = `export * from 'preact';
export * from 'preact/hooks';
export { html } from 'htm/preact';
`;

const hashOf = (body: Uint8Array | string) => createHash('sha256').update(body).digest('base64url').slice(0, 16);

/** Bundles the console from `appDir` (src/console/app). esbuild is a build tool: loaded only here. */
export async function bundleConsole(appDir: string): Promise<ConsoleScripts> {
  const esbuild = await import('esbuild');
  const common = { bundle: true, format: 'esm', target: 'es2022', write: false, legalComments: 'none', charset: 'utf8' } as const;
  const vendor = await esbuild.build({
    ...common,
    stdin: { contents: VENDOR_SOURCE, resolveDir: appDir, loader: 'js', sourcefile: 'vendor.js' },
    minify: true,
  });
  const vendorBody = Buffer.from(vendor.outputFiles[0]!.contents);
  const vendorUrl = `/console/vendor/preact.js?v=${hashOf(vendorBody)}`;
  const app = await esbuild.build({
    ...common,
    entryPoints: [join(appDir, 'main.ts')],
    outfile: 'app.js',
    plugins: [
      {
        name: 'vendor-module',
        setup(build) {
          build.onResolve({ filter: VENDOR_SPECIFIERS }, () => ({ path: vendorUrl, external: true }));
        },
      },
    ],
  });
  return { 'app.js': Buffer.from(app.outputFiles[0]!.contents), 'vendor/preact.js': vendorBody };
}

function sourcesHash(appDir: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(appDir);
  for (const name of VENDOR_PACKAGES) hash.update(readFileSync(new URL(`${name}/package.json`, NODE_MODULES)));
  return hashOf(hash.digest());
}

/** Bundles of older sources, untouched for a day, go (each edit of the console leaves one). */
function pruneCache(root: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
  }
}

let bundled: Promise<ConsoleScripts> | undefined;

/**
 * The console's scripts: the built ones when `builtDir` holds them (a production build), else bundled
 * from the sources once per process, through the on-disk cache.
 */
export function consoleScripts(builtDir: URL, appDir: URL): Promise<ConsoleScripts> {
  bundled ??= (async () => {
    if (existsSync(new URL('app.js', builtDir)))
      return {
        'app.js': readFileSync(new URL('app.js', builtDir)),
        'vendor/preact.js': readFileSync(new URL('vendor/preact.js', builtDir)),
      };
    const dir = fileURLToPath(appDir);
    const cacheDir = join(fileURLToPath(new URL('.cache/wholesale-desk-console/', NODE_MODULES)), sourcesHash(dir));
    const cached = CONSOLE_SCRIPT_NAMES.map((name) => join(cacheDir, name));
    if (cached.every((path) => existsSync(path)))
      return { 'app.js': readFileSync(cached[0]!), 'vendor/preact.js': readFileSync(cached[1]!) };
    const scripts = await bundleConsole(dir);
    // Written under a temporary name and renamed: a parallel test file never reads half a file.
    for (const [i, name] of CONSOLE_SCRIPT_NAMES.entries()) {
      mkdirSync(join(cacheDir, 'vendor'), { recursive: true });
      const tmp = `${cached[i]!}.${process.pid}.tmp`;
      writeFileSync(tmp, scripts[name]);
      renameSync(tmp, cached[i]!);
    }
    pruneCache(dirname(cacheDir));
    return scripts;
  })().catch((error: unknown) => {
    // The next request tries again (a source being saved half-written, say).
    bundled = undefined;
    throw error;
  });
  return bundled;
}
