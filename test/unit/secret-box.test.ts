import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretsKey, SecretsKeyError } from '../../src/platform/secret-box.js';
import { loadConfig } from '../../src/config.js';

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('hex');

describe('secret box (AES-256-GCM under SECRETS_KEY)', () => {
  it('reads 32-byte keys as base64 or hex and nothing else', () => {
    expect(parseSecretsKey(KEY_A)?.length).toBe(32);
    expect(parseSecretsKey(KEY_B)?.length).toBe(32);
    expect(parseSecretsKey(randomBytes(32).toString('base64url'))?.length).toBe(32);
    expect(parseSecretsKey('too-short')).toBeUndefined();
    expect(parseSecretsKey(randomBytes(16).toString('hex'))).toBeUndefined();
  });

  it('stores ciphertext that never contains the plaintext, and opens it again', () => {
    const box = createSecretBox({ current: KEY_A });
    const secret = 'download-signing-key-plaintext-0123456789';
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64'));
    expect(sealed).not.toContain(KEY_A);
    expect(sealed).toMatch(/^enc:v1:/);
    expect(box.seal(secret)).not.toBe(sealed); // a fresh IV every time
    expect(box.open(sealed)).toBe(secret);
    expect(box.isCurrent(sealed)).toBe(true);
  });

  it('refuses a wrong key with an error naming the variable, never the value; the previous key opens old values', () => {
    const sealed = createSecretBox({ current: KEY_A }).seal('s3cret');
    const wrong = createSecretBox({ current: KEY_B });
    expect(() => wrong.open(sealed)).toThrow(SecretsKeyError);
    try {
      wrong.open(sealed);
    } catch (error) {
      expect((error as Error).message).toContain('SECRETS_KEY');
      expect((error as Error).message).not.toContain(KEY_A);
      expect((error as Error).message).not.toContain(KEY_B);
    }
    expect(() => createSecretBox({}).open(sealed)).toThrow(/SECRETS_KEY is not set/);
    const changing = createSecretBox({ current: KEY_B, previous: KEY_A });
    expect(changing.open(sealed)).toBe('s3cret');
    expect(changing.isCurrent(sealed)).toBe(false);
    // A tampered ciphertext does not open either.
    expect(() => createSecretBox({ current: KEY_A }).open(sealed.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toThrow(SecretsKeyError);
  });

  it('passes values stored before SECRETS_KEY was set through unchanged', () => {
    expect(createSecretBox({ current: KEY_A }).open('legacy-plain-key')).toBe('legacy-plain-key');
    expect(createSecretBox({ current: KEY_A }).isCurrent('legacy-plain-key')).toBe(false);
    expect(createSecretBox({}).seal('plain')).toBe('plain');
  });

  it('config refuses a malformed SECRETS_KEY naming the variable, not the value', () => {
    const bad = 'not-a-valid-key-but-a-secret-nonetheless';
    expect(() => loadConfig({ SECRETS_KEY: bad })).toThrow(/SECRETS_KEY: must be 32 bytes/);
    try {
      loadConfig({ SECRETS_KEY: bad });
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
    expect(() => loadConfig({ SECRETS_KEY_PREVIOUS: KEY_A })).toThrow(/SECRETS_KEY_PREVIOUS/);
    expect(loadConfig({ SECRETS_KEY: KEY_A, SECRETS_KEY_PREVIOUS: KEY_B }).SECRETS_KEY).toBe(KEY_A);
  });
});
