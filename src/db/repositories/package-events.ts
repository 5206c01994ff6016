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

/** True once any subscriber of the customer has held a package (billing has started). */
export async function hasPackageEvents(db: Db, customerId: string): Promise<boolean> {
  const row = await db.selectFrom('package_events').select('id').where('customer_id', '=', customerId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Removals (end-of-holding facts) of the partner effective in [from, to). */
export async function countRemovalsBetween(db: Db, partnerId: string, from: Date, to: Date): Promise<number> {
  const r = await db
    .selectFrom('package_events')
    .select(db.fn.countAll<string>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('package', 'is', null)
    .where('effective_at', '>=', from)
    .where('effective_at', '<', to)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
