import type { Kysely } from 'kysely';
import { ALL_SCOPES } from '../domain/scopes.js';
import { REGION_DEFAULT_COUNTRY } from '../domain/regions.js';
import { toWebexId } from '../domain/webex-ids.js';
import type { Database } from '../db/schema.js';
import { appendAudit } from '../db/repositories/audit-log.js';
import { findRootPartner, insertPartner } from '../db/repositories/partners.js';
import { insertApiToken } from '../db/repositories/api-tokens.js';
import { insertTemplate } from '../db/repositories/onboarding-templates.js';
import { loadOrCreateSecret } from '../db/repositories/app-secrets.js';
import { insertDefaultCallInNumber } from '../db/repositories/call-in-numbers.js';
import { hashToken, TOKEN_PREFIX } from '../platform/token-hash.js';
import { createSecretBox, type SecretBox } from '../platform/secret-box.js';
import { DOWNLOAD_KEY_NAME } from './signing-keys.js';
import type { Clock, IdSource } from '../ports.js';

export interface SeedInput {
  partnerName: string;
  adminApiToken?: string | undefined;
}

export interface SeedOutcome {
  partnerId: string;
  createdPartner: boolean;
  /** A token generated on this start; shown once, never stored in clear. */
  generatedToken: string | null;
  /** True when ADMIN_API_TOKEN was stored on this start. */
  storedAdminToken: boolean;
  /** Signs temporary download links; shared by all instances through the database. */
  downloadSecret: string;
}

/** Dial-in prefixes of the five region defaults, until the operator loads the real telephony domain. */
const DEFAULT_CALL_IN: Record<string, string> = { US: '+1', SG: '+65', AU: '+61', GB: '+44', DE: '+49' };

/**
 * First start on an empty database: the partner, a default onboarding template, the region call-in
 * defaults and an all-scopes API token. Idempotent, and safe when several instances start together.
 */
export async function seedFirstStart(
  db: Kysely<Database>,
  input: SeedInput,
  deps: { clock: Clock; ids: IdSource; box?: SecretBox },
): Promise<SeedOutcome> {
  const now = deps.clock.now();
  let createdPartner = false;
  let generatedToken: string | null = null;
  let partner = await findRootPartner(db);

  if (!partner) {
    const partnerId = deps.ids.uuid();
    try {
      await db.transaction().execute(async (trx) => {
        await insertPartner(trx, {
          id: partnerId,
          orgId: toWebexId('ORGANIZATION', partnerId),
          name: input.partnerName,
          parentId: null,
          subscriptionId: toWebexId('SUBSCRIPTION', deps.ids.uuid()),
          createdAt: now,
        });
        await insertTemplate(trx, {
          id: deps.ids.uuid(),
          partner_id: partnerId,
          name: 'Default',
          country: 'US',
          language: 'en_US',
          auth_mode: 'webex',
          idp_entity_id: null,
          brand_name: input.partnerName,
          pstn_provider: null,
          // Partner Hub's toggle is "Restrict admin-invite emails…", off by default (seed-provisioning.md line 162):
          // invites are allowed, which attaching an existing org requires.
          allow_admin_invite_emails: true,
          disable_webex_calling_1to1: false,
        });
        for (const country of Object.values(REGION_DEFAULT_COUNTRY)) {
          await insertDefaultCallInNumber(trx, country, DEFAULT_CALL_IN[country] as string);
        }
        if (!input.adminApiToken) {
          generatedToken = `${TOKEN_PREFIX}${deps.ids.secret(32)}`;
          await insertApiToken(trx, {
            id: deps.ids.uuid(),
            partnerId,
            name: 'bootstrap',
            tokenHash: hashToken(generatedToken),
            tokenPrefix: generatedToken.slice(0, 10),
            scopes: ALL_SCOPES,
          });
        }
        await appendAudit(trx, {
          at: now,
          partnerId,
          actor: 'system',
          action: 'partner.seeded',
          entityType: 'partner',
          entityId: partnerId,
          after: { name: input.partnerName },
        });
      });
      createdPartner = true;
    } catch (error) {
      // Another instance seeded first (single-root index): use its partner, print no token.
      generatedToken = null;
      partner = await findRootPartner(db);
      if (!partner) throw error;
    }
    partner ??= await findRootPartner(db);
  }
  if (!partner) throw new Error('seeding finished without a root partner');

  let storedAdminToken = false;
  if (input.adminApiToken) {
    storedAdminToken = await insertApiToken(db, {
      id: deps.ids.uuid(),
      partnerId: partner.id,
      name: 'ADMIN_API_TOKEN',
      tokenHash: hashToken(input.adminApiToken),
      tokenPrefix: input.adminApiToken.slice(0, 10),
      scopes: ALL_SCOPES,
    });
  }
  // Sealed under SECRETS_KEY when it is set; opening it here makes a wrong key a start error.
  const box = deps.box ?? createSecretBox({});
  const downloadSecret = box.open(await loadOrCreateSecret(db, DOWNLOAD_KEY_NAME, () => box.seal(deps.ids.secret(32))));
  return { partnerId: partner.id, createdPartner, generatedToken, storedAdminToken, downloadSecret };
}
