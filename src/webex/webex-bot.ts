/**
 * What the rest of src/webex needs from the Webex bot SDK (webex-node-bot-framework). Only
 * bot-framework-adapter.ts implements it, so the SDK can be replaced, or faked, in one place.
 */
export interface WebexBot {
  /** True once started and until stopped. */
  readonly active: boolean;
  /** The bot's own Webex person; known once started. */
  readonly person: { id: string; displayName?: string | undefined } | undefined;
  /** The bot's email; known once started. */
  readonly email: string | undefined;
  /** Starts the SDK and resolves once it has read the spaces the bot is in. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Gives the SDK a webhook body the desk already verified and stored, as if Webex had just posted it. */
  feed(body: Record<string, unknown>): Promise<void>;
  /** Called in the order the SDK emits messages; the listener must not wait before taking its place in line. */
  onMessage(listener: (event: ChatMessageEvent) => void): void;
  onCardSubmission(listener: (event: CardSubmissionEvent) => void): void;
}

export interface ChatSpace {
  id: string;
  title?: string | undefined;
  type: 'direct' | 'group';
}

export interface ChatMessage {
  id: string;
  roomId: string;
  roomType?: 'direct' | 'group' | undefined;
  text?: string | undefined;
  html?: string | undefined;
  personEmail?: string | undefined;
  mentionedPeople?: string[] | undefined;
  /** URLs of attached files. */
  files?: string[] | undefined;
}

export interface CardAction {
  id: string;
  roomId: string;
  inputs?: Record<string, unknown> | undefined;
}

export interface ChatMessageEvent {
  space: ChatSpace;
  /** The sender's email as the SDK looked it up, when it did. */
  senderEmail: string | undefined;
  message: ChatMessage | undefined;
}

export interface CardSubmissionEvent {
  space: ChatSpace;
  senderEmail: string | undefined;
  action: CardAction | undefined;
}
