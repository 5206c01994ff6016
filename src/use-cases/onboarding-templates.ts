import type { Kysely } from 'kysely';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findTemplateByName, insertTemplate, listTemplates } from '../db/repositories/onboarding-templates.js';
import type { Database, Db, TemplateRow } from '../db/schema.js';
import { isCountryCode } from '../domain/address.js';
import { idpNameProblem, type AuthMode } from '../domain/auth-modes.js';
import { resolveLocale } from '../domain/locale.js';
import { fail, ok, problem, type Problem, type Result } from '../domain/problems.js';
import type { Actor, UseCaseDeps } from './actor.js';
import type { TemplateResponse } from '../contracts/partners.js';
import { isUniqueViolation } from '../db/is-unique-violation.js';

export interface TemplateInput {
  name: string;
  country: string;
  language: string;
  authMode: AuthMode;
  idpEntityId?: string | undefined;
  brandName: string;
  pstnProvider?: string | undefined;
  allowAdminInviteEmails: boolean;
  disableWebexCalling1to1: boolean;
}

/** A template as the API shows it: the contract's names (camelCase, ISO times), not the row's. */
export const toTemplateResponse = (t: TemplateRow): TemplateResponse => ({
  provisioningId: t.id,
  name: t.name,
  country: t.country,
  language: t.language,
  authMode: t.auth_mode,
  ...(t.idp_entity_id ? { idpEntityId: t.idp_entity_id } : {}),
  brandName: t.brand_name,
  ...(t.pstn_provider ? { pstnProvider: t.pstn_provider } : {}),
  allowAdminInviteEmails: t.allow_admin_invite_emails,
  disableWebexCalling1to1: t.disable_webex_calling_1to1,
  created: t.created_at.toISOString(),
});

/** A template is the provisioningId customers are created from; its country and language are their defaults. */
export async function createTemplate(
  db: Kysely<Database>,
  actor: Actor,
  input: TemplateInput,
  deps: UseCaseDeps,
): Promise<Result<TemplateResponse>> {
  const problems: Problem[] = [];
  const country = input.country.trim().toUpperCase();
  if (!isCountryCode(country))
    problems.push(problem('invalid_country', `country "${input.country}" is not an ISO 3166-1 alpha-2 code`, 'country'));
  const locale = resolveLocale(input.language, { country, language: 'en_US' });
  if (!locale.ok || input.language.trim().length !== 5)
    problems.push(
      problem(
        'unsupported_locale',
        `language must be a supported five-character locale such as en_US (got "${input.language}")`,
        'language',
      ),
    );
  if (input.authMode !== 'webex' && !input.idpEntityId?.trim())
    problems.push(problem('invalid_request', `idpEntityId is required with authMode ${input.authMode}`, 'idpEntityId'));
  // With OIDC the entity id is the "IDP Name" registered through Cisco TAC, which has its own rules.
  const idpName = input.authMode === 'partner_oidc' ? input.idpEntityId?.trim() : undefined;
  const wrongName = idpName ? idpNameProblem(idpName) : undefined;
  if (wrongName) problems.push(problem('invalid_idp_name', wrongName, 'idpEntityId'));
  if (await findTemplateByName(db, actor.partner.id, input.name.trim()))
    problems.push(problem('template_name_taken', `a template named "${input.name.trim()}" already exists`, 'name'));
  if (problems.length || !locale.ok) return fail(...problems);
  try {
    return ok(
      await db.transaction().execute(async (trx) => {
        const row = await insertTemplate(trx, {
          id: deps.uuid(),
          partner_id: actor.partner.id,
          name: input.name.trim(),
          country,
          language: locale.value.locale,
          auth_mode: input.authMode,
          idp_entity_id: input.authMode === 'webex' ? null : (input.idpEntityId?.trim() ?? null),
          brand_name: input.brandName.trim(),
          pstn_provider: input.pstnProvider?.trim() || null,
          allow_admin_invite_emails: input.allowAdminInviteEmails,
          disable_webex_calling_1to1: input.disableWebexCalling1to1,
        });
        await appendAudit(trx, {
          at: deps.now,
          partnerId: actor.partner.id,
          actor: actor.label,
          action: 'template.create',
          entityType: 'onboarding_template',
          entityId: row.id,
          after: { name: row.name, country, language: row.language },
        });
        return toTemplateResponse(row);
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error))
      return fail(problem('template_name_taken', `a template named "${input.name.trim()}" already exists`, 'name'));
    throw error;
  }
}

/** The templates of these partners, oldest first. */
export const listTemplatesOf = async (db: Db, partnerIds: readonly string[]): Promise<TemplateResponse[]> =>
  (await listTemplates(db, partnerIds)).map(toTemplateResponse);
