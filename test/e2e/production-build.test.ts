import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { buildProductionCopy } from '../support/production-build.js';
import { killLeftoverServices, spawnService, waitForStatus } from '../support/spawn-service.js';

/**
 * The production build as `npm start` makes it (scripts/build.mjs: esbuild, then the console's
 * assets), run with plain node: no tsx, no TypeScript at run time. Built into its own folder inside
 * the project (compiled code finds node_modules by walking up), so parallel runs never share one.
 */
// The build does not depend on the database: it runs once, with the PGlite project.
describe.runIf(testDbKind() === 'pglite')(`the production build on ${testDbKind()}`, () => {
  let outDir: string;
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    outDir = await buildProductionCopy('build-');
  }, 240_000);
  afterAll(async () => {
    await killLeftoverServices();
    await testDb.dispose();
    await rm(outDir, { recursive: true, force: true });
  });

  it('compiles to JavaScript that node runs: the API, the console page and its assets answer', async () => {
    expect(existsSync(join(outDir, 'main.js'))).toBe(true);
    expect(existsSync(join(outDir, 'console/assets/app.js'))).toBe(true);
    const dataDir = join(outDir, 'data');
    const service = spawnService(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir }, {
      entry: ['--enable-source-maps', join(outDir, 'main.js')],
    });
    await waitForStatus(service, '/readyz');
    const token = /wdk_[\w-]+/.exec(service.output())?.[0];
    const templates = await fetch(`${service.url}/v1/wholesale/onboardingTemplates`, { headers: { authorization: `Bearer ${token}` } });
    expect(templates.status).toBe(200);
    const page = await fetch(`${service.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script');
    const script = await fetch(`${service.url}/console/app.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });
});
