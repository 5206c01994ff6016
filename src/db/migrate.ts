import { type Kysely, Migrator, sql } from 'kysely';
import { migrations } from './migrations/index.js';

/**
 * This release, as the database records it: the name of its newest migration. Every release adds at
 * least one migration, so the name tells releases apart without a version file to keep in step.
 */
export const THIS_RELEASE = Object.keys(migrations).sort().at(-1) as string;

/**
 * The database was migrated by a newer release than this one: running on it would meet tables and
 * rules this code does not know. Start and CLI print the message (one line) and exit 2.
 */
export class NewerDatabaseError extends Error {
  override readonly name = 'NewerDatabaseError';
}

/** Brings the schema up to date; safe on every start and on several instances at once (kysely locks). */
export async function migrateToLatest(db: Kysely<any>, now: () => Date = () => new Date()): Promise<string[]> {
  await refuseNewerDatabase(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  await recordRelease(db, applied, now());
  return applied;
}

const tableExists = async (db: Kysely<any>, name: string) =>
  (await sql<{ t: string | null }>`select to_regclass(${name})::text as t`.execute(db)).rows[0]?.t != null;

/**
 * Refuses a database holding migrations this release does not know, naming the release that applied
 * them (from release_history, when that release kept one) and the way back. Checked before migrating,
 * so nothing is written.
 */
export async function refuseNewerDatabase(db: Kysely<any>): Promise<void> {
  if (!(await tableExists(db, 'kysely_migration'))) return;
  const known = new Set(Object.keys(migrations));
  const done = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  const unknown = done.rows.map((r) => r.name).filter((n) => !known.has(n));
  if (unknown.length === 0) return;
  let newer = `a release whose newest migration is ${unknown.at(-1)}`;
  if (await tableExists(db, 'release_history')) {
    const last = (
      await sql<{ release: string; migrated_at: Date | string }>`
        select release, migrated_at from release_history order by migrated_at desc limit 1`.execute(db)
    ).rows[0];
    if (last && !known.has(last.release)) newer = `release ${last.release} on ${new Date(last.migrated_at).toISOString().slice(0, 10)}`;
  }
  throw new NewerDatabaseError(
    `this database was migrated by a newer release of Wholesale Desk (${newer}); this is release ${THIS_RELEASE}, ` +
      `which does not know ${unknown.length === 1 ? 'its migration' : `its ${unknown.length} newer migrations`} and changes nothing. ` +
      'Run that release or a later one, or, to go back, restore the backup taken before the upgrade (docs/operations.md, "Upgrading").',
  );
}

/** Notes this release in release_history when it migrated something, or when it is not the last one noted. */
async function recordRelease(db: Kysely<any>, applied: string[], at: Date): Promise<void> {
  const last = (await sql<{ release: string }>`select release from release_history order by migrated_at desc limit 1`.execute(db)).rows[0];
  if (applied.length === 0 && last?.release === THIS_RELEASE) return;
  await sql`insert into release_history (migrated_at, release, applied) values (${at}, ${THIS_RELEASE}, ${JSON.stringify(applied)}::jsonb)`.execute(
    db,
  );
}
