import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A chat space (Webex room or console session) belongs to the partner whose staff first used it.
  await db.schema
    .createTable('bot_spaces')
    .addColumn('space_id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('transport', 'text', (c) => c.notNull().check(sql`transport in ('webex', 'console')`))
    .addColumn('title', 'text')
    .addColumn('bound_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Webex webhook deliveries, stored before they are acknowledged; the key deduplicates retries.
  await db.schema
    .createTable('webex_inbox')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('received', 'done')`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('handovers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'timestamptz')
    .execute();
  await sql`create index webex_inbox_received on webex_inbox (received_at) where status = 'received'`.execute(db);

  await db.schema
    .createTable('digest_subscriptions')
    .addColumn('space_id', 'text', (c) => c.primaryKey().references('bot_spaces.space_id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('local_time', 'text', (c) => c.notNull().check(sql`local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // One row per (job, period): whoever inserts it runs it; a stale claim can be taken over.
  await db.schema
    .createTable('job_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'done', 'failed')`))
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('job_runs_pk', ['job', 'period'])
    .execute();

  // What the bot posts to console spaces on its own (digests), read by the console page.
  await db.schema
    .createTable('console_inbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('message', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index console_inbox_space on console_inbox (space_id, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['console_inbox', 'job_runs', 'digest_subscriptions', 'webex_inbox', 'bot_spaces'])
    await db.schema.dropTable(table).execute();
}
