import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, runsOnceAcrossDatabases, testDbKind, type TestDatabase } from '../support/test-db.js';
import { entryArgs } from '../support/compiled-service.js';

/** The operator CLI as a shell script sees it: its exit code, on the database the suite runs on. */
describe.runIf(runsOnceAcrossDatabases())(`operator CLI exit codes on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        LOG_LEVEL: 'silent',
        DATA_DIR: join(dir, 'data'),
      };
      if (testDb.url) env.DATABASE_URL = testDb.url;
      execFile(process.execPath, [...entryArgs('cli'), ...args], { cwd: process.cwd(), env }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-cli-'));
    testDb = await createTestDatabase({ migrated: true });
    await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
  });
  afterAll(async () => {
    await testDb.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['an unknown command', ['frobnicate'], 1, /unknown command "frobnicate"/],
    ['a bad role', ['staff', 'add', 'x@y.example', '--role', 'boss'], 1, /--role must be admin, operator or viewer/],
    ['help', ['help'], 0, /^Usage: npm run cli -- <command>/],
    ['no command at all', [], 2, /^Usage: npm run cli -- <command>/],
  ])('exits %s with the right code', async (_what, args, code, output) => {
    const result = await run(args);
    expect(`${result.stdout}${result.stderr}`).toMatch(output);
    expect(result.code).toBe(code);
  });
});
