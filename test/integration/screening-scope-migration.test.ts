import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { insertApiToken } from '../../src/db/repositories/api-tokens.js';
import { insertPartner } from '../../src/db/repositories/partners.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

/** Root tokens that could load the screening list keep that power under its new scope; sub-partner tokens never get it. */
describe(`the screening-list scope migration on ${testDbKind()}`, () => {
  let testDb: TestDatabase;
  let handle: DbHandle;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    handle = await testDb.open({ migrate: false });
  });
  afterAll(async () => {
    await handle.db.destroy();
    await testDb.dispose();
  });

  it('grants wholesale-desk:screening_list to root admin tokens only', async () => {
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('2026-11-30-0900-tasks')).error).toBeUndefined();
    const at = new Date('2026-11-01T00:00:00Z');
    await insertPartner(handle.db, { id: 'root', orgId: 'ORG-ROOT', name: 'Root', parentId: null, createdAt: at });
    await insertPartner(handle.db, { id: 'sub', orgId: 'ORG-SUB', name: 'Sub', parentId: 'root', createdAt: at });
    const token = (id: string, partnerId: string, scopes: string[]) =>
      insertApiToken(handle.db, { id, partnerId, name: id, tokenHash: `hash-${id}`, tokenPrefix: id, scopes });
    await token('root-admin', 'root', ['wholesale-desk:admin', 'spark-admin:wholesale_customers_read']);
    await token('root-reader', 'root', ['spark-admin:wholesale_customers_read']);
    await token('sub-admin', 'sub', ['wholesale-desk:admin']);
    expect(await migrateToLatest(handle.db)).toContain('2026-11-30-1000-screening-list-scope');
    const rows = await handle.db.selectFrom('api_tokens').select(['id', 'scopes']).orderBy('id').execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.scopes]))).toEqual({
      'root-admin': ['wholesale-desk:admin', 'spark-admin:wholesale_customers_read', 'wholesale-desk:screening_list'],
      'root-reader': ['spark-admin:wholesale_customers_read'],
      'sub-admin': ['wholesale-desk:admin'],
    });
  });
});
