import type { SubscriberStatus } from '../../domain/lifecycle.js';
import type { Db, SubscriberRow } from '../schema.js';
import type { SubscriberPatch } from './subscribers.js';

/**
 * Writes a subscriber's status with the columns that change with it. Only `moveSubscriber` imports
 * this (the dependency rule says so): it checks the state machine first and emits the event.
 */
export async function writeSubscriberStatus(
  db: Db,
  id: string,
  status: SubscriberStatus,
  at: Date,
  patch: SubscriberPatch,
): Promise<SubscriberRow> {
  return db
    .updateTable('subscribers')
    .set({ ...patch, status, last_status_change: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
