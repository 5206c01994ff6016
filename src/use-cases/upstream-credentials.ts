import { createHash } from 'node:crypto';
import { findSecret, upsertSecret } from '../db/repositories/app-secrets.js';
import type { SecretBox } from '../platform/secret-box.js';
import type { Clock } from '../ports.js';
import type { Store } from './store.js';

/** Where the newest Webex refresh token lives, sealed under SECRETS_KEY like every stored secret. */
export const WEBEX_REFRESH_TOKEN_SECRET = 'webex.wholesale.refresh_token';

/**
 * The OAuth integration's refresh token: Webex may hand out a new one with each access token, and the
 * old one then stops working, so the newest is stored (sealed) and read back before every refresh, by
 * every instance and after a restart. It is tied to the configured WEBEX_REFRESH_TOKEN it descends
 * from (by a hash, never the token): an operator who configures a new one starts a new line.
 */
export function createRefreshTokenStore(store: Store, box: SecretBox, configured: string, clock: Clock) {
  const lineage = createHash('sha256').update('webex refresh token lineage').update(configured).digest('hex').slice(0, 16);
  return {
    async load(): Promise<string> {
      const stored = await findSecret(store, WEBEX_REFRESH_TOKEN_SECRET);
      if (!stored) return configured;
      const value = JSON.parse(box.open(stored)) as { lineage?: string; token?: string };
      return value.lineage === lineage && value.token ? value.token : configured;
    },
    async save(token: string): Promise<void> {
      await upsertSecret(store, WEBEX_REFRESH_TOKEN_SECRET, box.seal(JSON.stringify({ lineage, token })), clock.now());
    },
  };
}
