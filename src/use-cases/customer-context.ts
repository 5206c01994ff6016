import { listCallInNumbers } from '../db/repositories/call-in-numbers.js';
import { findTemplate } from '../db/repositories/onboarding-templates.js';
import { findPartnerById } from '../db/repositories/partners.js';
import type { Db, TemplateRow } from '../db/schema.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { ActingPartner } from './partner-views.js';

/** Templates belong to the root partner; a sub-partner uses its own or its parent's. */
export async function findUsableTemplate(db: Db, partner: ActingPartner, provisioningId: string): Promise<Result<TemplateRow>> {
  const template = await findTemplate(db, provisioningId);
  if (!template || (template.partner_id !== partner.id && template.partner_id !== partner.parentId)) {
    return fail(
      problem(
        'template_not_found',
        `no onboarding template with provisioningId ${provisioningId}; list them with GET /v1/wholesale/onboardingTemplates`,
        'provisioningId',
      ),
    );
  }
  return ok(template);
}

export const loadCallInNumbers = (db: Db): Promise<Record<string, string[]>> => listCallInNumbers(db);

/** The root partner's setting governs its sub-partners too. */
export async function isDelayedBillingEnabled(db: Db, partner: ActingPartner): Promise<boolean> {
  if (partner.settings.delayedBilling) return true;
  if (!partner.parentId) return false;
  const parent = await findPartnerById(db, partner.parentId);
  return Boolean(parent?.settings.enable_wholesale_delayed_billing);
}
