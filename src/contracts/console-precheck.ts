import { z } from 'zod';
import { createSubscriberBodySchema } from './subscribers.js';

/**
 * The Customer page's check before it asks "yes?": the same rules the chat runs before it proposes
 * (and, upstream, Webex's own precheck for a new user), nothing written.
 */
export const consoleSubscriberPrecheckSchema = z.discriminatedUnion('action', [
  createSubscriberBodySchema.extend({ action: z.literal('add') }),
  z.object({ action: z.literal('change'), subscriberId: z.string().min(1).max(200), packages: z.array(z.string().max(60)).min(1).max(5) }),
  z.object({ action: z.literal('remove'), subscriberId: z.string().min(1).max(200) }),
]);
export type ConsoleSubscriberPrecheck = z.infer<typeof consoleSubscriberPrecheckSchema>;

export const consoleSubscriberPrecheckAnswerSchema = z.object({
  ok: z.boolean().describe('True when the change can be made now'),
  problems: z
    .array(z.object({ field: z.string().nullable(), message: z.string() }))
    .describe("What stands in the way, in the desk's words (as the chat says it); empty when ok"),
});
