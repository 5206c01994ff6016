import { sql, type Kysely } from 'kysely';

/** The price book names, per package and version, the rule invoices bill it by; existing prices keep today's (prorated). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table price_book add column policy text not null default 'prorated'
    check (policy in ('prorated', 'average_rounded_up', 'peak'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table price_book drop column policy`.execute(db);
}
