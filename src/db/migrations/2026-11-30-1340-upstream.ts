import type { Kysely } from 'kysely';

/**
 * Upstream mode (#15): the Webex Wholesale ids of what the desk provisioned there, and Webex's
 * per-package resourceDetails, copied from its answers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('webex_customer_id', 'text').execute();
  await db.schema.alterTable('customers').addColumn('resource_details', 'text').execute();
  await db.schema.alterTable('subscribers').addColumn('webex_subscriber_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscribers').dropColumn('webex_subscriber_id').execute();
  await db.schema.alterTable('customers').dropColumn('resource_details').execute();
  await db.schema.alterTable('customers').dropColumn('webex_customer_id').execute();
}
