import type { Db } from '../schema.js';

export async function insertApiToken(
  db: Db,
  t: { id: string; partnerId: string; name: string; tokenHash: string; tokenPrefix: string; scopes: readonly string[] },
): Promise<boolean> {
  const inserted = await db
    .insertInto('api_tokens')
    .values({ id: t.id, partner_id: t.partnerId, name: t.name, token_hash: t.tokenHash, token_prefix: t.tokenPrefix, scopes: JSON.stringify(t.scopes), revoked_at: null })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export const findActiveTokenByHash = (db: Db, tokenHash: string) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('partners', 'partners.id', 'api_tokens.partner_id')
    .select(['api_tokens.id', 'api_tokens.name', 'api_tokens.scopes', 'api_tokens.partner_id'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();

export const listApiTokens = (db: Db) =>
  db.selectFrom('api_tokens').select(['id', 'partner_id', 'name', 'token_prefix', 'scopes', 'created_at', 'revoked_at']).orderBy('created_at').execute();

export async function revokeApiToken(db: Db, id: string, at: Date): Promise<boolean> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
