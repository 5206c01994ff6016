import { type Kysely, sql } from 'kysely';

/**
 * Everything billed exists in Webex (#25): locations and workspaces are carried to Webex (the
 * partner administrator's /locations and /workspaces on the customer's org) by queued tasks, so they
 * get Webex's id, a status while on their way, and Webex's errors when refused. Drift covers them too.
 * A sync is background work: each request is a run whose progress is recorded as it goes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table locations add column webex_location_id text`.execute(db);
  await sql`alter table locations add column status text not null default 'provisioned'`.execute(db);
  await sql`alter table locations add constraint locations_status check (status in ('provisioning', 'provisioned', 'error'))`.execute(db);
  await sql`alter table locations add column errors jsonb not null default '[]'::jsonb`.execute(db);

  await sql`alter table workspaces add column webex_workspace_id text`.execute(db);
  await sql`alter table workspaces add column errors jsonb not null default '[]'::jsonb`.execute(db);
  await sql`alter table workspaces drop constraint workspaces_status_check`.execute(db);
  await sql`alter table workspaces add constraint workspaces_status_check check (status in ('provisioning', 'provisioned', 'deleting', 'error', 'deleted'))`.execute(
    db,
  );

  await sql`alter table upstream_drift drop constraint upstream_drift_entity_type_check`.execute(db);
  await sql`alter table upstream_drift add constraint upstream_drift_entity_type_check check (entity_type in ('customer', 'subscriber', 'workspace', 'location'))`.execute(
    db,
  );

  await db.schema
    .createTable('upstream_syncs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'running', 'succeeded', 'failed')`))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    // The running instance writes progress at least this often; a stale one may be taken over.
    .addColumn('heartbeat_at', 'timestamptz')
    .addColumn('progress', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('summary', 'jsonb')
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  // At most one queued or running sync per partner: a second request joins the first.
  await sql`create unique index upstream_syncs_active on upstream_syncs (partner_id) where state in ('queued', 'running')`.execute(db);
  await sql`create index upstream_syncs_partner on upstream_syncs (partner_id, requested_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('upstream_syncs').execute();
  await sql`delete from upstream_drift where entity_type in ('workspace', 'location')`.execute(db);
  await sql`alter table upstream_drift drop constraint upstream_drift_entity_type_check`.execute(db);
  await sql`alter table upstream_drift add constraint upstream_drift_entity_type_check check (entity_type in ('customer', 'subscriber'))`.execute(
    db,
  );
  await sql`update workspaces set status = 'provisioned' where status in ('provisioning', 'deleting', 'error')`.execute(db);
  await sql`alter table workspaces drop constraint workspaces_status_check`.execute(db);
  await sql`alter table workspaces add constraint workspaces_status_check check (status in ('provisioned', 'deleted'))`.execute(db);
  await sql`alter table workspaces drop column errors`.execute(db);
  await sql`alter table workspaces drop column webex_workspace_id`.execute(db);
  await sql`alter table locations drop column errors`.execute(db);
  await sql`alter table locations drop constraint locations_status`.execute(db);
  await sql`alter table locations drop column status`.execute(db);
  await sql`alter table locations drop column webex_location_id`.execute(db);
}
