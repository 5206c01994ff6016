// The console's static files are read at run time beside the compiled code (<outDir>/console/assets),
// with its two scripts bundled by esbuild from src/console/app (the bundler the compiled
// src/api/console-bundle.ts holds, the same one a service run from the sources uses).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const outDir = resolve(process.argv[2] ?? 'dist');
const assets = resolve(outDir, 'console/assets');
cpSync(new URL('../src/console/assets', import.meta.url), assets, { recursive: true });
const { bundleConsole, CONSOLE_SCRIPT_NAMES } = await import(pathToFileURL(resolve(outDir, 'api/console-bundle.js')).href);
const scripts = await bundleConsole(fileURLToPath(new URL('../src/console/app', import.meta.url)));
mkdirSync(resolve(assets, 'vendor'), { recursive: true });
for (const name of CONSOLE_SCRIPT_NAMES) writeFileSync(resolve(assets, name), scripts[name]);
// The last step of `npm run build`: `npm run cli` runs the compiled CLI only when this stamp is newer than src/.
writeFileSync(resolve(outDir, '.built-at'), `${new Date().toISOString()}\n`);
