import { bindChatSpace, identifyChatActor } from '../use-cases/chat-actors.js';

/** Records the space as the partner's unless it already belongs to someone (first binding wins). */
export const bindSpace = bindChatSpace;

/**
 * A Webex person → staff member of a partner, and the space → that partner: the actor, or the
 * problem that refuses the person; the transport turns a problem into its reply (chatActorRefusal).
 */
export const resolveChatActor = identifyChatActor;
