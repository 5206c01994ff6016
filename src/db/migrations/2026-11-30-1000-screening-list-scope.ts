import { sql, type Kysely } from 'kysely';

/**
 * Loading the screening list gets a scope of its own, held only by the root partner's tokens (every
 * tenant is screened against the list). Root tokens that could load it before (the admin scope)
 * keep that power; sub-partner tokens lose it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update api_tokens set scopes = scopes || '["wholesale-desk:screening_list"]'::jsonb
    where scopes ? 'wholesale-desk:admin' and not scopes ? 'wholesale-desk:screening_list'
      and partner_id in (select id from partners where parent_id is null)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update api_tokens set scopes = scopes - 'wholesale-desk:screening_list' where scopes ? 'wholesale-desk:screening_list'`.execute(
    db,
  );
}
