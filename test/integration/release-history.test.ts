import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/create-db.js';
import { migrateToLatest, NewerDatabaseError, THIS_RELEASE } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

/** The database remembers which release migrated it; a release meeting a newer database's migrations refuses, naming it. */
describe(`release history on ${testDbKind()}`, () => {
  let testDb: TestDatabase;
  let handle: DbHandle;
  const releases = async () =>
    (
      await sql<{ release: string; applied: string[] }>`select release, applied from release_history order by migrated_at`.execute(
        handle.db,
      )
    ).rows;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    handle = await testDb.open({ migrate: false });
  });
  afterAll(async () => {
    await handle.db.destroy();
    await testDb.dispose();
  });

  it('records the release that migrated the database once, with what it applied', async () => {
    await migrateToLatest(handle.db);
    await migrateToLatest(handle.db);
    expect(THIS_RELEASE).toBe(Object.keys(migrations).at(-1));
    expect(await releases()).toEqual([{ release: THIS_RELEASE, applied: Object.keys(migrations) }]);
  });

  it('refuses a database holding a migration it does not know, naming the migration, and changes nothing', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('2099-01-01-0900-future', '2099-01-01T09:00:00.000Z')`.execute(
      handle.db,
    );
    const refusal = migrateToLatest(handle.db);
    await expect(refusal).rejects.toBeInstanceOf(NewerDatabaseError);
    await expect(refusal).rejects.toThrow(
      /^this database was migrated by a newer release of Wholesale Desk \(a release whose newest migration is 2099-01-01-0900-future\); this is release .*restore the backup taken before the upgrade/,
    );
    expect(await releases()).toHaveLength(1);
  });

  it('names the newer release and its date when that release recorded itself', async () => {
    await sql`insert into release_history (migrated_at, release, applied) values ('2099-01-02T10:00:00Z', '2099-01-01-0900-future', '[]')`.execute(
      handle.db,
    );
    await expect(migrateToLatest(handle.db)).rejects.toThrow(/\(release 2099-01-01-0900-future on 2099-01-02\)/);
  });
});
