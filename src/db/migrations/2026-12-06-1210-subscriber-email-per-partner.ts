import { sql, type Kysely } from 'kysely';

/**
 * A live subscriber's email is unique within its partner, no longer across partners: refusing an email
 * because another tenant holds it told one partner about another's users (an existence oracle). Webex
 * itself still refuses an address it already has, when the desk provisions through it, as it does for
 * any Webex user outside the desk.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create unique index subscribers_live_partner_email on subscribers (partner_id, email) where status <> 'deleted'`.execute(db);
  await sql`drop index if exists subscribers_live_email`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create unique index subscribers_live_email on subscribers (email) where status <> 'deleted'`.execute(db);
  await sql`drop index if exists subscribers_live_partner_email`.execute(db);
}
