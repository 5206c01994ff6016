import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { insertTask } from '../../src/db/repositories/tasks.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

/** `provisioning_tasks` becomes `tasks` in place: queued work, its ids and its sequence survive. */
describe(`the tasks rename on ${testDbKind()}`, () => {
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

  it('keeps queued rows and ids across the rename, and reverses', async () => {
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
    const before = await migrator.migrateTo('2026-11-22-0900-chat-and-digests');
    expect(before.error).toBeUndefined();
    const at = new Date('2026-06-15T12:00:00Z');
    await sql`insert into provisioning_tasks (kind, entity_id, payload, run_after, created_at) values ('customer.provision', 'c1', '{"screeningCleared":true}', ${at}, ${at})`.execute(
      handle.db,
    );
    expect(await migrateToLatest(handle.db)).toContain('2026-11-30-0900-tasks');
    await insertTask(handle.db, { kind: 'subscriber.provision', entityId: 's1', payload: {}, now: at });
    const rows = await handle.db.selectFrom('tasks').select(['id', 'kind', 'entity_id', 'payload', 'status']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 1, kind: 'customer.provision', entity_id: 'c1', payload: { screeningCleared: true }, status: 'pending' },
      { id: 2, kind: 'subscriber.provision', entity_id: 's1', payload: {}, status: 'pending' },
    ]);
    await expect(
      sql`insert into tasks (kind, entity_id, run_after, created_at, status) values ('x', 'y', now(), now(), 'odd')`.execute(handle.db),
    ).rejects.toThrow(/tasks_status_check/);
    const down = await migrator.migrateTo('2026-11-22-0900-chat-and-digests');
    expect(down.error).toBeUndefined();
    const back = await sql<{ n: number }>`select count(*) as n from provisioning_tasks`.execute(handle.db);
    expect(Number(back.rows[0]!.n)).toBe(2);
    expect(await migrateToLatest(handle.db)).toContain('2026-11-30-0900-tasks');
  });
});
