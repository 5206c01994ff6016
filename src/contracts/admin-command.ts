import { z } from 'zod';

const OPTION_NAMES = ['name', 'scopes', 'role', 'partner', 'billing-start', 'state', 'kind', 'month', 'customer'] as const;

/**
 * What the operator CLI sends the running service's loopback admin endpoint: the words of the command
 * and its options, as parsed on the operator's side.
 */
export const adminCommandRequestSchema = z
  .object({
    args: z.array(z.string().max(1_000)).min(1, 'args: name a command, e.g. ["token", "list"]').max(100),
    options: z.partialRecord(z.enum(OPTION_NAMES), z.string().max(10_000)).default({}),
  })
  .strict();

export type AdminCommandRequest = z.infer<typeof adminCommandRequestSchema>;

/** The command's answer: exactly what the CLI prints and the exit code it exits with. */
export const adminCommandResponseSchema = z.object({ output: z.string(), exitCode: z.number().int() });
