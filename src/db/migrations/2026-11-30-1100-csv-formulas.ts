import { sql, type Kysely } from 'kysely';

/**
 * Report CSVs neutralise spreadsheet formulas like the domain's toCsvLine: a field starting with
 * =, +, -, @, a tab or a carriage return (and not a plain number) gets a leading apostrophe.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function csv_field(t text) returns text immutable language sql as $$
      select case when t is null then ''
        else (select case when v ~ '[",\r\n]' then '"' || replace(v, '"', '""') || '"' else v end
              from (select case when t ~ '^[=+\-@\t\r]' and t !~ '^[+-]?[0-9]+(\.[0-9]+)?$' then '''' || t else t end as v) neutralised)
      end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function csv_field(t text) returns text immutable language sql as $$
      select case when t is null then '' when t ~ '[",\r\n]' then '"' || replace(t, '"', '""') || '"' else t end
    $$`.execute(db);
}
