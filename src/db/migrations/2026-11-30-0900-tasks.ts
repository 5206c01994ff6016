import { sql, type Kysely } from 'kysely';

/**
 * `provisioning_tasks` also holds billing report and re-screening work: it becomes `tasks`, with its
 * index, key, sequence and check renamed alike. Rows, ids and leases are kept as they are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table provisioning_tasks rename to tasks`.execute(db);
  await sql`alter index provisioning_tasks_pkey rename to tasks_pkey`.execute(db);
  await sql`alter index provisioning_tasks_due rename to tasks_due`.execute(db);
  await sql`alter sequence provisioning_tasks_id_seq rename to tasks_id_seq`.execute(db);
  await sql`alter table tasks rename constraint provisioning_tasks_status_check to tasks_status_check`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table tasks rename constraint tasks_status_check to provisioning_tasks_status_check`.execute(db);
  await sql`alter sequence tasks_id_seq rename to provisioning_tasks_id_seq`.execute(db);
  await sql`alter index tasks_due rename to provisioning_tasks_due`.execute(db);
  await sql`alter index tasks_pkey rename to provisioning_tasks_pkey`.execute(db);
  await sql`alter table tasks rename to provisioning_tasks`.execute(db);
}
