import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Generated, Kysely, sql } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/create-db.js';
import { isDatabaseUnavailable } from '../../src/db/is-database-unavailable.js';
import { isUniqueViolation } from '../../src/db/is-unique-violation.js';
import { EmbeddedDatabaseStoppedError, openPgliteOnWorkerThread } from '../../src/db/pglite-on-worker-thread.js';
import { createTestDatabase, testDbKind, type TestDatabase } from '../support/test-db.js';

interface Scratch {
  items: {
    id: Generated<number>;
    name: string;
    n: Generated<number>;
    day: string | null;
    at: Date | null;
    doc: unknown;
    raw: Uint8Array | null;
  };
  counter: { id: number; value: number };
}

const nextHop = () => new Promise<void>((resolve) => setImmediate(resolve));

// Embedded PGlite only: on PostgreSQL the statements run in the server, never on this thread.
describe.skipIf(testDbKind() === 'postgres')('embedded PGlite on its worker thread', () => {
  let testDb: TestDatabase;
  let handle: DbHandle;
  let db: Kysely<Scratch>;

  beforeAll(async () => {
    // A copy of the run's initdb'd template: a fresh PGlite (in memory or on disk) runs initdb, ~5 s of CPU.
    testDb = await createTestDatabase();
    handle = await testDb.open({ migrate: false });
    db = handle.db as unknown as Kysely<Scratch>;
    await sql`create table items (id serial primary key, name text not null, n int8 not null default 0, day date,
      at timestamptz, doc jsonb, raw bytea, constraint items_name_key unique (name))`.execute(db);
    await sql`create table counter (id int primary key, value int not null)`.execute(db);
    await sql`insert into counter values (1, 0)`.execute(db);
  });
  afterAll(async () => {
    await handle?.db.destroy();
    await testDb?.dispose();
  });

  it('parses int8 to number, date to YYYY-MM-DD, timestamptz to Date, jsonb to objects and bytea to bytes across the thread', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    await db
      .insertInto('items')
      .values({
        name: 'types',
        n: 9_007_199_254_740_991,
        day: '2026-02-28',
        at,
        doc: JSON.stringify({ a: [1, 'x'] }),
        raw: new Uint8Array([0, 255, 7]),
      })
      .execute();
    const row = await db.selectFrom('items').selectAll().where('name', '=', 'types').executeTakeFirstOrThrow();
    expect(row.n).toBe(9_007_199_254_740_991);
    expect(row.day).toBe('2026-02-28');
    expect(row.at).toBeInstanceOf(Date);
    expect((row.at as Date).toISOString()).toBe(at.toISOString());
    expect(row.doc).toEqual({ a: [1, 'x'] });
    expect(Array.from(row.raw!)).toEqual([0, 255, 7]);
    const count = await sql<{ c: number }>`select count(*) as c from items`.execute(db);
    expect(typeof count.rows[0]!.c).toBe('number');
  });

  it('refuses an int8 beyond the safe integer range rather than rounding it', async () => {
    await expect(sql`select 9007199254740993::int8 as big`.execute(db)).rejects.toThrow(/exceeds the safe integer range/);
  });

  it('reports the number of rows an update touched', async () => {
    await db
      .insertInto('items')
      .values([{ name: 'r1' }, { name: 'r2' }])
      .execute();
    const result = await db.updateTable('items').set({ n: 5 }).where('name', 'in', ['r1', 'r2']).executeTakeFirst();
    expect(result.numUpdatedRows).toBe(2n);
  });

  it('commits a transaction, and rolls one back when it throws', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'committed' }).execute();
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ name: 'rolled-back' }).execute();
        throw new Error('give up');
      }),
    ).rejects.toThrow('give up');
    const names = (await db.selectFrom('items').select('name').where('name', 'in', ['committed', 'rolled-back']).execute()).map(
      (r) => r.name,
    );
    expect(names).toEqual(['committed']);
  });

  it('runs concurrent transactions one after the other (PGlite is one session): no update is lost', async () => {
    const increment = () =>
      db.transaction().execute(async (trx) => {
        const { value } = await trx.selectFrom('counter').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
        // Other transactions get every chance to interleave here.
        for (let i = 0; i < 5; i += 1) await nextHop();
        await trx
          .updateTable('counter')
          .set({ value: value + 1 })
          .where('id', '=', 1)
          .execute();
      });
    await Promise.all(Array.from({ length: 8 }, increment));
    const { value } = await db.selectFrom('counter').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(value).toBe(8);
  });

  it('carries a unique violation across the thread with its code, constraint and detail', async () => {
    await db.insertInto('items').values({ name: 'unique-once' }).execute();
    const error = await db
      .insertInto('items')
      .values({ name: 'unique-once' })
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(error)).toBe(true);
    expect(error).toMatchObject({ code: '23505', constraint: 'items_name_key', table: 'items' });
    expect((error as { detail: string }).detail).toMatch(/unique-once/);
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('keeps the service thread free while a long statement runs: timers and file reads complete before it answers', async () => {
    let answered = false;
    // Two seconds on the database's thread (pg_sleep spins there: WASM has no sleep), then a count.
    const heavy = sql<{ c: number }>`select count(*) as c from (select pg_sleep(2)) held, generate_series(1, 20000) g where g % 7 = 3`
      .execute(db)
      .then((r) => {
        answered = true;
        return r.rows[0]!.c;
      });
    // On the service thread the statement would run to its end before any of this got a turn.
    for (let i = 0; i < 20; i += 1) await nextHop();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const source = await readFile(new URL(import.meta.url), 'utf8');
    expect(source.length).toBeGreaterThan(0);
    expect(answered).toBe(false);
    expect(await heavy).toBe(2_857);
  });

  it('answers a statement queued behind a long one once that one is done, in order', async () => {
    const order: string[] = [];
    const heavy = sql`select pg_sleep(0.3)`.execute(db).then(() => order.push('heavy'));
    const light = sql`select 1`.execute(db).then(() => order.push('light'));
    await Promise.all([heavy, light]);
    expect(order).toEqual(['heavy', 'light']);
  });
});

