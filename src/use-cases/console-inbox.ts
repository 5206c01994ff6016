import type { z } from 'zod';
import type { ConsoleChatMessage, consoleInboxSchema } from '../contracts/console-session.js';
import { insertConsoleMessages, listConsoleInbox } from '../db/repositories/console-inbox.js';
import type { Store } from './store.js';

/**
 * One inbox message as `GET /v1/console/inbox` answers it (the contract's item). The message is read back as
 * `postConsoleMessages` stored it: only chat messages of the contract's shape are ever written (the column's type).
 */
export type ConsoleInboxItem = z.infer<typeof consoleInboxSchema>['items'][number];

/** What the bot posted to a console space on its own, after the last message the page has. */
export async function readConsoleInbox(store: Store, spaceId: string, afterId: number): Promise<ConsoleInboxItem[]> {
  return (await listConsoleInbox(store, spaceId, afterId)).map((r) => ({
    id: Number(r.id),
    message: r.message,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Posts messages into a console space: the page picks them up from GET /v1/console/inbox. */
export const postConsoleMessages = (
  db: Store,
  space: { spaceId: string; partnerId: string },
  messages: readonly ConsoleChatMessage[],
  now: Date,
): Promise<void> => insertConsoleMessages(db, space, messages, now);
