import { sql, type Kysely } from 'kysely';

/**
 * The console's audit log reads one partner's entries newest first, page by page; without this index
 * every page sorts the partner's whole history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_log_partner_at on audit_log (partner_id, at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists audit_log_partner_at`.execute(db);
}
