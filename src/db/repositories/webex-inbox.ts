import type { Db } from '../schema.js';

/** A Webex delivery as the inbox keeps it: `resource:event:data.id` and the body Webex posted. */
export interface StoredWebexEvent {
  key: string;
  payload: Record<string, unknown>;
}

/** Stores a delivery unless one with its key is already there; true when this call stored it. */
export async function insertWebexEvent(
  db: Db,
  e: StoredWebexEvent & { status: 'received' | 'done'; receivedAt: Date; handovers: number },
): Promise<boolean> {
  const row = await db
    .insertInto('webex_inbox')
    .values({ key: e.key, payload: JSON.stringify(e.payload), status: e.status, received_at: e.receivedAt, handovers: e.handovers })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Marks the event done if it is still waiting, or adds it done if it was never stored (websocket
 * events); true only for the first caller, so a redelivered or replayed event runs once.
 */
export async function claimWebexEvent(db: Db, e: StoredWebexEvent & { now: Date }): Promise<boolean> {
  const row = await db
    .insertInto('webex_inbox')
    .values({ key: e.key, payload: JSON.stringify(e.payload), status: 'done', received_at: e.now, done_at: e.now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ status: 'done', done_at: e.now }).where('webex_inbox.status', '=', 'received'))
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markWebexEventDone(db: Db, key: string, now: Date): Promise<void> {
  await db.updateTable('webex_inbox').set({ status: 'done', done_at: now }).where('key', '=', key).execute();
}

/** Gives up on waiting events received before `receivedBefore` or already handed over `maxHandovers` times. */
export async function abandonWebexEvents(db: Db, o: { receivedBefore: Date; maxHandovers: number; now: Date }): Promise<void> {
  await db
    .updateTable('webex_inbox')
    .set({ status: 'done', done_at: o.now })
    .where('status', '=', 'received')
    .where((eb) => eb.or([eb('received_at', '<', o.receivedBefore), eb('handovers', '>=', o.maxHandovers)]))
    .execute();
}

/** The waiting events received before `receivedBefore`, each counted as handed over once more. */
export async function takeWebexEventsToHandOver(db: Db, receivedBefore: Date): Promise<StoredWebexEvent[]> {
  return db
    .updateTable('webex_inbox')
    .set((eb) => ({ handovers: eb('handovers', '+', 1) }))
    .where('status', '=', 'received')
    .where('received_at', '<', receivedBefore)
    .returning(['key', 'payload'])
    .execute();
}
