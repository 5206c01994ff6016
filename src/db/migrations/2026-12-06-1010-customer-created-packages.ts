import { sql, type Kysely } from 'kysely';

/**
 * The packages a customer org was created with: the guide's admin rule reads "the same package level in
 * which the customer org was created", which the current packages stop telling once they change.
 * Backfill: the packages of the customer's `customer.create` audit record (the request that created the
 * org, written in the same transaction as the row, and append-only since); a customer without one (imported
 * from Webex by sync, created before the audit trail) keeps null, read as its current packages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table customers add column created_packages jsonb`.execute(db);
  await sql`
    update customers c set created_packages = (
      select a.after -> 'packages' from audit_log a
      where a.entity_type = 'customer' and a.entity_id = c.id and a.action = 'customer.create'
        and jsonb_typeof(a.after -> 'packages') = 'array'
      order by a.at, a.id limit 1)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table customers drop column created_packages`.execute(db);
}
