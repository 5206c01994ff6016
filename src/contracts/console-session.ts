import { z } from 'zod';
import { STAFF_ROLES } from '../domain/staff-roles.js';

/** `GET /auth/session`: who the console is signed in as; `kind: 'none'` when no credential came. */
export const consoleSessionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('token'),
    partner: z.string(),
    scopes: z.array(z.string()).readonly(),
    packages: z.record(z.string(), z.string()).describe("The package catalogue's display names"),
  }),
  z.object({
    kind: z.literal('person'),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(STAFF_ROLES),
    partner: z.string(),
    csrfToken: z.string().describe('Sent back as X-CSRF-Token with every state-changing request'),
    scopes: z.array(z.string()).readonly(),
    packages: z.record(z.string(), z.string()),
  }),
]);
export type ConsoleSession = z.infer<typeof consoleSessionSchema>;
/** A signed-in session (a token's or a person's). */
export type SignedInSession = Exclude<ConsoleSession, { kind: 'none' }>;

/** One message of the console's chat: a bot reply (`POST /v1/console/messages`) or an inbox digest. */
export const consoleChatMessageSchema = z.object({
  markdown: z.string(),
  attachments: z.array(z.object({ contentType: z.string(), content: z.record(z.string(), z.unknown()) })).optional(),
  files: z
    .array(z.object({ name: z.string(), contentType: z.string(), content: z.string(), encoding: z.literal('base64').optional() }))
    .optional(),
});
export type ConsoleChatMessage = z.infer<typeof consoleChatMessageSchema>;
export const consoleRepliesSchema = z.object({ replies: z.array(consoleChatMessageSchema) });
export const consoleInboxSchema = z.object({
  items: z.array(z.object({ id: z.number().int(), message: consoleChatMessageSchema, createdAt: z.string() })),
});
