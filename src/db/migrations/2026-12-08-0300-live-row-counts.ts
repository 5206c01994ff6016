import { sql, type Kysely } from 'kysely';

/**
 * Live (not deleted) customers and subscribers counted per partner, so that an offset page past the
 * middle of a million-row list is read from the other end of its index (issue 28): the count is the sum
 * of `live_row_counts.n` for (partner, kind).
 *
 * The triggers only append rows (an insert or delete statement: one per partner, +n or -n; an update: one
 * per row that crosses the live/removed line, ±1), never update a shared counter, so writers never wait
 * on one another or on a long transaction (the upstream sync's) for a counter row. `compactLiveRowCounts` (src/db/repositories/live-row-counts.ts) folds a
 * partner's rows into one once they are many. A TRUNCATE drops the table's counts with its rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('live_row_counts')
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('customers', 'subscribers')`))
    .addColumn('n', 'bigint', (c) => c.notNull())
    .execute();
  await sql`create index live_row_counts_partner on live_row_counts (partner_id, kind) include (n)`.execute(db);
  for (const table of ['customers', 'subscribers'] as const) {
    await sql`create function ${sql.raw(`count_live_${table}`)}() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into live_row_counts (partner_id, kind, n)
            select partner_id, ${sql.lit(table)}, count(*) from new_rows where status <> 'deleted' group by partner_id;
        elsif tg_op = 'DELETE' then
          insert into live_row_counts (partner_id, kind, n)
            select partner_id, ${sql.lit(table)}, -count(*) from old_rows where status <> 'deleted' group by partner_id;
        else
          delete from live_row_counts where kind = ${sql.lit(table)};
        end if;
        return null;
      end $$`.execute(db);
    const fn = sql.raw(`count_live_${table}()`);
    const t = sql.table(table);
    await sql`create trigger ${sql.raw(`${table}_count_live_insert`)} after insert on ${t}
      referencing new table as new_rows for each statement execute function ${fn}`.execute(db);
    // An update counts only when a row crosses the live/removed line (or changes partner): row-level, with a
    // WHEN the server checks before calling anything, so the many updates that do neither cost nothing.
    await sql`create function ${sql.raw(`count_live_${table}_moved`)}() returns trigger language plpgsql as $$
      begin
        if old.status <> 'deleted' then
          insert into live_row_counts (partner_id, kind, n) values (old.partner_id, ${sql.lit(table)}, -1);
        end if;
        if new.status <> 'deleted' then
          insert into live_row_counts (partner_id, kind, n) values (new.partner_id, ${sql.lit(table)}, 1);
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_count_live_update`)} after update on ${t}
      for each row when ((old.status = 'deleted') <> (new.status = 'deleted') or old.partner_id <> new.partner_id)
      execute function ${sql.raw(`count_live_${table}_moved()`)}`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_count_live_delete`)} after delete on ${t}
      referencing old table as old_rows for each statement execute function ${fn}`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_count_live_truncate`)} after truncate on ${t}
      for each statement execute function ${fn}`.execute(db);
    await sql`insert into live_row_counts (partner_id, kind, n)
      select partner_id, ${table}, count(*) from ${t} where status <> 'deleted' group by partner_id`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['customers', 'subscribers'] as const) {
    for (const op of ['insert', 'update', 'delete', 'truncate'])
      await sql`drop trigger if exists ${sql.raw(`${table}_count_live_${op}`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function if exists ${sql.raw(`count_live_${table}`)}()`.execute(db);
    await sql`drop function if exists ${sql.raw(`count_live_${table}_moved`)}()`.execute(db);
  }
  await db.schema.dropTable('live_row_counts').ifExists().execute();
}
