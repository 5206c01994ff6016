/** Where a chat space lives: a Webex room or a web console session. */
export const CHAT_TRANSPORTS = ['webex', 'console'] as const;
export type ChatTransport = (typeof CHAT_TRANSPORTS)[number];
