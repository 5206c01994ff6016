import { sql, type Kysely } from 'kysely';

/**
 * A subscription today's rules would refuse (a private or loopback target registered before the SSRF
 * rule) is marked disabled with the reason at each start, instead of dead-lettering every delivery.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_subscriptions add column disabled_reason text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_subscriptions drop column disabled_reason`.execute(db);
}
