import { sql, type Kysely } from 'kysely';

/**
 * Report chunks compressed with lz4 where the server has it (PostgreSQL 14+ built with lz4): a USER
 * chunk (one customer's lines of a package, a few KB) then fits in its row instead of TOAST, so a
 * 1,000,000-subscriber report writes a fraction of its 755 MB and deletes without TOAST. pglz cost more
 * CPU than it saved, which is why the chunks were stored uncompressed; where lz4 is missing (PGlite)
 * they stay so.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Any failure (no lz4 in this build) leaves the column as it was: uncompressed is correct, only larger.
  await sql`
    do $$ begin
      alter table billing_report_chunks alter column body set compression lz4;
      alter table billing_report_chunks alter column body set storage extended;
    exception when others then null;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table billing_report_chunks alter column body set storage external`.execute(db);
  await sql`
    do $$ begin
      alter table billing_report_chunks alter column body set compression default;
    exception when others then null;
    end $$`.execute(db);
}
