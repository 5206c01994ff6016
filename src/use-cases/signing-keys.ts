import {
  deleteRetiredSecrets,
  insertSecret,
  listLiveSecrets,
  lockAllSecrets,
  replaceSecretValue,
  retireSecret,
} from '../db/repositories/app-secrets.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { SecretBox } from '../platform/secret-box.js';
import { listAllWebhookSecrets, lockAllWebhookSecrets, replaceWebhookSecret } from '../db/repositories/webhook-subscriptions.js';
import type { Clock, IdSource } from '../ports.js';
import { runInTransaction } from '../db/run-in-transaction.js';
import type { Store } from './store.js';

/** The app_secrets row holding the key that signs download links today. */
export const DOWNLOAD_KEY_NAME = 'download_url';
/** A download link lives 30 minutes from the GET that handed it out. */
export const DOWNLOAD_LINK_TTL_SECONDS = 30 * 60;
/** How long an instance keeps using the keys it read before it reads them again. */
export const DOWNLOAD_KEYS_CACHE_MS = 30_000;

export interface DownloadKeys {
  /** Signs new links. */
  signing: string;
  /** The signing key and every replaced key whose links may still be alive. */
  verifying: string[];
}

export interface DownloadKeyring {
  keys(): Promise<DownloadKeys>;
}

/**
 * The download-link keys as stored, decrypted, re-read every DOWNLOAD_KEYS_CACHE_MS so a rotation by
 * the CLI reaches every running instance. While the database cannot be read, the last keys read serve.
 */
export function createDownloadKeyring(db: Store, box: SecretBox, clock: Clock, cacheMs = DOWNLOAD_KEYS_CACHE_MS): DownloadKeyring {
  let cached: { keys: DownloadKeys; readAt: number } | undefined;
  return {
    async keys() {
      const now = clock.now();
      if (cached && Math.abs(now.getTime() - cached.readAt) < cacheMs) return cached.keys;
      try {
        const rows = await listLiveSecrets(db, DOWNLOAD_KEY_NAME, now);
        const current = rows.find((r) => r.name === DOWNLOAD_KEY_NAME);
        if (!current) throw new Error('the download-link signing key is missing from app_secrets');
        const signing = box.open(current.value);
        const keys = { signing, verifying: [signing, ...rows.filter((r) => r !== current).map((r) => box.open(r.value))] };
        cached = { keys, readAt: now.getTime() };
        return keys;
      } catch (error) {
        if (cached && !(error instanceof Error && error.name === 'SecretsKeyError')) return cached.keys;
        throw error;
      }
    },
  };
}

/**
 * A new signing key; the replaced one keeps verifying for a link's lifetime plus the keyring cache
 * (an instance may sign with it until its cache expires), then it is deleted on a later rotation.
 */
export async function rotateDownloadKey(db: Store, box: SecretBox, deps: { clock: Clock; ids: IdSource }): Promise<{ retireAfter: Date }> {
  const now = deps.clock.now();
  const retireAfter = new Date(now.getTime() + DOWNLOAD_LINK_TTL_SECONDS * 1000 + DOWNLOAD_KEYS_CACHE_MS);
  await runInTransaction(db, async (trx) => {
    await deleteRetiredSecrets(trx, now);
    await retireSecret(trx, DOWNLOAD_KEY_NAME, `${DOWNLOAD_KEY_NAME}.retired.${deps.ids.uuid()}`, retireAfter);
    await insertSecret(trx, DOWNLOAD_KEY_NAME, box.seal(deps.ids.secret(32)), now);
  });
  return { retireAfter };
}

/** Seals every stored secret under SECRETS_KEY (opening it with SECRETS_KEY or SECRETS_KEY_PREVIOUS). */
export async function reencryptSecrets(db: Store, box: SecretBox): Promise<Result<{ reencrypted: number; total: number }>> {
  if (!box.encrypting) {
    return fail(problem('invalid_request', 'SECRETS_KEY is not set: set it (and SECRETS_KEY_PREVIOUS during a key change) first'));
  }
  return runInTransaction(db, async (trx) => {
    const rows = await lockAllSecrets(trx);
    let reencrypted = 0;
    for (const row of rows) {
      if (box.isCurrent(row.value)) continue;
      await replaceSecretValue(trx, row.name, box.seal(box.open(row.value)));
      reencrypted += 1;
    }
    const hooks = await lockAllWebhookSecrets(trx);
    for (const hook of hooks) {
      if (box.isCurrent(hook.secret)) continue;
      await replaceWebhookSecret(trx, hook.id, box.seal(box.open(hook.secret)));
      reencrypted += 1;
    }
    return ok({ reencrypted, total: rows.length + hooks.length });
  });
}

/** Stored secrets not yet sealed under the current key (a start-up warning names `secrets reencrypt`). */
export async function countSecretsToReencrypt(db: Store, box: SecretBox, now: Date): Promise<number> {
  const rows = await listLiveSecrets(db, DOWNLOAD_KEY_NAME, now);
  const hooks = await listAllWebhookSecrets(db);
  return rows.filter((r) => !box.isCurrent(r.value)).length + hooks.filter((h) => !box.isCurrent(h.secret)).length;
}
