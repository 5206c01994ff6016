import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EdgeStoreUse, findEdgeStoreUses } from '../../scripts/find-edge-store-uses.js';
import { programWithPlantedFiles } from '../support/planted-program.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Files planted beside the real ones (never written to disk): what `npm run lint:edges` must refuse, and what it must let pass. */
const PLANTED: Record<string, string> = {
  // The database handle as the edges held it before the façade: AppDeps has no `db` any more.
  'src/api/planted-db-call.ts': `import type { AppDeps } from './app-env.js';
export const planted = (deps: AppDeps) => deps.db.selectFrom('customers').selectAll().execute();
`,
  // A handle smuggled in under a type borrowed from the use-cases: type-checks and passes the dependency rules.
  'src/api/planted-borrowed-handle.ts': `import type { createUseCases } from '../use-cases/use-cases.js';
type Handle = Parameters<typeof createUseCases>[0]['db'];
export const planted = (deps: { store: Handle }) => deps.store.selectFrom('customers').selectAll().execute();
`,
  // The façade, as every edge calls it.
  'src/api/planted-facade-call.ts': `import type { AppDeps, AuthContext } from './app-env.js';
export const planted = (deps: AppDeps, partner: AuthContext['partner']) => deps.useCases.listUsableTemplates(partner);
`,
};

describe('database access in the edges past the use-case façade (npm run lint:edges)', () => {
  let uses: EdgeStoreUse[] = [];
  // One program for the whole tree: type-checking it takes a while on a loaded machine.
  beforeAll(() => {
    uses = findEdgeStoreUses(programWithPlantedFiles(root, PLANTED, 'all'), root);
  }, 300_000);
  const usesIn = (file: string) => uses.filter((u) => u.file === file).map((u) => u.what);

  it('refuses a planted deps.db.selectFrom in src/api (the deps hold no handle: it does not type-check)', () => {
    expect(usesIn('src/api/planted-db-call.ts')).toEqual([expect.stringMatching(/does not type-check: Property 'db' does not exist/)]);
  });

  it('refuses a kysely handle an edge holds under any name, although it type-checks', () => {
    const found = usesIn('src/api/planted-borrowed-handle.ts');
    expect(found.some((w) => w.startsWith('does not type-check'))).toBe(false);
    expect(found).toContainEqual(expect.stringMatching(/^calls kysely: deps\.store\.selectFrom\('customers'\)/));
    expect(found).toContainEqual(expect.stringMatching(/^holds a kysely object: deps\.store is /));
  });

  it('lets a call through the façade pass', () => {
    expect(usesIn('src/api/planted-facade-call.ts')).toEqual([]);
  });

  it('finds none in the source tree', () => {
    expect(uses.filter((u) => !(u.file in PLANTED))).toEqual([]);
  });
});
