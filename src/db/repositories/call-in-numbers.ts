import type { Db } from '../schema.js';

/** Meetings call-in numbers per country, the default first. */
export async function listCallInNumbers(db: Db): Promise<Record<string, string[]>> {
  const rows = await db.selectFrom('telephony_call_in_numbers').selectAll().orderBy('country').orderBy('position').execute();
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.country] ??= []).push(r.number);
  return out;
}

/** A country's default number unless one is already there. */
export async function insertDefaultCallInNumber(db: Db, country: string, number: string): Promise<void> {
  await db
    .insertInto('telephony_call_in_numbers')
    .values({ country, position: 1, number })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Replaces a country's numbers (call it in a transaction). */
export async function replaceCallInNumbers(db: Db, country: string, numbers: readonly string[]): Promise<void> {
  await db.deleteFrom('telephony_call_in_numbers').where('country', '=', country).execute();
  await db
    .insertInto('telephony_call_in_numbers')
    .values(numbers.map((number, i) => ({ country, position: i + 1, number })))
    .execute();
}
