import { sql, type Kysely } from 'kysely';

/**
 * Billing starts when a customer is provisioned, never while it is provisioning or held for
 * compliance review: `customers.billing_from` is that instant (null: never provisioned, nothing
 * billed). Existing customers: the approval of an onboarding review for those that were held, else
 * their creation (effectiveAt) for every customer that reached `provisioned`.
 *
 * Sub-partners bill from their billing start date, by default the day they were set up.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table customers add column billing_from timestamptz`.execute(db);
  await sql`
    update customers c set billing_from = coalesce(
      (select min(r.decided_at) from compliance_reviews r
        where r.customer_id = c.id and r.kind = 'onboarding' and r.status = 'approved'),
      c.created_at)
    where c.status in ('provisioned', 'provisioned_with_errors', 'updating')
       or exists (select 1 from audit_log a where a.entity_type = 'customer' and a.entity_id = c.id and a.action = 'customer.provisioned')`.execute(
    db,
  );
  await sql`
    update partners set billing_start_date = (created_at at time zone 'UTC')::date
    where parent_id is not null and billing_start_date is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table customers drop column billing_from`.execute(db);
}
