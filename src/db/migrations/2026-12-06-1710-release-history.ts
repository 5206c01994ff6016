import { sql, type Kysely } from 'kysely';

/**
 * Which release migrated the database and when: a release started on a database that a newer one
 * migrated names that newer release (its newest migration) and refuses to run, rather than meeting
 * migrations it does not know.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table release_history (
    migrated_at timestamptz not null,
    release text not null,
    applied jsonb not null
  )`.execute(db);
  await sql`create index release_history_time on release_history (migrated_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table release_history`.execute(db);
}
