import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type DbHandle } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const testDbKind = (): 'pglite' | 'postgres' => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite');

/**
 * For a file whose subject does not depend on the database (the Webex transport, the CLI's exit codes,
 * rate limiting, start-up key checks): true in one of the two runs only, on PostgreSQL when the suite
 * has it (starts there take seconds, on a fresh PGlite data directory tens of seconds), else on PGlite.
 */
export const runsOnceAcrossDatabases = (): boolean => testDbKind() === (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');

export interface TestDatabase {
  /** DATABASE_URL of the fresh PostgreSQL database, or undefined on PGlite. */
  url: string | undefined;
  open(opts?: { migrate?: boolean }): Promise<DbHandle>;
  /** Drops the PostgreSQL database (PGlite memory needs nothing). */
  dispose(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (for example postgres://postgres@127.0.0.1:5432/test)');
  return url;
}

/** A fresh, empty database for one test file: in-memory PGlite, or a new PostgreSQL database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind() === 'pglite') {
    return {
      url: undefined,
      async open(opts = {}) {
        const handle = await createDb({ DATA_DIR: 'memory://' });
        if (opts.migrate !== false) await migrateToLatest(handle.db);
        return handle;
      },
      async dispose() {},
    };
  }
  const base = new URL(adminUrl());
  const name = `wd_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async open(opts = {}) {
      const handle = await createDb({ DATABASE_URL: url.toString(), DATA_DIR: 'unused' });
      if (opts.migrate !== false) await migrateToLatest(handle.db);
      return handle;
    },
    async dispose() {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
