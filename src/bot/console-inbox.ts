import { postConsoleMessages } from '../use-cases/console-inbox.js';
import type { Store } from '../use-cases/store.js';
import type { BotReply } from './bot-command.js';
import { toConsoleMessage, toOutgoingMessages } from './outgoing.js';

/** Posts into a console space: the page picks the messages up from GET /v1/console/inbox. */
export async function postToConsoleInbox(
  db: Store,
  space: { spaceId: string; partnerId: string },
  reply: BotReply,
  now: Date,
): Promise<void> {
  await postConsoleMessages(db, space, toOutgoingMessages(reply).map(toConsoleMessage), now);
}
