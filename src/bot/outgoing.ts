import type { ConsoleChatMessage } from '../contracts/console-session.js';
import type { BotFile, BotReply } from './bot-command.js';
import { splitMarkdown } from './replies.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** One message as Webex takes it: markdown, at most one card, at most one file. */
export interface OutgoingMessage {
  markdown: string;
  attachments?: { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: Record<string, unknown> }[];
  files?: BotFile[];
}

/**
 * A reply as the messages that carry it: the markdown split below the byte limit, the card on the
 * last part (its markdown is the fallback text), then each file in a message of its own, because
 * Webex takes one file per message.
 */
export function toOutgoingMessages(reply: BotReply): OutgoingMessage[] {
  const parts = splitMarkdown(reply.markdown);
  const messages: OutgoingMessage[] = parts.map((markdown) => ({ markdown }));
  if (reply.card) messages[messages.length - 1]!.attachments = [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: reply.card }];
  for (const file of reply.files ?? []) messages.push({ markdown: `📎 ${file.name}`, files: [file] });
  return messages;
}

/** JSON carries text: binary files (the chart PNG) travel base64-encoded, marked as such. */
export function toConsoleMessage({ files, ...m }: OutgoingMessage): ConsoleChatMessage {
  return {
    ...m,
    ...(files
      ? {
          files: files.map(({ name, contentType, content }) =>
            typeof content === 'string'
              ? { name, contentType, content }
              : { name, contentType, content: Buffer.from(content).toString('base64'), encoding: 'base64' as const },
          ),
        }
      : {}),
  };
}
