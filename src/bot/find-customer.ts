import { fail } from '../domain/problems.js';
import { findCustomerByReference } from '../use-cases/chat-lookups.js';
import type { UseCases } from '../use-cases/use-cases.js';
import { customerProblemReply } from './replies.js';

export { findCustomerByReference };

/**
 * The customer a chat message names; when there is none (unknown, ambiguous) the problem's message
 * is the chat reply, with `hint` on what to try.
 */
export async function customerOrReply(
  useCases: UseCases,
  partnerId: string,
  reference: string,
  hint: string,
): ReturnType<UseCases['findCustomerByReference']> {
  const found = await useCases.findCustomerByReference(partnerId, reference);
  if (found.ok) return found;
  return fail(...found.problems.map((p) => ({ ...p, message: customerProblemReply(p, hint) })));
}
