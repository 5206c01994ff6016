import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { buildInto } from '../../scripts/build.mjs';

/**
 * The production build as `npm run build` makes it (scripts/build.mjs: src/ compiled by esbuild, then the
 * console's assets), into a fresh folder under .tmp/: inside the project, so the compiled code finds
 * node_modules, and never dist/, which another build may be writing. Returns the folder; the caller removes it.
 */
export async function buildProductionCopy(prefix: string): Promise<string> {
  await mkdir(join(process.cwd(), '.tmp'), { recursive: true });
  return buildInto(await mkdtemp(join(process.cwd(), '.tmp', prefix)));
}
