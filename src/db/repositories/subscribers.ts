import { sql, type Insertable, type RawBuilder, type Transaction } from 'kysely';
import { toLedgerInstant } from '../../domain/ledger.js';
import type { SubscriberStatus } from '../../domain/lifecycle.js';
import type { NumberHolder } from '../../domain/subscriber-admin.js';
import type { Database, Db, SubscriberRow, SubscribersTable } from '../schema.js';
import { afterKeyset, type Keyset, keysetInstant, planOffsetPage, withLiveCount } from './live-row-counts.js';

export async function findSubscriber(db: Db, partnerId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db
    .selectFrom('subscribers')
    .selectAll()
    .where('id', '=', id)
    .where('partner_id', '=', partnerId)
    .where('status', '<>', 'deleted');
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findSubscriberById(db: Db, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('subscribers').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * Live holders per package of one customer: subscribers' base packages and add-ons (error ones hold
 * nothing) and workspaces, so package limits and package removal count every kind of holder.
 */
export async function countHolders(db: Db, customerId: string, excludeSubscriberId?: string): Promise<Record<string, number>> {
  const r = await sql<{ package: string; n: string | number }>`
    select h.package, count(*) as n from (${holdersSql(sql`${customerId}::text`, excludeSubscriberId)}) h group by h.package`.execute(db);
  return Object.fromEntries(r.rows.map((row) => [row.package, Number(row.n)]));
}

/** Every live holding of a customer, one row per (holder, package): base packages, add-ons, workspaces. */
export const holdersSql = (customerId: RawBuilder<unknown>, excludeSubscriberId?: string) => sql`
  select s.package from subscribers s
  where s.customer_id = ${customerId} and s.status in ('provisioning', 'provisioned') ${excludeSubscriberId ? sql`and s.id <> ${excludeSubscriberId}` : sql``}
  union all
  select a.addon from subscribers s cross join jsonb_array_elements_text(s.addons) a(addon)
  where s.customer_id = ${customerId} and s.status in ('provisioning', 'provisioned') ${excludeSubscriberId ? sql`and s.id <> ${excludeSubscriberId}` : sql``}
  union all
  select w.package from workspaces w where w.customer_id = ${customerId} and w.status <> 'deleted'`;

/** Live subscribers of a customer holding this extension or phone number (call under the customer's lock). */
export async function findNumberHolders(
  db: Db,
  customerId: string,
  wanted: { extension?: string | null | undefined; phone?: string | null | undefined },
): Promise<NumberHolder[]> {
  const ext = wanted.extension?.trim() || null;
  const phone = wanted.phone?.trim() || null;
  if (!ext && !phone) return [];
  // Workspaces dial the same numbers: a lobby phone's extension is as taken as a person's.
  const rows = await db
    .selectFrom('subscribers')
    .select([
      'id as subscriberId',
      'email',
      'extension',
      'primary_phone_number as primaryPhoneNumber',
      sql<'subscriber' | 'workspace'>`'subscriber'`.as('kind'),
    ])
    .where('customer_id', '=', customerId)
    .where('status', '<>', 'deleted')
    .where((eb) => eb.or([eb('extension', '=', ext), eb('primary_phone_number', '=', phone)]))
    .unionAll(
      db
        .selectFrom('workspaces')
        .select([
          'id as subscriberId',
          'name as email',
          'extension',
          'primary_phone_number as primaryPhoneNumber',
          sql<'subscriber' | 'workspace'>`'workspace'`.as('kind'),
        ])
        .where('customer_id', '=', customerId)
        .where('status', '<>', 'deleted')
        .where((eb) => eb.or([eb('extension', '=', ext), eb('primary_phone_number', '=', phone)])),
    )
    .execute();
  return rows as NumberHolder[];
}

export interface SubscriberFilter {
  partnerId: string;
  customerId?: string | undefined;
  personId?: string | undefined;
  externalCustomerId?: string | undefined;
  email?: string | undefined;
  statuses?: readonly SubscriberStatus[] | undefined;
  /** Cisco's `after`: created strictly after this instant. */
  createdAfter?: Date | undefined;
  /** Cisco's `lastStatusChange`: status changed strictly after this instant. */
  statusChangedAfter?: Date | undefined;
  /** Default created, ascending. */
  sortBy?: 'created' | 'lastStatusChange' | undefined;
  sortOrder?: 'ASC' | 'DESC' | undefined;
  /** Keyset paging: only rows after this one in the list's order (then `offset` counts from there). */
  after?: Keyset | undefined;
  offset: number;
  max: number;
}

/** A listed subscriber with its customer's external id and its sort key as a Keyset's `at`. */
export type ListedSubscriber = SubscriberRow & { external_customer_id: string; page_key: string };

/**
 * One page (plus one row) of a partner's live subscribers. Offset paging (Cisco's API) over a million
 * subscribers: the page's ids are found first from the index alone (subscribers_partner_created or
 * subscribers_partner_status_change: partner, order, id), and only those rows are read and joined with
 * their customer, rather than every skipped row's. An unfiltered page past the middle of the partner's
 * live subscribers (counted in live_row_counts, read in the same snapshot) is read from the other end
 * of the index: offset count − offset − (max + 1) in the reverse order, so no page walks more than half.
 * `after` (a keyset cursor) starts the page right after that row, at the cost of a first page.
 */
export async function listSubscribers(db: Db, f: SubscriberFilter): Promise<ListedSubscriber[]> {
  const direction = f.sortOrder === 'DESC' ? 'desc' : 'asc';
  const order = f.sortBy === 'lastStatusChange' ? 'subscribers.last_status_change' : 'subscribers.created_at';
  const idsOf = (q: Db) => {
    let ids = q
      .selectFrom('subscribers')
      .select('subscribers.id')
      .where('subscribers.partner_id', '=', f.partnerId)
      .where('subscribers.status', '<>', 'deleted');
    if (f.customerId !== undefined) ids = ids.where('subscribers.customer_id', '=', f.customerId);
    if (f.email !== undefined) ids = ids.where('subscribers.email', '=', f.email.toLowerCase());
    if (f.statuses?.length) ids = ids.where('subscribers.status', 'in', f.statuses);
    if (f.personId !== undefined) ids = ids.where('subscribers.person_id', '=', f.personId);
    // Live customers only (a removed customer's subscribers are removed too): customers_partner_external_id serves it.
    if (f.externalCustomerId !== undefined)
      ids = ids.where('subscribers.customer_id', 'in', (c) =>
        c
          .selectFrom('customers')
          .select('customers.id')
          .where('customers.partner_id', '=', f.partnerId)
          .where('customers.external_id', '=', f.externalCustomerId!)
          .where('customers.status', '<>', 'deleted'),
      );
    if (f.createdAfter !== undefined) ids = ids.where('subscribers.created_at', '>', f.createdAfter);
    if (f.statusChangedAfter !== undefined) ids = ids.where('subscribers.last_status_change', '>', f.statusChangedAfter);
    if (f.after) ids = ids.where(afterKeyset(sql.ref(order), sql.ref('subscribers.id'), direction, f.after));
    return ids;
  };
  const rowsOf = (q: Db, page: ReturnType<typeof idsOf>) =>
    q
      .selectFrom('subscribers')
      .innerJoin('customers', 'customers.id', 'subscribers.customer_id')
      .selectAll('subscribers')
      .select(['customers.external_id as external_customer_id', keysetInstant(sql.ref(order)).as('page_key')])
      .where('subscribers.id', 'in', page)
      .orderBy(order, direction)
      .orderBy('subscribers.id', direction)
      .execute();
  const take = f.max + 1;
  const fromStart = (q: Db) =>
    rowsOf(q, idsOf(q).orderBy(order, direction).orderBy('subscribers.id', direction).offset(f.offset).limit(take));
  const unfiltered =
    f.customerId === undefined &&
    f.email === undefined &&
    !f.statuses?.length &&
    f.personId === undefined &&
    f.externalCustomerId === undefined &&
    f.createdAfter === undefined &&
    f.statusChangedAfter === undefined &&
    f.after === undefined;
  if (!unfiltered || f.offset === 0) return fromStart(db);
  const reverse = direction === 'asc' ? 'desc' : 'asc';
  return withLiveCount(db, f.partnerId, 'subscribers', async (q, live) => {
    const plan = planOffsetPage(live, f.offset, take);
    if (plan.from === 'start') return fromStart(q);
    if (plan.limit === 0) return [];
    return rowsOf(q, idsOf(q).orderBy(order, reverse).orderBy('subscribers.id', reverse).offset(plan.offset).limit(plan.limit));
  });
}

/** Columns any use-case may change; the status moves only through `moveSubscriber` (subscriber-status.ts). */
export type SubscriberPatch = Omit<Partial<Insertable<SubscribersTable>>, 'status' | 'id' | 'partner_id'>;

export async function updateSubscriber(db: Db, id: string, patch: SubscriberPatch): Promise<SubscriberRow> {
  return db.updateTable('subscribers').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export interface AssignmentFacts {
  effectiveAt: Date;
  recordedAt: Date;
  cause: string;
  audit: { actor: string; action: string; after: object; context: Record<string, unknown> };
}

/**
 * Inserts a subscriber, its first ledger fact and its audit record in one statement: bulk
 * provisioning runs through here, and round trips are what it costs.
 */
export async function insertSubscriberWithAssignment(
  db: Db,
  row: Insertable<SubscribersTable>,
  facts: AssignmentFacts,
): Promise<SubscriberRow> {
  return db
    .with('s', (q) => q.insertInto('subscribers').values(row).returningAll())
    .with('e', (q) =>
      q
        .insertInto('package_events')
        .columns(['subscriber_id', 'customer_id', 'partner_id', 'package', 'effective_at', 'recorded_at', 'cause'])
        .expression((eb) =>
          eb
            .selectFrom('s')
            .select((s) => [
              's.id',
              's.customer_id',
              's.partner_id',
              's.package',
              s.val(toLedgerInstant(facts.effectiveAt)).as('effective_at'),
              s.val(facts.recordedAt).as('recorded_at'),
              s.val(facts.cause).as('cause'),
            ]),
        ),
    )
    .with('a', (q) =>
      q
        .insertInto('audit_log')
        .columns(['at', 'partner_id', 'actor', 'action', 'entity_type', 'entity_id', 'after', 'context'])
        .expression((eb) =>
          eb
            .selectFrom('s')
            .select((s) => [
              s.val(facts.recordedAt).as('at'),
              's.partner_id',
              s.val(facts.audit.actor).as('actor'),
              s.val(facts.audit.action).as('action'),
              s.val('subscriber').as('entity_type'),
              's.id',
              sql<string>`cast(${JSON.stringify(facts.audit.after)} as jsonb)`.as('after'),
              sql<string>`cast(${JSON.stringify(facts.audit.context)} as jsonb)`.as('context'),
            ]),
        ),
    )
    .selectFrom('s')
    .selectAll()
    .executeTakeFirstOrThrow() as Promise<SubscriberRow>;
}

/** A customer's live subscribers, locked for the rest of the transaction. */
export const lockLiveSubscribersOfCustomer = (trx: Transaction<Database>, customerId: string): Promise<SubscriberRow[]> =>
  trx.selectFrom('subscribers').selectAll().where('customer_id', '=', customerId).where('status', '<>', 'deleted').forUpdate().execute();

/** A live subscriber of the partner by email (as stored: lower-case), with its customer's name. */
export const findLiveSubscriberByEmail = (db: Db, partnerId: string, email: string) =>
  db
    .selectFrom('subscribers as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select(['s.id', 's.package', 's.addons', 's.status', 'c.name', 'c.external_id'])
    .where('s.email', '=', email)
    .where('s.partner_id', '=', partnerId)
    .where('s.status', '<>', 'deleted')
    .executeTakeFirst();

/** Live subscribers (any partner) holding these emails. */
export const listLiveSubscribersByEmail = (db: Db, emails: readonly string[]) =>
  db
    .selectFrom('subscribers')
    .select(['email', 'customer_id', 'package'])
    .where('email', 'in', emails)
    .where('status', '<>', 'deleted')
    .execute();

/** A customer's live subscribers counted per package and status. */
export const countSubscribersByPackageAndStatus = (db: Db, customerId: string) =>
  db
    .selectFrom('subscribers')
    .select(['package', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('customer_id', '=', customerId)
    .where('status', '<>', 'deleted')
    .groupBy(['package', 'status'])
    .orderBy('package')
    .execute();

export async function countSubscribersCreatedBetween(db: Db, partnerId: string, from: Date, to: Date): Promise<number> {
  const r = await db
    .selectFrom('subscribers')
    .select(db.fn.countAll<string>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countSubscribersInError(db: Db, partnerId: string): Promise<number> {
  const r = await db
    .selectFrom('subscribers')
    .select(db.fn.countAll<string>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'error')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
