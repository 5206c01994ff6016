import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';
import { buildInto } from '../../scripts/build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** src/ compiled to JavaScript (one .js per .ts, the layout of `npm run build`), with its assets. */
    compiledSourcesDir: string;
  }
}

/**
 * vitest globalSetup of the pglite and postgres projects: builds src/ once per run as `npm run build` does
 * (scripts/build.mjs: esbuild, one .js per .ts as dist/ is laid out, the console's assets beside), so every
 * service and CLI a test spawns starts with plain node on the production build, as `npm start` runs it,
 * instead of each process loading tsx and compiling the sources again: that cost about 1.5 to 3 s of CPU
 * per spawned process, and a PGlite worker thread's own tsx loader came on top. Both projects share the
 * one build (the first to set up makes it; the last to tear down removes it).
 */
export default async function compileSources(project: TestProject): Promise<() => Promise<void>> {
  const shared = (runState.wdCompiledSources ??= { build: buildOnce(), users: 0 });
  shared.users += 1;
  const { root, out } = await shared.build;
  project.provide('compiledSourcesDir', out);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    runState.wdCompiledSources = undefined;
    await rm(root, { recursive: true, force: true });
  };
}

/** The build both projects' setups share, kept where the main process's two setups both see it. */
const runState = globalThis as typeof globalThis & {
  wdCompiledSources?: { build: Promise<{ root: string; out: string }>; users: number };
};

async function buildOnce(): Promise<{ root: string; out: string }> {
  const root = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'wd-compiled-'));
  const out = join(root, 'src');
  try {
    // ES modules, and the packages the sources import, as for dist/ inside the repository.
    await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
    await symlink(resolve('node_modules'), join(root, 'node_modules'), 'dir');
    await buildInto(out);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return { root, out };
}

/** The compiled sources of this run, or undefined (a file run outside the database projects). */
function compiledSources(): string | undefined {
  try {
    return inject('compiledSourcesDir');
  } catch {
    return undefined;
  }
}

/**
 * What node runs for `src/<name>.ts` (`main`, `cli`): the run's compiled copy, or, without one, the
 * TypeScript source through tsx.
 */
export function entryArgs(name: 'main' | 'cli'): string[] {
  const dir = compiledSources();
  return dir ? [join(dir, `${name}.js`)] : ['--import', 'tsx', `src/${name}.ts`];
}
