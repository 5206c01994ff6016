import { sql, type Kysely } from 'kysely';

/**
 * Lines of a class were indexed whole; nearly every line of a reconciliation is a match, and keeping
 * that index cost a third of storing 200,000 lines. Only the differences are indexed now (the lists
 * that filter by class ask for differences; matches are read in key order through the primary key).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists reconciliation_lines_class`.execute(db);
  await sql`create index reconciliation_lines_differences on reconciliation_lines (reconciliation_id, class, package, entity_id, location_id)
    where class <> 'match'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists reconciliation_lines_differences`.execute(db);
  await sql`create index reconciliation_lines_class on reconciliation_lines (reconciliation_id, class, package, entity_id, location_id)`.execute(
    db,
  );
}
