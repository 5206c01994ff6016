import { BASE_SLOT, toLedgerInstant } from '../../domain/ledger.js';
import type { Db } from '../schema.js';

export interface PackageEvent {
  /** The holder: a subscriber, or (with workspaceId) nobody. */
  subscriberId: string | null;
  workspaceId?: string | undefined;
  /** The stream: 'base' (default) or an add-on's id. */
  slot?: string | undefined;
  customerId: string;
  partnerId: string;
  /** null: from this instant on the holder holds nothing in this slot (in 'base': it is gone). */
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
      workspace_id: e.workspaceId ?? null,
      slot: e.slot ?? BASE_SLOT,
      customer_id: e.customerId,
      partner_id: e.partnerId,
      package: e.package,
      effective_at: toLedgerInstant(e.effectiveAt),
      recorded_at: e.recordedAt,
      cause: e.cause,
    })
    .execute();
}

/** What the subscriber holds now in a slot: the package of its latest fact there by effective time (ties: latest recorded). */
export async function currentPackage(db: Db, subscriberId: string, slot = BASE_SLOT): Promise<string | null> {
  const row = await db
    .selectFrom('package_events')
    .select('package')
    .where('subscriber_id', '=', subscriberId)
    .where('slot', '=', slot)
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.package ?? null;
}

/** The add-on slots a subscriber's ledger has ever had a fact in. */
export async function listAddOnSlots(db: Db, subscriberId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('package_events')
    .select('slot')
    .distinct()
    .where('subscriber_id', '=', subscriberId)
    .where('slot', '<>', BASE_SLOT)
    .execute();
  return rows.map((r) => r.slot);
}

export const listPackageEvents = (db: Db, subscriberId: string) =>
  db.selectFrom('package_events').selectAll().where('subscriber_id', '=', subscriberId).orderBy('effective_at').orderBy('id').execute();

/** True once any subscriber of the customer has held a package (billing has started). */
export async function hasPackageEvents(db: Db, customerId: string): Promise<boolean> {
  const row = await db.selectFrom('package_events').select('id').where('customer_id', '=', customerId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Removals (end-of-holding facts of subscribers and workspaces, not dropped add-ons) of the partner effective in [from, to). */
export async function countRemovalsBetween(db: Db, partnerId: string, from: Date, to: Date): Promise<number> {
  const r = await db
    .selectFrom('package_events')
    .select(db.fn.countAll<string>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('package', 'is', null)
    .where('slot', '=', BASE_SLOT)
    .where('effective_at', '>=', from)
    .where('effective_at', '<', to)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
