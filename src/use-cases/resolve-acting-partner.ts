import { findPartnerByOrgId } from '../db/repositories/partners.js';
import type { Db } from '../db/schema.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import { type ActingPartner, toActingPartner } from './partner-views.js';

export type PartnerAction = 'read' | 'write' | 'delete';

/**
 * A parent partner acts for one of its own sub-partners with onBehalfOfSubPartnerOrgId; a
 * suspended (sub-)partner may still read and delete, nothing else.
 */
export async function resolveActingPartner(
  db: Db,
  tokenPartner: ActingPartner,
  onBehalfOf: string | undefined,
  action: PartnerAction,
): Promise<Result<ActingPartner>> {
  let acting = tokenPartner;
  if (onBehalfOf) {
    const sub = await findPartnerByOrgId(db, onBehalfOf);
    if (!sub || sub.parent_id !== tokenPartner.id) {
      return fail(
        problem('sub_partner_not_found', `no sub-partner with orgId ${onBehalfOf} belongs to this partner`, 'onBehalfOfSubPartnerOrgId'),
      );
    }
    acting = toActingPartner(sub);
  }
  if (acting.provisioningState === 'suspended' && action === 'write') {
    return fail(problem('sub_partner_suspended', `partner ${acting.name} is suspended and may only read and delete`));
  }
  return ok(acting);
}
