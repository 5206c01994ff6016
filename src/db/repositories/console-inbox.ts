import type { Db } from '../schema.js';

/** Messages posted to a console space after `afterId`, oldest first, 50 at a time. */
export const listConsoleInbox = (db: Db, spaceId: string, afterId: number) =>
  db.selectFrom('console_inbox').select(['id', 'message', 'created_at']).where('space_id', '=', spaceId).where('id', '>', afterId).orderBy('id').limit(50).execute();
