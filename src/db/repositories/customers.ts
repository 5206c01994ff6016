import { sql, type Insertable } from 'kysely';
import type { CustomerStatus } from '../../domain/lifecycle.js';
import type { NumberHolder } from '../../domain/subscriber-admin.js';
import type { CustomerRow, CustomersTable, Db } from '../schema.js';
import { afterKeyset, type Keyset, keysetInstant, planOffsetPage, withLiveCount } from './live-row-counts.js';
import { holdersSql } from './subscribers.js';

export async function insertCustomer(db: Db, row: Insertable<CustomersTable>): Promise<CustomerRow> {
  return db.insertInto('customers').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A live customer (not deleted) of this partner, optionally locked for the rest of the transaction. */
export async function findCustomer(
  db: Db,
  partnerId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<CustomerRow | undefined> {
  let q = db.selectFrom('customers').selectAll().where('id', '=', id).where('partner_id', '=', partnerId).where('status', '<>', 'deleted');
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findCustomerById(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<CustomerRow | undefined> {
  let q = db.selectFrom('customers').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export const findCustomerByExternalId = (db: Db, partnerId: string, externalId: string) =>
  db
    .selectFrom('customers')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('external_id', '=', externalId)
    .where('status', '<>', 'deleted')
    .executeTakeFirst();

export interface CustomerFilter {
  partnerId: string;
  externalId?: string | undefined;
  orgId?: string | undefined;
  statuses?: readonly CustomerStatus[] | undefined;
  /** Keyset paging: only customers after this one in (created_at, id) order (then `offset` counts from there). */
  after?: Keyset | undefined;
  offset: number;
  max: number;
}

/** A listed customer with its sort key as a Keyset's `at`. */
export type ListedCustomer = CustomerRow & { page_key: string };

/**
 * One page plus one row, so the caller knows whether a next page exists. The page's ids come first from
 * customers_partner_created alone (deep offsets skip index entries, not rows); then only its rows are read.
 * An unfiltered page past the middle of the partner's live customers (live_row_counts, same snapshot) is
 * read from the other end of the index, as listSubscribers does.
 */
export async function listCustomers(db: Db, f: CustomerFilter): Promise<ListedCustomer[]> {
  const idsOf = (q: Db) => {
    let ids = q.selectFrom('customers').select('id').where('partner_id', '=', f.partnerId).where('status', '<>', 'deleted');
    if (f.externalId !== undefined) ids = ids.where('external_id', '=', f.externalId);
    if (f.orgId !== undefined) ids = ids.where('org_id', '=', f.orgId);
    if (f.statuses?.length) ids = ids.where('status', 'in', f.statuses);
    if (f.after) ids = ids.where(afterKeyset(sql.ref('created_at'), sql.ref('id'), 'asc', f.after));
    return ids;
  };
  const rowsOf = (q: Db, page: ReturnType<typeof idsOf>) =>
    q
      .selectFrom('customers')
      .selectAll()
      .select(keysetInstant(sql.ref('created_at')).as('page_key'))
      .where('id', 'in', page)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const take = f.max + 1;
  const fromStart = (q: Db) => rowsOf(q, idsOf(q).orderBy('created_at').orderBy('id').offset(f.offset).limit(take));
  const unfiltered = f.externalId === undefined && f.orgId === undefined && !f.statuses?.length && f.after === undefined;
  if (!unfiltered || f.offset === 0) return fromStart(db);
  return withLiveCount(db, f.partnerId, 'customers', async (q, live) => {
    const plan = planOffsetPage(live, f.offset, take);
    if (plan.from === 'start') return fromStart(q);
    if (plan.limit === 0) return [];
    return rowsOf(q, idsOf(q).orderBy('created_at', 'desc').orderBy('id', 'desc').offset(plan.offset).limit(plan.limit));
  });
}

/** Columns any use-case may change; the status moves only through `moveCustomer` (customer-status.ts). */
export type CustomerPatch = Omit<Partial<Insertable<CustomersTable>>, 'status' | 'status_changed_at' | 'id' | 'partner_id'>;

export async function updateCustomer(db: Db, id: string, patch: CustomerPatch): Promise<CustomerRow> {
  return db.updateTable('customers').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export interface CustomerWithCounts {
  customer: CustomerRow;
  /** Live (provisioning or provisioned) subscribers per package. */
  holders: Record<string, number>;
  liveSubscribers: number;
  /** Every subscriber the customer ever had, removed ones included (who becomes admin). */
  subscribersEver: number;
  /** Live subscribers of the customer already holding the extension or phone number asked about. */
  numberHolders: NumberHolder[];
  /** Calling locations, oldest first. */
  locationIds: string[];
  /** Who already uses the email asked about (see findEmailUses). */
  emailUses: EmailUse[];
}

export interface EmailUse {
  kind: 'subscriber' | 'customer';
  partner_id: string;
  customer_id: string;
}

/**
 * The customer, locked for the transaction when asked, with what adding a subscriber needs to know,
 * in one round trip (this is the hot path of bulk provisioning).
 */
export async function findCustomerWithCounts(
  db: Db,
  partnerId: string,
  id: string,
  opts: { forUpdate?: boolean; email?: string; extension?: string | undefined; phone?: string | undefined } = {},
): Promise<CustomerWithCounts | undefined> {
  const email = opts.email ?? '';
  // The lock comes first, in a statement of its own: under READ COMMITTED a statement that waits for
  // a row lock still counts with the snapshot it started with, so a locking count query would miss
  // the subscriber a concurrent request committed while this one waited (two would take one extension).
  if (opts.forUpdate) {
    const locked =
      await sql`select 1 from customers where id = ${id} and partner_id = ${partnerId} and status <> 'deleted' for update`.execute(db);
    if (locked.rows.length === 0) return undefined;
  }
  const row = await sql<
    CustomerRow & {
      holders: Record<string, number> | null;
      live_subscribers: number;
      subscribers_ever: number;
      number_holders: NumberHolder[] | null;
      location_ids: string[] | null;
      email_uses: EmailUse[] | null;
    }
  >`
    select c.*,
      (select json_object_agg(h.package, h.n) from (
         select package, count(*) as n from (${holdersSql(sql`c.id`)}) x group by package) h) as holders,
      (select count(*) from subscribers where customer_id = c.id and status <> 'deleted') as live_subscribers,
      (select count(*) from subscribers where customer_id = c.id) as subscribers_ever,
      (select json_agg(n) from (
         select s.id as "subscriberId", s.email, s.extension, s.primary_phone_number as "primaryPhoneNumber", 'subscriber' as kind
         from subscribers s
         where s.customer_id = c.id and s.status <> 'deleted'
           and (s.extension = ${opts.extension ?? null} or s.primary_phone_number = ${opts.phone ?? null})
         union all
         -- Workspaces dial the same numbers: a lobby phone's extension is as taken as a person's.
         select w.id, w.name, w.extension, w.primary_phone_number, 'workspace' from workspaces w
         where w.customer_id = c.id and w.status <> 'deleted'
           and (w.extension = ${opts.extension ?? null} or w.primary_phone_number = ${opts.phone ?? null})) n) as number_holders,
      (select json_agg(l.id order by l.created_at, l.id) from locations l where l.customer_id = c.id) as location_ids,
      (select json_agg(u) from (
         select 'subscriber' as kind, s.partner_id, s.customer_id from subscribers s
         where s.partner_id = ${partnerId} and s.email = ${email} and s.status <> 'deleted'
         union all
         select 'customer' as kind, o.partner_id, o.id as customer_id from customers o
         where o.partner_id = ${partnerId} and o.primary_email = ${email} and o.status <> 'deleted'
         limit 4) u) as email_uses
    from customers c
    where c.id = ${id} and c.partner_id = ${partnerId} and c.status <> 'deleted'`.execute(db);
  const r = row.rows[0];
  if (!r) return undefined;
  const { holders, live_subscribers, subscribers_ever, number_holders, location_ids, email_uses, ...customer } = r;
  return {
    customer: customer as CustomerRow,
    holders: Object.fromEntries(Object.entries(holders ?? {}).map(([k, v]) => [k, Number(v)])),
    liveSubscribers: Number(live_subscribers),
    subscribersEver: Number(subscribers_ever),
    numberHolders: number_holders ?? [],
    locationIds: location_ids ?? [],
    emailUses: email_uses ?? [],
  };
}

/** Who already uses an email: a live subscriber (any partner) or a customer's primary contact. */
export async function findEmailUses(db: Db, partnerId: string, email: string): Promise<EmailUse[]> {
  const r = await sql<EmailUse>`
    select 'subscriber' as kind, partner_id, customer_id from subscribers
    where partner_id = ${partnerId} and email = ${email} and status <> 'deleted'
    union all
    select 'customer' as kind, partner_id, id as customer_id from customers
    where partner_id = ${partnerId} and primary_email = ${email} and status <> 'deleted'
    limit 4`.execute(db);
  return r.rows;
}

/** Customers in these statuses after `afterId`, by id: a resumable walk over all partners' customers. */
export async function listCustomerIdsInStatuses(
  db: Db,
  statuses: readonly CustomerStatus[],
  afterId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where('status', 'in', statuses)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** A customer of this partner whatever its status, deleted ones included (invoices outlive customers). */
export const findCustomerIncludingDeleted = (db: Db, partnerId: string, id: string): Promise<CustomerRow | undefined> =>
  db.selectFrom('customers').selectAll().where('id', '=', id).where('partner_id', '=', partnerId).executeTakeFirst();

/** Every customer id of a partner, deleted ones too (their usage still bills), in the database's id order. */
export const listCustomerIdsOfPartner = async (db: Db, partnerId: string): Promise<string[]> =>
  (await db.selectFrom('customers').select('id').where('partner_id', '=', partnerId).orderBy('id').execute()).map((r) => r.id);

/** The next `limit` of the partner's customer ids after `after` (by id): a keyset page of `listCustomerIdsOfPartner`. */
export const listCustomerIdsOfPartnerAfter = async (db: Db, partnerId: string, after: string | null, limit: number): Promise<string[]> => {
  let q = db.selectFrom('customers').select('id').where('partner_id', '=', partnerId);
  if (after !== null) q = q.where('id', '>', after);
  return (await q.orderBy('id').limit(limit).execute()).map((r) => r.id);
};

export const listCustomerNames = (db: Db, ids: readonly string[]) =>
  ids.length ? db.selectFrom('customers').select(['id', 'name', 'external_id']).where('id', 'in', ids).execute() : Promise.resolve([]);

export async function countCustomersByStatus(db: Db, partnerId: string): Promise<Record<string, number>> {
  const counts = await db
    .selectFrom('customers')
    .select(['status', db.fn.countAll<string>().as('n')])
    .where('partner_id', '=', partnerId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
}

export const listRecentCustomers = (db: Db, partnerId: string, limit: number) =>
  db
    .selectFrom('customers')
    .select(['id', 'name', 'external_id', 'status', 'created_at'])
    .where('partner_id', '=', partnerId)
    .where('status', '<>', 'deleted')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();

/** A live customer by its id or its externalId. */
export const findCustomerByIdOrExternalId = (db: Db, partnerId: string, ref: string): Promise<CustomerRow | undefined> =>
  db
    .selectFrom('customers')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('status', '<>', 'deleted')
    .where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)]))
    .executeTakeFirst();

/** Live customers whose name is this one, case-insensitive. */
export const listCustomersNamed = (db: Db, partnerId: string, name: string, limit: number): Promise<CustomerRow[]> =>
  db
    .selectFrom('customers')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('status', '<>', 'deleted')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .limit(limit)
    .execute();

/** The names of a partner's live customers, newest first (the candidates of a "did you mean"). */
export const listCustomerNamesOfPartner = async (db: Db, partnerId: string, limit: number): Promise<string[]> =>
  (
    await db
      .selectFrom('customers')
      .select('name')
      .where('partner_id', '=', partnerId)
      .where('status', '<>', 'deleted')
      .where('name', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute()
  ).map((r) => r.name!);

/** Customers created in [from, to). */
export const listCustomersCreatedBetween = (db: Db, partnerId: string, from: Date, to: Date) =>
  db
    .selectFrom('customers')
    .select(['name', 'external_id'])
    .where('partner_id', '=', partnerId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .orderBy('created_at')
    .execute();

/** Customers deleted in [from, to). */
export const listCustomersDeletedBetween = (db: Db, partnerId: string, from: Date, to: Date) =>
  db
    .selectFrom('customers')
    .select(['name', 'external_id'])
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'deleted')
    .where('status_changed_at', '>=', from)
    .where('status_changed_at', '<', to)
    .execute();

/** Customers whose provisioning failed, latest first. */
export const listFailedCustomers = (db: Db, partnerId: string) =>
  db
    .selectFrom('customers')
    .select(['name', 'external_id', 'status', 'errors'])
    .where('partner_id', '=', partnerId)
    .where('status', 'in', ['error', 'provisioned_with_errors'])
    .orderBy('status_changed_at', 'desc')
    .execute();

/** How many of the partner's customers were provisioned without screening (no list was loaded) and are still unscreened. */
export async function countUnscreenedCustomers(db: Db, partnerId: string): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('unscreened_since', 'is not', null)
    .where('status', 'not in', ['deleted', 'deleting', 'error'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
