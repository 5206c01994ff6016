import { sql, type Kysely } from 'kysely';

/**
 * Sign-ins under way carry the (hashed) address of the client that began them, so one client holds a
 * bounded number at a time: an unauthenticated loop of GET /auth/login replaces its own oldest rows
 * instead of filling the table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table oidc_sign_ins add column client_key text not null default ''`.execute(db);
  await sql`create index oidc_sign_ins_client on oidc_sign_ins (client_key, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists oidc_sign_ins_client`.execute(db);
  await sql`alter table oidc_sign_ins drop column client_key`.execute(db);
}
