import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The Meetings "telephony domain": global call-in numbers per country, first one wins.
  await db.schema
    .createTable('telephony_call_in_numbers')
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('telephony_call_in_numbers_pk', ['country', 'position'])
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text')
    .addColumn('attached_org', 'boolean', (c) => c.notNull())
    .addColumn('provisioning_id', 'text', (c) => c.notNull().references('onboarding_templates.id'))
    .addColumn('name', 'text')
    .addColumn('primary_email', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('meetings_locale', 'text', (c) => c.notNull())
    .addColumn('org_country', 'text', (c) => c.notNull())
    .addColumn('call_in_number', 'text')
    .addColumn('address', 'jsonb', (c) => c.notNull())
    .addColumn('packages', 'jsonb', (c) => c.notNull())
    .addColumn('package_limits', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('provisioning_parameters', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('sub_partner_admin_email', 'text')
    .addColumn('billing_start_date', 'date')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('warnings', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('request_fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status_changed_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // externalId is the partner's idempotency key; a deleted customer frees it for reuse.
  await sql`create unique index customers_partner_external_id on customers (partner_id, external_id) where status <> 'deleted'`.execute(db);
  await sql`create index customers_partner_status on customers (partner_id, status, created_at)`.execute(db);

  await db.schema
    .createTable('locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'jsonb', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('emergency_location_identifier', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('primary_phone_number', 'text')
    .addColumn('extension', 'text')
    .addColumn('location_id', 'text', (c) => c.references('locations.id'))
    .addColumn('is_admin', 'boolean', (c) => c.notNull())
    .addColumn('person_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_status_change', 'timestamptz', (c) => c.notNull())
    .execute();
  // One live subscriber per email across every partner: Webex users are global.
  await sql`create unique index subscribers_live_email on subscribers (email) where status <> 'deleted'`.execute(db);
  await sql`create index subscribers_customer on subscribers (customer_id, status, created_at)`.execute(db);

  // The usage ledger as facts: "from effective_at on, this subscriber holds package (null = none)".
  // Intervals are derived by ordering, so changes arriving out of order can never overlap or double count.
  await db.schema
    .createTable('package_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('package', 'text')
    .addColumn('effective_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .execute();
  await sql`create index package_events_subscriber on package_events (subscriber_id, effective_at, id)`.execute(db);
  await sql`create index package_events_effective on package_events (effective_at)`.execute(db);

  // Durable work queue: accepted requests (202) finish here, across restarts and instances.
  await db.schema
    .createTable('provisioning_tasks')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'done', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_after', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await sql`create index provisioning_tasks_due on provisioning_tasks (run_after, id) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['provisioning_tasks', 'package_events', 'subscribers', 'locations', 'customers', 'telephony_call_in_numbers']) {
    await db.schema.dropTable(table).execute();
  }
}
