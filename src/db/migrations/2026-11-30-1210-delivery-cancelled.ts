import { sql, type Kysely } from 'kysely';

/** A delivery whose subscription was deleted while it waited is `cancelled`: it is never sent. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_deliveries drop constraint if exists webhook_deliveries_status_check`.execute(db);
  await sql`alter table webhook_deliveries add constraint webhook_deliveries_status_check
    check (status in ('pending', 'delivered', 'dead', 'cancelled'))`.execute(db);
  // Deliveries already waiting for a deleted subscription stop now.
  await sql`update webhook_deliveries d set status = 'cancelled', locked_until = null, last_error = 'subscription deleted'
    from webhook_subscriptions s where s.id = d.subscription_id and s.deleted_at is not null and d.status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update webhook_deliveries set status = 'dead' where status = 'cancelled'`.execute(db);
  await sql`alter table webhook_deliveries drop constraint if exists webhook_deliveries_status_check`.execute(db);
  await sql`alter table webhook_deliveries add constraint webhook_deliveries_status_check
    check (status in ('pending', 'delivered', 'dead'))`.execute(db);
}
