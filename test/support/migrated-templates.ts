import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../src/db/create-db.js';
import { migrateToLatest } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A closed PGlite data directory holding the migrated schema; test files open copies of it. */
    pgliteTemplateDir: string;
    /** A closed PGlite data directory after initdb, before any migration: what `open({ migrate: false })` copies. */
    pgliteEmptyTemplateDir: string;
    /** Root under which test files put their PGlite copies (removed with the template). */
    pgliteCopiesDir: string;
    /** A PostgreSQL database holding the migrated schema; test files clone it (`create database … template`). */
    postgresTemplate: string;
  }
}

/**
 * vitest globalSetup of the pglite and postgres projects: migrates one database per run, so each test
 * file starts from a copy instead of paying for its own migrations (on PGlite also for its own initdb,
 * which costs seconds per file). Files that test migrations themselves still get empty databases
 * (test-db.ts, `open({ migrate: false })` and `createTestDatabase()` without `migrated`).
 */
export default async function setupMigratedTemplates(project: TestProject): Promise<() => Promise<void>> {
  return project.name === 'postgres' ? setupPostgresTemplate(project) : setupPgliteTemplate(project);
}

async function setupPgliteTemplate(project: TestProject): Promise<() => Promise<void>> {
  // tmpfs when the machine has one: copies are written once per file and never need to reach a disk.
  const root = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'wd-pglite-template-'));
  const empty = join(root, 'empty');
  const template = join(root, 'template');
  const copies = join(root, 'copies');
  await mkdir(copies);
  try {
    // initdb once: the empty template, which the migrated one starts as a copy of. One query first: Kysely
    // closes (and so releases the directory lock and shuts PGlite down cleanly) only a database it used.
    const initdb = await createDb({ DATA_DIR: empty });
    try {
      await sql`select 1`.execute(initdb.db);
    } finally {
      await initdb.db.destroy();
    }
    await cp(empty, template, { recursive: true });
    const handle = await createDb({ DATA_DIR: template });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.db.destroy();
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  project.provide('pgliteTemplateDir', template);
  project.provide('pgliteEmptyTemplateDir', empty);
  project.provide('pgliteCopiesDir', copies);
  return () => rm(root, { recursive: true, force: true });
}

async function setupPostgresTemplate(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('the postgres project needs TEST_DATABASE_URL (for example postgres://postgres@127.0.0.1:5432/test)');
  // Named after the suite's own database, so two suites on one server never share a template.
  const base = new URL(adminUrl).pathname.slice(1) || 'postgres';
  const name = `${base.slice(0, 40)}_tpl_${process.pid}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    // Closed before any file clones it: PostgreSQL copies a template only while nobody is connected to it.
    const handle = await createDb({ DATABASE_URL: url.toString(), DATA_DIR: 'unused' });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.db.destroy();
    }
  } catch (error) {
    await admin(`drop database if exists ${name} with (force)`);
    throw error;
  }
  project.provide('postgresTemplate', name);
  return () => admin(`drop database if exists ${name} with (force)`);
}
