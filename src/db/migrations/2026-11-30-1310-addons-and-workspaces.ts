import { type Kysely, sql } from 'kysely';

/**
 * Add-ons and workspaces. A subscriber keeps one base package (`package`) and lists its add-ons; a
 * workspace is a customer's shared device holding Common Area Calling. The ledger gets a `slot` per
 * stream (`base`, or the add-on's id) and may belong to a workspace instead of a subscriber, so each
 * (holder, slot) has intervals of its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table subscribers add column addons jsonb not null default '[]'::jsonb`.execute(db);

  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('primary_phone_number', 'text')
    .addColumn('extension', 'text')
    .addColumn('location_id', 'text', (c) => c.references('locations.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('provisioned', 'deleted')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_status_change', 'timestamptz', (c) => c.notNull())
    .execute();
  // A workspace's name is how staff find it (chat): unique among a customer's live workspaces.
  await sql`create unique index workspaces_live_name on workspaces (customer_id, lower(name)) where status <> 'deleted'`.execute(db);
  await sql`create index workspaces_partner on workspaces (partner_id, created_at, id)`.execute(db);

  await sql`alter table package_events add column slot text not null default 'base'`.execute(db);
  await sql`alter table package_events add column workspace_id text references workspaces(id)`.execute(db);
  await sql`alter table package_events alter column subscriber_id drop not null`.execute(db);
  await sql`alter table package_events add constraint package_events_one_holder check ((subscriber_id is null) <> (workspace_id is null))`.execute(
    db,
  );
  await sql`create index package_events_workspace on package_events (workspace_id, effective_at, id) where workspace_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from package_events where workspace_id is not null`.execute(db);
  await sql`alter table package_events drop constraint package_events_one_holder`.execute(db);
  await sql`alter table package_events alter column subscriber_id set not null`.execute(db);
  await sql`alter table package_events drop column workspace_id`.execute(db);
  await sql`alter table package_events drop column slot`.execute(db);
  await db.schema.dropTable('workspaces').execute();
  await sql`alter table subscribers drop column addons`.execute(db);
}
