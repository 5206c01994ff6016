import { execFile } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The production build as `npm run build` makes it (tsc with tsconfig.build.json, then the console's
 * assets), into a fresh folder under .tmp/: inside the project, so the compiled code finds node_modules,
 * and never dist/, which another build may be writing. Returns the folder; the caller removes it.
 */
export async function buildProductionCopy(prefix: string): Promise<string> {
  await mkdir(join(process.cwd(), '.tmp'), { recursive: true });
  const outDir = await mkdtemp(join(process.cwd(), '.tmp', prefix));
  const run = promisify(execFile);
  await run(process.execPath, [
    'node_modules/typescript/bin/tsc',
    '-p',
    'tsconfig.build.json',
    '--outDir',
    outDir,
    '--tsBuildInfoFile',
    join(outDir, '.tsbuildinfo'),
  ]);
  await run(process.execPath, ['scripts/copy-assets.mjs', outDir]);
  return outDir;
}
