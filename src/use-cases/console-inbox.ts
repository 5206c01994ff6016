import { insertConsoleMessages, listConsoleInbox } from '../db/repositories/console-inbox.js';
import type { Store } from './store.js';

/** What the bot posted to a console space on its own, after the last message the page has. */
export const readConsoleInbox = (store: Store, spaceId: string, afterId: number) => listConsoleInbox(store, spaceId, afterId);

/** Posts messages into a console space: the page picks them up from GET /v1/console/inbox. */
export const postConsoleMessages = (
  db: Store,
  space: { spaceId: string; partnerId: string },
  messages: readonly Record<string, unknown>[],
  now: Date,
): Promise<void> => insertConsoleMessages(db, space, messages, now);
