import type { Db, TemplateRow } from '../schema.js';

export type NewTemplate = Omit<TemplateRow, 'created_at'>;

export async function insertTemplate(db: Db, t: NewTemplate): Promise<TemplateRow> {
  return db.insertInto('onboarding_templates').values(t).returningAll().executeTakeFirstOrThrow();
}

export const findTemplate = (db: Db, id: string) =>
  db.selectFrom('onboarding_templates').selectAll().where('id', '=', id).executeTakeFirst();

export const findTemplateByName = (db: Db, partnerId: string, name: string) =>
  db.selectFrom('onboarding_templates').selectAll().where('partner_id', '=', partnerId).where('name', '=', name).executeTakeFirst();

export const listTemplates = (db: Db, partnerIds: readonly string[]) =>
  db.selectFrom('onboarding_templates').selectAll().where('partner_id', 'in', partnerIds).orderBy('created_at').orderBy('id').execute();
