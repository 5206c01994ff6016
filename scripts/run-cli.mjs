// `npm run cli`: runs the compiled CLI (dist/, as `npm start` and `npm run build` leave it) when it is
// at least as new as every source file, and the TypeScript through tsx otherwise. Compiled, a command
// starts in a fraction of the time: no esbuild, no transform of the files it imports.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The newest modification time of any file under dir (0 when there is none). */
function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    // Written by scripts/build.mjs, the last step of `npm run build`.
    return statSync(join(root, 'dist/.built-at')).mtimeMs;
  } catch {
    return 0;
  }
}

if (process.env.WD_CLI_FROM_SOURCE !== '1' && builtAt() >= newestUnder(join(root, 'src'))) {
  await import(pathToFileURL(join(root, 'dist/cli.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src/cli.ts')).href);
}
