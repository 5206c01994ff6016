import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killLeftoverServices, spawnService, waitForStatus } from '../support/spawn-service.js';
import { createTestDatabase, runsOnceAcrossDatabases, testDbKind, type TestDatabase } from '../support/test-db.js';

const KEY = randomBytes(32).toString('base64');
const WRONG_KEY = randomBytes(32).toString('hex');

/** The service as a user starts it: the stored signing key is sealed under SECRETS_KEY; a wrong key stops the start. */
describe.runIf(runsOnceAcrossDatabases())(`SECRETS_KEY at start on ${testDbKind()}`, () => {
  let dir: string;
  let testDb: TestDatabase;
  let dbEnv: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-secrets-'));
    testDb = await createTestDatabase({ migrated: true });
    await testDb.migratedDataDir(join(dir, 'data')); // PGlite: starts from the migrated template, not initdb + migrations
    dbEnv = testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: join(dir, 'data') };
  });
  afterAll(async () => {
    await killLeftoverServices();
    await testDb?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts with its key, warns without one, and refuses a wrong one naming the variable, never a value', async () => {
    const first = spawnService({ ...dbEnv, SECRETS_KEY: KEY });
    await waitForStatus(first, '/healthz');
    expect(first.output()).not.toContain('SECRETS_KEY is not set');
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const wrong = spawnService({ ...dbEnv, SECRETS_KEY: WRONG_KEY });
    const { code } = await wrong.exited;
    expect(code).toBe(2);
    expect(wrong.output()).toMatch(/wholesale-desk: SECRETS_KEY does not decrypt the stored secrets/);
    expect(wrong.output()).not.toContain(WRONG_KEY);
    expect(wrong.output()).not.toContain(KEY);

    const none = spawnService({ ...dbEnv });
    expect((await none.exited).code).toBe(2);
    expect(none.output()).toMatch(/SECRETS_KEY is not set, but the stored secrets are encrypted/);
    expect(none.output()).not.toContain(KEY);
  });

  it('logs a warning at start when SECRETS_KEY is not set', async () => {
    const other = await createTestDatabase();
    try {
      const env: Record<string, string> = other.url ? { DATABASE_URL: other.url } : { DATA_DIR: join(dir, 'plain') };
      const plain = spawnService(env);
      await waitForStatus(plain, '/healthz');
      expect(plain.output()).toContain('SECRETS_KEY is not set: download-link signing keys are stored unencrypted');
      plain.child.kill('SIGTERM');
      expect((await plain.exited).code).toBe(0);
    } finally {
      await other.dispose();
    }
  });
});
