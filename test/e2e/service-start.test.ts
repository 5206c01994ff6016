import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';
import { killLeftoverServices, spawnService, waitForStatus } from '../support/spawn-service.js';

/** Starts the real service as `npm start` does and checks start-up, restart and shutdown. */
describe(`service start-up on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  let dbEnv: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-e2e-'));
    testDb = await createTestDatabase();
    dbEnv = testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') };
  });
  afterAll(async () => {
    await killLeftoverServices();
    await testDb.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates, seeds, serves /readyz, prints the token once, shuts down cleanly and starts again', async () => {
    const first = spawnService({ ...dbEnv, LOG_LEVEL: 'info' });
    await waitForStatus(first, '/readyz');
    const token = /wdk_[\w-]+/.exec(first.output())?.[0];
    expect(token).toBeTruthy();
    const templates = await fetch(`${first.url}/v1/wholesale/onboardingTemplates`, { headers: { authorization: `Bearer ${token}` } });
    expect(templates.status).toBe(200);
    expect((await templates.json()).items[0].name).toBe('Default');
    // Every log line is JSON and request lines carry a request id.
    const lines = first
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(2);
    const requestLine = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request');
    expect(requestLine?.reqId).toBeTruthy();

    // One Ctrl-C under `npm start` arrives several times (npm and tsx pass it on): still a clean stop.
    first.child.kill('SIGTERM');
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain('shutdown complete');

    const second = spawnService({ ...dbEnv, LOG_LEVEL: 'info' });
    await waitForStatus(second, '/readyz');
    expect(second.output()).not.toMatch(/wdk_/);
    const again = await fetch(`${second.url}/v1/wholesale/onboardingTemplates`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);

    if (testDbKind() === 'pglite') {
      // The directory was closed cleanly: it opens again in this process.
      const reopened = await createDb({ DATA_DIR: join(dir, 'data') });
      const partners = await reopened.db.selectFrom('partners').selectAll().execute();
      expect(partners).toHaveLength(1);
      await reopened.db.destroy();
    }
  });

  it.each([
    ['a non-numeric PORT', { PORT: 'eighty' }, /PORT: must be a whole number/],
    [
      'an unreachable DATABASE_URL',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' },
      /cannot reach PostgreSQL at DATABASE_URL \(127\.0\.0\.1:1\/nowhere\)/,
    ],
  ])('refuses to start with %s, in one line and without a stack trace', async (_label, env, message) => {
    const service = spawnService({ LOG_LEVEL: 'silent', DATA_DIR: join(dir, 'unused'), ...env });
    const { code } = await service.exited;
    expect(code).not.toBe(0);
    const output = service
      .output()
      .split('\n')
      .filter((l) => l.trim() && !l.includes('npm warn'));
    expect(output).toHaveLength(1);
    expect(output[0]).toMatch(message);
    expect(service.output()).not.toMatch(/\n\s+at /);
    // The variable and the problem, never the value (a DATABASE_URL carries a password).
    for (const value of Object.values(env).filter((v) => !v.startsWith('postgres://'))) expect(service.output()).not.toContain(value);
  });

  it('refuses an unwritable DATA_DIR', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a directory');
    const service = spawnService({ LOG_LEVEL: 'silent', DATA_DIR: join(file, 'data') });
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.output().trim()).toMatch(/^wholesale-desk: DATA_DIR ".*a-file\/data" is not a writable directory/);
    expect(service.output()).not.toMatch(/\n\s+at /);
  });

  it.runIf(testDbKind() === 'pglite')('refuses a DATA_DIR another process is using', async () => {
    // From the migrated template: the subject is the lock, not a first start.
    const running = spawnService({ DATA_DIR: await testDb.migratedDataDir(join(dir, 'shared')) });
    await waitForStatus(running, '/readyz');
    const second = spawnService({ DATA_DIR: join(dir, 'shared'), LOG_LEVEL: 'silent' });
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(second.output()).toMatch(/is in use by process \d+/);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
  });
});
