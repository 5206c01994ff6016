import { insertConsoleMessages } from '../db/repositories/console-inbox-messages.js';
import type { Store } from './store.js';

/** Posts messages into a console space: the page picks them up from GET /v1/console/inbox. */
export const postConsoleMessages = (db: Store, space: { spaceId: string; partnerId: string }, messages: readonly Record<string, unknown>[], now: Date): Promise<void> =>
  insertConsoleMessages(db, space, messages, now);
