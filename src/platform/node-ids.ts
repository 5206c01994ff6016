import { randomBytes, randomUUID } from 'node:crypto';
import type { IdSource } from '../ports.js';

export const nodeIds: IdSource = {
  uuid: () => randomUUID(),
  secret: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};