describe.skipIf(testDbKind() === 'postgres')('embedded PGlite worker thread failures', () => {
  let dir: string;
  let testDb: TestDatabase;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wd-pglite-thread-'));
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb?.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  /** A data directory of its own holding a copy of the run's migrated template (initdb costs ~5 s of CPU). */
  const dataDirCopy = (name: string) => testDb.migratedDataDir(join(dir, name));

  it('fails every statement with a named error when the thread crashes, instead of hanging', async () => {
    const pglite = await openPgliteOnWorkerThread({ dataDir: await dataDirCopy('crash'), location: 'crash' });
    const db = new Kysely<Scratch>({ dialect: new PGliteDialect(pglite as unknown as ConstructorParameters<typeof PGliteDialect>[0]) });
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    pglite.crashForTest();
    const pending = sql`select count(*) from generate_series(1, 2000000)`.execute(db);
    await expect(pending).rejects.toBeInstanceOf(EmbeddedDatabaseStoppedError);
    const later = await sql`select 1`.execute(db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(later).toBeInstanceOf(EmbeddedDatabaseStoppedError);
    expect((later as Error).message).toMatch(/embedded database .* stopped: .*crashed.*restart the service/);
    expect(isDatabaseUnavailable(later)).toBe(true);
    await db.destroy();
  });

  it('fails statements sent after close as the database being unavailable', async () => {
    const pglite = await openPgliteOnWorkerThread({ dataDir: await dataDirCopy('closed'), location: 'closed' });
    await pglite.close();
    const error = await pglite.query('select 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('PGlite is closed');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('keeps what was committed in DATA_DIR across a close and a reopen', async () => {
    const dataDir = await dataDirCopy('data');
    const first = await createDb({ DATA_DIR: dataDir });
    const firstDb = first.db as unknown as Kysely<Scratch>;
    await sql`create table counter (id int primary key, value int not null)`.execute(firstDb);
    await sql`insert into counter values (1, 41)`.execute(firstDb);
    await first.db.destroy();
    const second = await createDb({ DATA_DIR: dataDir });
    const row = await (second.db as unknown as Kysely<Scratch>).selectFrom('counter').select('value').executeTakeFirstOrThrow();
    expect(row.value).toBe(41);
    await second.db.destroy();
  });
});
