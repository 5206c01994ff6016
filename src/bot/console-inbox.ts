import type { UseCases } from '../use-cases/use-cases.js';
import type { BotReply } from './bot-command.js';
import { toConsoleMessage, toOutgoingMessages } from './outgoing.js';

/** Posts into a console space: the page picks the messages up from GET /v1/console/inbox. */
export async function postToConsoleInbox(
  useCases: UseCases,
  space: { spaceId: string; partnerId: string },
  reply: BotReply,
  now: Date,
): Promise<void> {
  await useCases.postConsoleMessages(space, toOutgoingMessages(reply).map(toConsoleMessage), now);
}
