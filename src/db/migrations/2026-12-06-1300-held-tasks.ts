import { sql, type Kysely } from 'kysely';

/**
 * Tasks gain the `parked` status: work held because Webex refused the desk's token, waiting for a retry
 * with its attempts untouched. Held and failed tasks are listed and retried by kind, so they get an index.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table tasks drop constraint tasks_status_check`.execute(db);
  await sql`alter table tasks add constraint tasks_status_check check (status in ('pending', 'done', 'failed', 'parked'))`.execute(db);
  await sql`create index tasks_stopped on tasks (kind, id) where status in ('parked', 'failed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index tasks_stopped`.execute(db);
  await sql`update tasks set status = 'failed' where status = 'parked'`.execute(db);
  await sql`alter table tasks drop constraint tasks_status_check`.execute(db);
  await sql`alter table tasks add constraint tasks_status_check check (status in ('pending', 'done', 'failed'))`.execute(db);
}
