import { findActiveTokenByHash } from '../db/repositories/api-tokens.js';
import { hashToken } from '../platform/token-hash.js';
import type { Store } from './store.js';
import { type ActingPartner, toActingPartner } from './partner-views.js';

/** A live API token and the partner it acts as. */
export interface TokenHolder {
  token: { id: string; name: string; scopes: string[] };
  partner: ActingPartner;
}

/** The live token a bearer value names, with its partner; tokens are stored only as hashes. */
export async function findTokenHolder(store: Store, bearer: string): Promise<TokenHolder | undefined> {
  const found = await findActiveTokenByHash(store, hashToken(bearer));
  return found && { token: found.token, partner: toActingPartner(found.partner) };
}
