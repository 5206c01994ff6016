import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const testDbKind = (): 'pglite' | 'postgres' => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite');

/**
 * For a file whose subject does not depend on the database (the Webex transport, the CLI's exit codes,
 * rate limiting, start-up key checks): true in one of the two runs only, on PostgreSQL when the suite
 * has it (starts there take seconds, on a fresh PGlite data directory tens of seconds), else on PGlite.
 * Such a file is listed in test/database-coverage.ts, which runs it in that one project only.
 */
export const runsOnceAcrossDatabases = (): boolean => testDbKind() === (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');

export interface TestDatabase {
  /** DATABASE_URL of the fresh PostgreSQL database, or undefined on PGlite. */
  url: string | undefined;
  /**
   * A handle on the database. PGlite: every call opens a new database of its own, migrated (a copy of
   * the run's migrated template) unless `migrate: false` (then empty: a copy of the template initdb left).
   * PostgreSQL: the file's database,
   * migrated to the latest schema unless `migrate: false`.
   */
  open(opts?: { migrate?: boolean }): Promise<DbHandle>;
  /**
   * PGlite only: fills `dir` (absent or empty) with a migrated data directory, for a service started on
   * DATA_DIR=dir, so its start finds the schema instead of creating and migrating one. Answers `dir`.
   */
  migratedDataDir(dir: string): Promise<string>;
  /** Drops the PostgreSQL database and removes PGlite copies (PGlite memory needs nothing). */
  dispose(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL (for example postgres://postgres@127.0.0.1:5432/test)');
  return url;
}

/** The run's templates (test/support/migrated-templates.ts); absent when a file runs outside those projects. */
function provided<K extends 'pgliteTemplateDir' | 'pgliteEmptyTemplateDir' | 'pgliteCopiesDir' | 'postgresTemplate' | 'compiledSourcesDir'>(
  key: K,
): string | undefined {
  try {
    return inject(key);
  } catch {
    return undefined;
  }
}

/**
 * A copy of the migrated PGlite template (or, `empty`, of the one that has had initdb only) in a directory
 * of its own, or undefined without a template.
 */
async function copyPgliteTemplate(into?: string, { empty = false } = {}): Promise<string | undefined> {
  const template = provided(empty ? 'pgliteEmptyTemplateDir' : 'pgliteTemplateDir');
  const copies = provided('pgliteCopiesDir');
  if (!template || !copies) return undefined;
  const dir = into ?? join(await mkdtemp(join(copies, 'db-')), 'data');
  await copyDirectory(template, dir);
  return dir;
}

/**
 * Copies a data directory (about 1,200 files, 40 MB) with coreutils' cp: node's fs.cp walks and copies
 * file by file in JavaScript, 0.3 to 0.9 s of CPU per copy against 0.06 s for cp. `dir` must be absent or
 * empty (a service's DATA_DIR the test has not filled yet), as before: a data directory is never merged.
 */
async function copyDirectory(template: string, dir: string): Promise<void> {
  if (existsSync(dir) && (await readdir(dir)).length > 0)
    throw new Error(`${dir} is not empty: a template copy needs a directory of its own`);
  // cp -r into an existing directory would make a subdirectory of it: copy the template's contents then.
  await promisify(execFile)('cp', existsSync(dir) ? ['-r', `${template}/.`, dir] : ['-r', template, dir]);
}

/**
 * `createDb` for the PGlite databases a test file opens: from the run's compiled sources
 * (test/support/compiled-service.ts) when there are some, so PGlite's worker thread runs pglite-thread.js
 * instead of loading tsx to compile pglite-thread.ts (about 0.45 s of CPU per open); else from src. The
 * same source, compiled by the same esbuild as tsx would; the handle is the same Kysely (one kysely package).
 */
async function pgliteCreateDb(): Promise<typeof createDb> {
  const compiled = provided('compiledSourcesDir');
  if (!compiled) return createDb;
  const module = (await import(pathToFileURL(join(compiled, 'db/create-db.js')).href)) as { createDb: typeof createDb };
  return module.createDb;
}

/**
 * A fresh database for one test file: in-memory PGlite (or a copy of the migrated template), or a new
 * PostgreSQL database. PostgreSQL: empty unless `migrated` (then a clone of the run's migrated template,
 * which is what a file wants unless it tests migrating or a first start on an empty database).
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  if (testDbKind() === 'pglite') {
    const copies: string[] = [];
    return {
      url: undefined,
      async open(openOpts = {}) {
        const migrate = openOpts.migrate !== false;
        // Without migrations, a copy of the empty template: the database initdb leaves, without running
        // initdb again (seconds of CPU for each in-memory database).
        const copy = await copyPgliteTemplate(undefined, { empty: !migrate });
        if (copy) {
          copies.push(copy);
          // A copy of the migrated template is at the latest migration: the run migrated it from these
          // sources with migrateToLatest (test/support/migrated-templates.ts). Running it again here applied
          // nothing and cost about 0.5 s of CPU per open on PGlite (its lock and bookkeeping statements).
          return (await pgliteCreateDb())({ DATA_DIR: copy });
        }
        const handle = await (await pgliteCreateDb())({ DATA_DIR: 'memory://' });
        if (openOpts.migrate !== false) await migrateToLatest(handle.db);
        return handle;
      },
      async migratedDataDir(dir) {
        await copyPgliteTemplate(dir);
        return dir;
      },
      async dispose() {
        await Promise.all(copies.map((dir) => rm(join(dir, '..'), { recursive: true, force: true })));
      },
    };
  }
  const base = new URL(adminUrl());
  const name = `wd_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const template = opts.migrated ? provided('postgresTemplate') : undefined;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async open(openOpts = {}) {
      const handle = await createDb({ DATABASE_URL: url.toString(), DATA_DIR: 'unused' });
      // A clone of the migrated template has nothing to apply (see the PGlite branch above).
      if (openOpts.migrate !== false && !template) await migrateToLatest(handle.db);
      return handle;
    },
    async migratedDataDir(dir) {
      return dir;
    },
    async dispose() {
      const c = new pg.Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
