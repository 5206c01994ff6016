import { findTemplate } from '../db/repositories/onboarding-templates.js';
import type { Db, PartnerRow, TemplateRow } from '../db/schema.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';

/** Templates belong to the root partner; a sub-partner uses its own or its parent's. */
export async function findUsableTemplate(db: Db, partner: PartnerRow, provisioningId: string): Promise<Result<TemplateRow>> {
  const template = await findTemplate(db, provisioningId);
  if (!template || (template.partner_id !== partner.id && template.partner_id !== partner.parent_id)) {
    return fail(problem('template_not_found', `no onboarding template with provisioningId ${provisioningId}; list them with GET /v1/wholesale/onboardingTemplates`, 'provisioningId'));
  }
  return ok(template);
}

export async function loadCallInNumbers(db: Db): Promise<Record<string, string[]>> {
  const rows = await db.selectFrom('telephony_call_in_numbers').selectAll().orderBy('country').orderBy('position').execute();
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.country] ??= []).push(r.number);
  return out;
}

/** The root partner's setting governs its sub-partners too. */
export async function isDelayedBillingEnabled(db: Db, partner: PartnerRow): Promise<boolean> {
  if (partner.settings.enable_wholesale_delayed_billing) return true;
  if (!partner.parent_id) return false;
  const parent = await db.selectFrom('partners').select('settings').where('id', '=', partner.parent_id).executeTakeFirst();
  return Boolean(parent?.settings.enable_wholesale_delayed_billing);
}

/** True when a unique index refused the insert (both pg and PGlite report SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
