import type { Db } from '../schema.js';

/** Queues messages for a console space; the page picks them up from GET /v1/console/inbox. */
export async function insertConsoleMessages(db: Db, space: { spaceId: string; partnerId: string }, messages: readonly Record<string, unknown>[], at: Date): Promise<void> {
  if (messages.length === 0) return;
  await db.insertInto('console_inbox').values(messages.map((m) => ({ partner_id: space.partnerId, space_id: space.spaceId, message: JSON.stringify(m), created_at: at }))).execute();
}
