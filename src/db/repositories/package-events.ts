import { toLedgerInstant } from '../../domain/ledger.js';
import type { Db } from '../schema.js';

export interface PackageEvent {
  subscriberId: string;
  customerId: string;
  partnerId: string;
  /** null: from this instant on the subscriber holds nothing. */
  package: string | null;
  effectiveAt: Date;
  recordedAt: Date;
  cause: string;
}

export async function appendPackageEvent(db: Db, e: PackageEvent): Promise<void> {
  await db
    .insertInto('package_events')
    .values({
      subscriber_id: e.subscriberId,
      customer_id: e.customerId,
      partner_id: e.partnerId,
      package: e.package,
      effective_at: toLedgerInstant(e.effectiveAt),
      recorded_at: e.recordedAt,
      cause: e.cause,
    })
    .execute();
}

/** What the subscriber holds now: the package of its latest event by effective time (ties: latest recorded). */
export async function currentPackage(db: Db, subscriberId: string): Promise<string | null> {
  const row = await db
    .selectFrom('package_events')
    .select('package')
    .where('subscriber_id', '=', subscriberId)
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.package ?? null;
}

export const listPackageEvents = (db: Db, subscriberId: string) =>
  db.selectFrom('package_events').selectAll().where('subscriber_id', '=', subscriberId).orderBy('effective_at').orderBy('id').execute();
