import { createHash } from 'node:crypto';

/** API tokens are 256-bit random secrets, so a fast hash is safe to store (no guessing to slow down). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const TOKEN_PREFIX = 'wdk_';
