import { sql, type Kysely } from 'kysely';

/**
 * A review of kind `name_missing` holds an attached org that has no name yet (it is screened once the
 * name arrives, never on its externalId); such a review is against no list version.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table compliance_reviews drop constraint if exists compliance_reviews_kind_check`.execute(db);
  await sql`alter table compliance_reviews add constraint compliance_reviews_kind_check
    check (kind in ('onboarding', 'address_change', 'list_reload', 'name_missing'))`.execute(db);
  await sql`alter table compliance_reviews alter column list_version_id drop not null`.execute(db);
  // The 30-day sweep looks customers up by this.
  await sql`create index customers_non_compliant on customers (non_compliant_since) where non_compliant_since is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists customers_non_compliant`.execute(db);
  await sql`delete from compliance_reviews where kind = 'name_missing'`.execute(db);
  await sql`alter table compliance_reviews alter column list_version_id set not null`.execute(db);
  await sql`alter table compliance_reviews drop constraint if exists compliance_reviews_kind_check`.execute(db);
  await sql`alter table compliance_reviews add constraint compliance_reviews_kind_check
    check (kind in ('onboarding', 'address_change', 'list_reload'))`.execute(db);
}
