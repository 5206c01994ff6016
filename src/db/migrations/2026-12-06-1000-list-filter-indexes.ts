import { sql, type Kysely } from 'kysely';

/**
 * Cisco's list parameters, served by index: subscribers by person, by creation and by last status change
 * (either order: a btree reads backwards for DESC), customers by org id, and a parent's sub-partners in
 * listing order. `externalCustomerId` goes through customers_partner_external_id and subscribers_customer.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index subscribers_partner_person on subscribers (partner_id, person_id) where person_id is not null`.execute(db);
  await sql`create index subscribers_partner_created on subscribers (partner_id, created_at, id) where status <> 'deleted'`.execute(db);
  await sql`create index subscribers_partner_status_change on subscribers (partner_id, last_status_change, id) where status <> 'deleted'`.execute(
    db,
  );
  await sql`create index customers_partner_org on customers (partner_id, org_id) where org_id is not null`.execute(db);
  await sql`create index customers_partner_created on customers (partner_id, created_at, id) where status <> 'deleted'`.execute(db);
  await sql`create index partners_parent_created on partners (parent_id, created_at, id) where parent_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'subscribers_partner_person',
    'subscribers_partner_created',
    'subscribers_partner_status_change',
    'customers_partner_org',
    'customers_partner_created',
    'partners_parent_created',
  ])
    await sql`drop index if exists ${sql.id(index)}`.execute(db);
}
