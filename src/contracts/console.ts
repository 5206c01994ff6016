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

const isoInstant = z.string().describe('ISO 8601 instant, UTC');

/** `GET /v1/console/dashboard`: the console's overview, shaped for people (names, rounded figures). */
export const consoleDashboardSchema = z.object({
  customersByStatus: z.record(z.string(), z.number().int()).describe('How many customers are in each status'),
  recentCustomers: z
    .array(z.object({ id: z.string(), name: z.string(), externalId: z.string(), status: z.string(), createdAt: isoInstant }))
    .describe('The newest customers first'),
  reviewQueue: z
    .array(
      z.object({
        customerId: z.string(),
        name: z.string(),
        kind: z.string(),
        deadlineAt: isoInstant,
        overdue: z.boolean().describe('The deadline has passed'),
        topMatch: z.string().nullable(),
      }),
    )
    .describe('Open compliance reviews, nearest deadline first'),
  screening: z
    .object({
      list: z.enum(['none', 'indexing', 'loaded']).describe('The restricted-party list: none loaded, being indexed, or loaded'),
      listVersion: z.number().int().nullable(),
      loadedAt: isoInstant.nullable(),
      entries: z.number().int().nullable(),
      required: z.boolean().describe('SCREENING_REQUIRED: without a list, new customers wait (true) or are provisioned unscreened (false)'),
      unscreenedCustomers: z
        .number()
        .int()
        .describe("The partner's customers provisioned without screening, screened when a list is loaded"),
      warning: z.string().nullable().describe('What needs doing; null when screening runs as it should'),
    })
    .describe('Restricted-party screening: whether a list is loaded and who went through without it'),
  billingThisMonth: z.object({
    month: z.string(),
    provisional: z.boolean(),
    through: z.string().nullable(),
    currency: z.string().nullable(),
    packages: z.array(z.object({ package: z.string(), quantity: z.string(), amountMinor: z.number().int() })),
    packageSummaries: z
      .array(
        z.object({
          package: z.string(),
          name: z.string().describe("The package's display name"),
          licenceDays: z.number().describe('Licence-days so far, to one decimal'),
          averageLicences: z
            .number()
            .nullable()
            .describe('Average licences held per counted day, to one decimal; null before a day has ended'),
          amountMinor: z.number().int(),
        }),
      )
      .describe('The packages as people read them'),
    customers: z
      .array(z.object({ customerId: z.string(), name: z.string(), externalId: z.string(), amountMinor: z.number().int() }))
      .describe('The 100 highest charges, highest first'),
    customerCount: z.number().int().describe('How many customers have usage this month (all count in totalMinor)'),
    totalMinor: z.number().int(),
    unpricedPackages: z.array(z.string()),
    asOf: z.string().nullable().describe('The last day (UTC) the figures count; null when none is counted or none are kept yet'),
    refreshing: z
      .boolean()
      .describe(
        'True while these are the last kept figures (through asOf) and a background refresh brings them current; with asOf null, the month is being computed for the first time',
      ),
  }),
});
