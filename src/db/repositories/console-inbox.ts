import type { ConsoleChatMessage } from '../../contracts/console-session.js';
import type { Db } from '../schema.js';

/** Messages posted to a console space after `afterId`, oldest first, 50 at a time. */
export const listConsoleInbox = (db: Db, spaceId: string, afterId: number) =>
  db
    .selectFrom('console_inbox')
    .select(['id', 'message', 'created_at'])
    .where('space_id', '=', spaceId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(50)
    .execute();

/** Queues messages for a console space; the page picks them up from GET /v1/console/inbox. */
export async function insertConsoleMessages(
  db: Db,
  space: { spaceId: string; partnerId: string },
  messages: readonly ConsoleChatMessage[],
  at: Date,
): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('console_inbox')
    .values(messages.map((m) => ({ partner_id: space.partnerId, space_id: space.spaceId, message: JSON.stringify(m), created_at: at })))
    .execute();
}
