import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets stored in the database (download-link signing keys) are sealed with AES-256-GCM under
 * SECRETS_KEY. A sealed value names the key it was sealed under by a short fingerprint (never the
 * key), so a key change can decrypt with SECRETS_KEY_PREVIOUS until everything is re-encrypted.
 * A value without the prefix is a secret stored before SECRETS_KEY was set: read as it is.
 */
const PREFIX = 'enc:v1:';
/** Binds the ciphertext to its purpose: a sealed value copied into another table does not open. */
const AAD = Buffer.from('wholesale-desk app secret');

/** The stored secrets cannot be opened with the configured keys; the message names variables only. */
export class SecretsKeyError extends Error {
  override readonly name = 'SecretsKeyError';
}

/** 32 bytes written as 64 hex digits or as base64 (or base64url); undefined when it is neither. */
export function parseSecretsKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

export interface SecretBox {
  /** False without SECRETS_KEY: secrets are stored as they are. */
  readonly encrypting: boolean;
  seal(plaintext: string): string;
  open(stored: string): string;
  /** True when the stored value is sealed under the current key (or stored plain and there is no key). */
  isCurrent(stored: string): boolean;
}

const fingerprint = (key: Buffer) => createHash('sha256').update('wholesale-desk secrets key id').update(key).digest('hex').slice(0, 12);

export function createSecretBox(keys: { current?: string | undefined; previous?: string | undefined }): SecretBox {
  const toKey = (text: string | undefined, variable: string) => {
    if (text === undefined) return undefined;
    const key = parseSecretsKey(text);
    if (!key) throw new SecretsKeyError(`${variable}: must be 32 bytes written as base64 or 64 hex digits`);
    return { key, id: fingerprint(key) };
  };
  const current = toKey(keys.current, 'SECRETS_KEY');
  const previous = toKey(keys.previous, 'SECRETS_KEY_PREVIOUS');
  if (previous && !current) throw new SecretsKeyError('SECRETS_KEY_PREVIOUS: only meaningful with SECRETS_KEY (the new key) set');

  const wrongKey = () =>
    new SecretsKeyError(
      current
        ? 'SECRETS_KEY does not decrypt the stored secrets; while changing the key, set SECRETS_KEY_PREVIOUS to the key they were stored under and run `npm run cli -- secrets reencrypt`'
        : 'SECRETS_KEY is not set, but the stored secrets are encrypted; set SECRETS_KEY to the key they were stored under',
    );

  return {
    encrypting: current !== undefined,
    seal(plaintext) {
      if (!current) return plaintext;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(AAD);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${PREFIX}${current.id}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const [id, iv, tag, body] = stored.slice(PREFIX.length).split(':');
      const match = [current, previous].find((k) => k?.id === id);
      if (!match || iv === undefined || tag === undefined || body === undefined) throw wrongKey();
      try {
        const decipher = createDecipheriv('aes-256-gcm', match.key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(AAD);
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw wrongKey();
      }
    },
    isCurrent(stored) {
      if (!current) return !stored.startsWith(PREFIX);
      return stored.startsWith(`${PREFIX}${current.id}:`);
    },
  };
}
