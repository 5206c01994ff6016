import { type Insertable, sql } from 'kysely';
import { BASE_SLOT, toLedgerInstant } from '../../domain/ledger.js';
import type { CustomersTable, Db, DriftRow, SubscribersTable, UpstreamDriftTable } from '../schema.js';

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table here. */
const CHUNK = 500;

const chunks = <T>(rows: readonly T[], size = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

/** Holds the partner's row until the transaction ends: two syncs of one partner run one after the other. */
export async function lockPartnerForSync(db: Db, partnerId: string): Promise<void> {
  await db.selectFrom('partners').select('id').where('id', '=', partnerId).forUpdate().executeTakeFirst();
}

export async function hasImportRun(db: Db, partnerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('upstream_sync_runs')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('mode', '=', 'import')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export const listSyncCustomers = (db: Db, partnerId: string) =>
  db
    .selectFrom('customers')
    .select(['id', 'external_id', 'webex_customer_id', 'status', 'packages'])
    .where('partner_id', '=', partnerId)
    .where('status', '<>', 'deleted')
    .execute();

export const listSyncSubscribers = (db: Db, partnerId: string) =>
  db
    .selectFrom('subscribers')
    .select(['id', 'customer_id', 'email', 'webex_subscriber_id', 'status', 'package', 'addons'])
    .where('partner_id', '=', partnerId)
    .where('status', '<>', 'deleted')
    .execute();

export async function insertCustomers(db: Db, rows: readonly Insertable<CustomersTable>[]): Promise<void> {
  for (const part of chunks(rows)) await db.insertInto('customers').values(part).execute();
}

/**
 * Inserts subscribers, skipping any whose email a live subscriber already holds (Webex users are
 * global, so another partner's desk may have it); answers the ones inserted. Emails are unique per
 * partner only (2026-12-06-1210), so another partner's are looked up first.
 */
export async function insertSubscribersSkippingTakenEmails(db: Db, rows: readonly Insertable<SubscribersTable>[]) {
  const inserted: { id: string; customer_id: string; partner_id: string; package: string; addons: string[]; status: string }[] = [];
  for (const all of chunks(rows)) {
    const taken = new Set(
      (
        await db
          .selectFrom('subscribers')
          .select('email')
          .where(
            'email',
            'in',
            all.map((r) => r.email),
          )
          .where('status', '<>', 'deleted')
          .execute()
      ).map((r) => r.email),
    );
    const part = all.filter((r) => !taken.has(r.email));
    if (part.length === 0) continue;
    inserted.push(
      ...(await db
        .insertInto('subscribers')
        .values(part)
        .onConflict((oc) => oc.columns(['partner_id', 'email']).where('status', '<>', 'deleted').doNothing())
        .returning(['id', 'customer_id', 'partner_id', 'package', 'addons', 'status'])
        .execute()),
    );
  }
  return inserted;
}

/** The first ledger facts of imported subscribers: from `at` on, each holds its base package and add-ons. */
export async function insertImportedHoldings(
  db: Db,
  holders: readonly { id: string; customer_id: string; partner_id: string; package: string; addons: string[] }[],
  at: Date,
  cause: string,
): Promise<void> {
  const effective = toLedgerInstant(at);
  const rows = holders.flatMap((h) =>
    [{ slot: BASE_SLOT, pkg: h.package }, ...h.addons.map((a) => ({ slot: a, pkg: a }))].map((s) => ({
      subscriber_id: h.id,
      slot: s.slot,
      customer_id: h.customer_id,
      partner_id: h.partner_id,
      package: s.pkg,
      effective_at: effective,
      recorded_at: at,
      cause,
    })),
  );
  for (const part of chunks(rows, 1_000)) await db.insertInto('package_events').values(part).execute();
}

export async function linkCustomer(db: Db, id: string, webexId: string): Promise<void> {
  await db.updateTable('customers').set({ webex_customer_id: webexId }).where('id', '=', id).execute();
}

export async function linkSubscriber(db: Db, id: string, webexId: string): Promise<void> {
  await db.updateTable('subscribers').set({ webex_subscriber_id: webexId }).where('id', '=', id).execute();
}

export async function insertSyncRun(
  db: Db,
  run: { id: string; partnerId: string; mode: 'import' | 'drift'; startedAt: Date; finishedAt: Date; startedBy: string; summary: object },
): Promise<void> {
  await db
    .insertInto('upstream_sync_runs')
    .values({
      id: run.id,
      partner_id: run.partnerId,
      mode: run.mode,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      started_by: run.startedBy,
      summary: JSON.stringify(run.summary),
    })
    .execute();
}

export const findLastSyncRun = (db: Db, partnerId: string) =>
  db
    .selectFrom('upstream_sync_runs')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();

export const listOpenDrift = (db: Db, partnerId: string) =>
  db.selectFrom('upstream_drift').selectAll().where('partner_id', '=', partnerId).where('status', '=', 'open').execute();

export async function insertDrift(db: Db, rows: readonly Insertable<UpstreamDriftTable>[]): Promise<void> {
  for (const part of chunks(rows)) await db.insertInto('upstream_drift').values(part).execute();
}

/** A difference seen again: its latest values, and when. */
export async function refreshDrift(
  db: Db,
  id: string,
  patch: { desk_value: string | null; webex_value: string | null; desk_id: string | null; webex_id: string | null; last_seen_at: Date },
): Promise<void> {
  await db.updateTable('upstream_drift').set(patch).where('id', '=', id).execute();
}

/** Differences seen again unchanged: only when. */
export async function touchDrift(db: Db, ids: readonly string[], at: Date): Promise<void> {
  for (const part of chunks(ids, 1_000)) await db.updateTable('upstream_drift').set({ last_seen_at: at }).where('id', 'in', part).execute();
}

/** Open items a run no longer found: resolved on their own. */
export async function closeDriftGone(db: Db, ids: readonly string[], at: Date): Promise<void> {
  for (const part of chunks(ids, 1_000))
    await db
      .updateTable('upstream_drift')
      .set({ status: 'resolved', resolution: 'gone', resolved_at: at, resolved_by: 'system:sync' })
      .where('id', 'in', part)
      .execute();
}

export const listDriftPage = (db: Db, partnerId: string, f: { status: 'open' | 'resolved'; offset: number; limit: number }) =>
  db
    .selectFrom('upstream_drift')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('status', '=', f.status)
    .orderBy('detected_at')
    .orderBy('entity_type')
    .orderBy('subject')
    .orderBy('kind')
    .offset(f.offset)
    .limit(f.limit)
    .execute();

export async function findDrift(db: Db, partnerId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<DriftRow | undefined> {
  let q = db.selectFrom('upstream_drift').selectAll().where('partner_id', '=', partnerId).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function resolveDrift(db: Db, id: string, resolution: 'adopt' | 'push', by: string, at: Date): Promise<DriftRow> {
  return db
    .updateTable('upstream_drift')
    .set({ status: 'resolved', resolution, resolved_by: by, resolved_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Open drift items of the partner, by kind. */
export async function countOpenDrift(db: Db, partnerId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('upstream_drift')
    .select(['kind', sql<number>`count(*)::int`.as('n')])
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'open')
    .groupBy('kind')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

export const findLiveCustomerByWebexId = (db: Db, partnerId: string, webexId: string) =>
  db
    .selectFrom('customers')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('webex_customer_id', '=', webexId)
    .where('status', '<>', 'deleted')
    .executeTakeFirst();

/** Open items whose id starts with `prefix` (chat shows the first 8 characters). */
export const listOpenDriftByIdPrefix = (db: Db, partnerId: string, prefix: string) =>
  db
    .selectFrom('upstream_drift')
    .select('id')
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'open')
    .where(sql<boolean>`starts_with(id, ${prefix})`)
    .limit(2)
    .execute();

/** The partner's customers Webex holds an org of, for the drift of their locations and workspaces. */
export const listCustomersWithOrgs = (db: Db, partnerId: string) =>
  db
    .selectFrom('customers')
    .select(['id', 'external_id', 'webex_customer_id', 'org_id'])
    .where('partner_id', '=', partnerId)
    .where('status', 'in', ['provisioned', 'provisioned_with_errors'])
    .where('webex_customer_id', 'is not', null)
    .where('org_id', 'is not', null)
    .execute();

export const listSyncLocations = (db: Db, partnerId: string) =>
  db
    .selectFrom('locations')
    .innerJoin('customers', 'customers.id', 'locations.customer_id')
    .select(['locations.id', 'locations.customer_id', 'locations.name', 'locations.webex_location_id', 'locations.status'])
    .where('customers.partner_id', '=', partnerId)
    .execute();

export const listSyncWorkspaces = (db: Db, partnerId: string) =>
  db
    .selectFrom('workspaces')
    .select(['id', 'customer_id', 'name', 'webex_workspace_id', 'status'])
    .where('partner_id', '=', partnerId)
    .where('status', '<>', 'deleted')
    .execute();
