import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { BotReply } from './bot-command.js';
import { toConsoleMessage, toOutgoingMessages } from './outgoing.js';

/** Posts into a console space: the page picks the messages up from GET /v1/console/inbox. */
export async function postToConsoleInbox(db: Kysely<Database>, space: { spaceId: string; partnerId: string }, reply: BotReply, now: Date): Promise<void> {
  const rows = toOutgoingMessages(reply).map((m) => ({ partner_id: space.partnerId, space_id: space.spaceId, message: JSON.stringify(toConsoleMessage(m)), created_at: now }));
  await db.insertInto('console_inbox').values(rows).execute();
}
