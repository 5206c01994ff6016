import { type Kysely, sql } from 'kysely';

/**
 * Import and drift (#15): each `sync` run of a partner, and what it found differing between the desk
 * and Webex Wholesale, item by item, until someone adopts Webex's state or pushes the desk's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('upstream_sync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('import', 'drift')`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('summary', 'jsonb', (c) => c.notNull())
    .execute();
  await sql`create index upstream_sync_runs_partner on upstream_sync_runs (partner_id, started_at)`.execute(db);

  await db.schema
    .createTable('upstream_drift')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('entity_type', 'text', (c) => c.notNull().check(sql`entity_type in ('customer', 'subscriber')`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('only_webex', 'only_desk', 'status', 'packages')`))
    // The customer's externalId, or the subscriber's email in lower case: how the two sides are matched.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('customer_external_id', 'text')
    .addColumn('desk_id', 'text')
    .addColumn('webex_id', 'text')
    .addColumn('webex_customer_id', 'text')
    .addColumn('desk_value', 'jsonb')
    .addColumn('webex_value', 'jsonb')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
    .addColumn('resolution', 'text', (c) => c.check(sql`resolution in ('adopt', 'push', 'gone')`))
    .addColumn('resolved_by', 'text')
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  // A difference seen again by a later run is the same open item, not a second one.
  await sql`create unique index upstream_drift_open on upstream_drift (partner_id, entity_type, subject, kind) where status = 'open'`.execute(
    db,
  );
  await sql`create index upstream_drift_partner on upstream_drift (partner_id, status, detected_at, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('upstream_drift').execute();
  await db.schema.dropTable('upstream_sync_runs').execute();
}
