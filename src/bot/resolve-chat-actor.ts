import { bindChatSpace, identifyChatActor } from '../use-cases/chat-actors.js';
import type { Store } from '../use-cases/store.js';
import type { BotActor } from './bot-command.js';
import { chatActorRefusal } from './replies.js';

/** Records the space as the partner's unless it already belongs to someone (first binding wins). */
export const bindSpace = bindChatSpace;

/** The actor, or the reply that refuses the person (the transport sends it as is). */
export type ChatActorResult = { ok: true; actor: BotActor } | { ok: false; refusal: string };

/**
 * A Webex person → staff member of a partner, and the space → that partner (see identifyChatActor);
 * a refusal becomes its chat reply here, where the transport takes it.
 */
export async function resolveChatActor(db: Store, input: { email: string; spaceId: string; title: string | null; now: Date }): Promise<ChatActorResult> {
  const identified = await identifyChatActor(db, input);
  if (identified.ok) return { ok: true, actor: identified.value };
  return { ok: false, refusal: chatActorRefusal(identified.problems[0]!, input.email.trim().toLowerCase()) };
}
