import { z } from 'zod';

const MAX_FILE_BYTES = 2_000_000;

export const consoleMessageSchema = z.union([
  z.object({
    text: z.string().max(4_000, 'a command fits in 4,000 characters'),
    files: z
      .array(
        z.object({
          name: z.string().min(1).max(200),
          content: z.string().max(MAX_FILE_BYTES, `a file holds at most ${MAX_FILE_BYTES} bytes`),
        }),
      )
      .max(1, 'attach one file')
      .optional()
      .describe('Text files attached to the message (the CSV of `import users`)'),
  }),
  z.object({
    cardInputs: z
      .record(z.string(), z.union([z.string().max(4_000), z.number(), z.boolean()]))
      .describe('The values of a submitted Adaptive Card, with its data'),
  }),
]);

export const inboxQuerySchema = z.object({ after: z.coerce.number().int().min(0).default(0).describe('Only messages with a larger id') });
