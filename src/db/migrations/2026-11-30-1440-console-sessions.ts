import { sql, type Kysely } from 'kysely';

/**
 * Per-person console sign-in (OpenID Connect): the sign-ins under way (state, PKCE verifier, nonce;
 * each taken once) and the sessions they open. A session is stored by the hash of its cookie, never
 * the cookie itself.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table oidc_sign_ins (
    state_hash text primary key,
    code_verifier text not null,
    nonce text not null,
    return_to text not null,
    created_at timestamptz not null
  )`.execute(db);
  await sql`create table console_sessions (
    id_hash text primary key,
    partner_id text not null references partners(id),
    staff_id text not null references staff(id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    ended_at timestamptz
  )`.execute(db);
  await sql`create index console_sessions_staff on console_sessions (partner_id, staff_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table console_sessions`.execute(db);
  await sql`drop table oidc_sign_ins`.execute(db);
}
