import { sql, type Kysely } from 'kysely';

/**
 * Signing keys rotate: the replaced key stays (renamed) until retire_after, so links it signed keep
 * working until they expire. Null: a key that does not retire (the current one).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table app_secrets add column retire_after timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table app_secrets drop column retire_after`.execute(db);
}
