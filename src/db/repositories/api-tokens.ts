import type { Db, PartnerRow } from '../schema.js';

export async function insertApiToken(
  db: Db,
  t: { id: string; partnerId: string; name: string; tokenHash: string; tokenPrefix: string; scopes: readonly string[] },
): Promise<boolean> {
  const inserted = await db
    .insertInto('api_tokens')
    .values({
      id: t.id,
      partner_id: t.partnerId,
      name: t.name,
      token_hash: t.tokenHash,
      token_prefix: t.tokenPrefix,
      scopes: JSON.stringify(t.scopes),
      revoked_at: null,
    })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The active token with its partner, in one round trip (every API call does this). */
export async function findActiveTokenByHash(
  db: Db,
  tokenHash: string,
): Promise<{ token: { id: string; name: string; scopes: string[] }; partner: PartnerRow } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('partners', 'partners.id', 'api_tokens.partner_id')
    .selectAll('partners')
    .select(['api_tokens.id as token_id', 'api_tokens.name as token_name', 'api_tokens.scopes as token_scopes'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_id, token_name, token_scopes, ...partner } = row;
  return { token: { id: token_id, name: token_name, scopes: token_scopes }, partner };
}

export const listApiTokens = (db: Db) =>
  db
    .selectFrom('api_tokens')
    .select(['id', 'partner_id', 'name', 'token_prefix', 'scopes', 'created_at', 'revoked_at'])
    .orderBy('created_at')
    .execute();

/** One partner's tokens (the console's Staff & tokens page). */
export const listApiTokensOf = (db: Db, partnerId: string) =>
  db
    .selectFrom('api_tokens')
    .select(['id', 'partner_id', 'name', 'token_prefix', 'scopes', 'created_at', 'revoked_at'])
    .where('partner_id', '=', partnerId)
    .orderBy('created_at')
    .execute();

/** Revokes an active token of this partner only; false when it has none with this id. */
export async function revokeApiTokenOf(db: Db, partnerId: string, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('partner_id', '=', partnerId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function revokeApiToken(db: Db, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
