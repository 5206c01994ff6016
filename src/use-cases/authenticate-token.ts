import { findActiveTokenByHash } from '../db/repositories/api-tokens.js';
import { hashToken } from '../platform/token-hash.js';
import type { Store } from './store.js';

/** The live token a bearer value names, with its partner; tokens are stored only as hashes. */
export const findTokenHolder = (store: Store, bearer: string) => findActiveTokenByHash(store, hashToken(bearer));
