// webex-node-bot-framework 2.3.14 ships no types (its issue #30); these cover what this service uses.
declare module 'webex-node-bot-framework' {
  import type { EventEmitter } from 'node:events';

  export interface FrameworkOptions {
    token: string;
    /** Webhook mode when set; websocket mode (Webex's Mercury socket) when absent. */
    webhookUrl?: string;
    webhookSecret?: string;
    /** Default true: deletes every webhook of the token at start, other instances' too. */
    removeWebhooksOnStart?: boolean;
    messageFormat?: 'text' | 'markdown' | 'html';
    maxStartupSpaces?: number;
    id?: string;
  }

  export interface WebexPerson {
    id: string;
    emails: string[];
    displayName?: string;
    type?: 'person' | 'bot';
  }

  export interface WebexRoom {
    id: string;
    title?: string;
    type: 'direct' | 'group';
  }

  export interface WebexMessage {
    id: string;
    roomId: string;
    roomType?: 'direct' | 'group';
    text?: string;
    html?: string;
    personId: string;
    personEmail?: string;
    mentionedPeople?: string[];
    files?: string[];
  }

  export interface WebexAttachmentAction {
    id: string;
    type: 'submit';
    messageId: string;
    roomId: string;
    personId: string;
    inputs: Record<string, unknown>;
  }

  export interface Trigger {
    type: 'message' | 'attachmentAction';
    id: string;
    text?: string;
    args: string[];
    message?: WebexMessage;
    attachmentAction?: WebexAttachmentAction;
    person: WebexPerson;
    personId: string;
  }

  export interface Bot {
    id: string;
    active: boolean;
    room: WebexRoom;
    person: WebexPerson;
  }

  export interface Framework extends EventEmitter {
    person: WebexPerson;
    email: string;
    active: boolean;
    initialized: boolean;
    webhook: { name?: string } | false;
    start(): Promise<boolean>;
    stop(): Promise<boolean>;
    on(event: 'message' | 'mentioned', listener: (bot: Bot, trigger: Trigger, id: string) => void): this;
    on(event: 'attachmentAction', listener: (bot: Bot, trigger: Trigger, id: string) => void): this;
    on(event: 'spawn', listener: (bot: Bot, id: string, addedBy?: string) => void): this;
    on(event: 'initialized' | 'start' | 'stop', listener: (id: string) => void): this;
    on(event: 'log', listener: (message: string) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
  }

  const Framework: new (options: FrameworkOptions) => Framework;
  export default Framework;
}

declare module 'webex-node-bot-framework/webhook.js' {
  import type { Framework } from 'webex-node-bot-framework';
  /** Express-style handler; called without `res`, it only processes `req.body`. */
  export default function createWebhookHandler(
    framework: Framework,
  ): (req: { body: unknown; headers: Record<string, string> }) => Promise<unknown>;
}
