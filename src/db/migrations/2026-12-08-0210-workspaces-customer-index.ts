import { sql, type Kysely } from 'kysely';

/**
 * A customer's workspaces by customer, whatever their status: the customer page's audit entries look up
 * the customer's workspaces (deleted ones too), which at 20,000 workspaces was a sequential scan of the
 * table on every page (17–36 ms of the page at 1,000,000 subscribers). The existing `workspaces_live_name`
 * covers live workspaces only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index workspaces_customer on workspaces (customer_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists workspaces_customer`.execute(db);
}
