import { findBotSpaceOwner, insertBotSpaceIfNew } from '../db/repositories/bot-spaces.js';
import { findStaffWithPartner } from '../db/repositories/staff.js';
import { fail, ok, problem, type Result } from '../domain/problems.js';
import type { StaffRole } from '../domain/staff-roles.js';
import type { Store } from './store.js';
import { type ActingPartner, toActingPartner } from './partner-views.js';

export interface ChatActor {
  partner: ActingPartner;
  /** Audit label: `staff:<email>`. */
  label: string;
  role: StaffRole;
}

/** Records the space as the partner's unless it already belongs to someone (first binding wins). */
export async function bindChatSpace(
  db: Store,
  s: { spaceId: string; partnerId: string; title: string | null; boundBy: string; now: Date },
): Promise<void> {
  await insertBotSpaceIfNew(db, {
    spaceId: s.spaceId,
    partnerId: s.partnerId,
    transport: s.spaceId.startsWith('console:') ? 'console' : 'webex',
    title: s.title,
    boundBy: s.boundBy,
    at: s.now,
  });
}

/**
 * A Webex person → staff member of a partner, and the space → that partner. A space is bound to the
 * partner of the first staff member who speaks in it; another partner's staff are refused there, so
 * nobody reads a partner's data in a space its people do not own.
 */
export async function identifyChatActor(
  db: Store,
  input: { email: string; spaceId: string; title: string | null; now: Date },
): Promise<Result<ChatActor>> {
  const email = input.email.trim().toLowerCase();
  const staff = await findStaffWithPartner(db, email);
  if (!staff) return fail(problem('staff_not_found', `${email} is not on the partner's staff list`));
  await bindChatSpace(db, {
    spaceId: input.spaceId,
    partnerId: staff.partner.id,
    title: input.title,
    boundBy: `staff:${email}`,
    now: input.now,
  });
  const owner = await findBotSpaceOwner(db, input.spaceId);
  if (owner !== staff.partner.id) return fail(problem('space_of_another_partner', `space ${input.spaceId} belongs to another partner`));
  if (staff.partner.provisioning_state !== 'active')
    return fail(problem('sub_partner_suspended', `partner ${staff.partner.name} is suspended`));
  return ok({ partner: toActingPartner(staff.partner), label: `staff:${staff.email}`, role: staff.role });
}
