import { sql, type Kysely } from 'kysely';

/**
 * A stored report keeps the column list it was made with, so a download's header always matches its
 * stored rows, whatever order later releases write.
 *
 * Existing reports get the order they were actually written in. USER reports written before
 * 2026-11-30-1310-addons-and-workspaces ran had LOCATION_ID after CUSTOMER_EXTERNAL_ID (the release
 * of 2026-11-22 wrote `…,CUSTOMER_EXTERNAL_ID,LOCATION_ID,SUBSCRIBER_ID,USER_ID,WORKSPACE_ID`); the
 * code that moved LOCATION_ID last (81c8a7d) shipped in the same release as that migration, so a
 * report created before the migration's recorded run (kysely_migration.timestamp) was written by the
 * old code. Every other report, and every CUSTOMER and PARTNER report, has today's order. The lists
 * are spelled out here, not imported: a migration is history and never follows later code.
 */
const COMMON = [
  'PARTNER_NAME',
  'PARTNER_ORG_ID',
  'SUBSCRIPTION_ID',
  'SERVICE_NAME',
  'SKU',
  'DESCRIPTION',
  'CONSUMPTION_START_DATE',
  'CONSUMPTION_END_DATE',
  'QUANTITY',
];
const CUSTOMER = [...COMMON, 'CUSTOMER_ORG_ID', 'CUSTOMER_EXTERNAL_ID', 'LOCATION_ID'];
const USER_UNTIL_2026_11_30 = [
  ...COMMON,
  'CUSTOMER_ORG_ID',
  'CUSTOMER_EXTERNAL_ID',
  'LOCATION_ID',
  'SUBSCRIBER_ID',
  'USER_ID',
  'WORKSPACE_ID',
];
const USER = [...COMMON, 'CUSTOMER_ORG_ID', 'CUSTOMER_EXTERNAL_ID', 'SUBSCRIBER_ID', 'USER_ID', 'WORKSPACE_ID', 'LOCATION_ID'];

const json = (columns: string[]) => sql`${JSON.stringify(columns)}::jsonb`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table billing_reports add column columns jsonb`.execute(db);
  await sql`
    update billing_reports r set columns = case
      when r.type = 'PARTNER' then ${json(COMMON)}
      when r.type = 'CUSTOMER' then ${json(CUSTOMER)}
      when r.created_at < coalesce(
        (select m.timestamp::timestamptz from kysely_migration m where m.name = '2026-11-30-1310-addons-and-workspaces'),
        '-infinity'::timestamptz) then ${json(USER_UNTIL_2026_11_30)}
      else ${json(USER)} end`.execute(db);
  await sql`alter table billing_reports alter column columns set not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table billing_reports drop column columns`.execute(db);
}
