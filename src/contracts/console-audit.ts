import { z } from 'zod';

const instant = (name: string, dayMeans: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: `${name} must be an ISO 8601 instant (2026-11-30T09:00:00Z) or a date (2026-11-30)`,
    })
    .optional()
    .describe(`${dayMeans}; an instant, or a date in UTC`);

export const auditQuerySchema = z.object({
  actor: z.string().trim().max(200).optional().describe('Part of the actor: a person (`staff:ann@…`), a token (`token:<id>`), `chat:…`'),
  entityType: z.string().trim().max(100).optional().describe('e.g. customer, subscriber, compliance_review, price_book'),
  entityId: z.string().trim().max(200).optional(),
  from: instant('from', 'Entries at or after this (a date: from the start of that day)'),
  to: instant('to', 'Entries before this (a date: up to the end of that day)'),
  offset: z.string().regex(/^\d+$/).optional(),
  max: z.string().regex(/^\d+$/).optional().describe('Page size, 1–200 (default 50)'),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string().describe('ISO 8601 instant'),
  actor: z.string(),
  actorName: z.string().nullable().describe("The token's name or the person's display name (email); null for the desk's own jobs"),
  entityName: z
    .string()
    .nullable()
    .describe("The customer's name, a user's email or a workspace's name with their customer; null when not known"),
  customerId: z.string().nullable().describe('The customer the entry concerns; null when none'),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().describe('The entity before the change, as recorded; null when none'),
  after: z.unknown().describe('The entity after the change, as recorded; null when none'),
  context: z.unknown().describe('What else was recorded (e.g. the chat space, a request id); null when nothing'),
});
export const auditPageSchema = z.object({ items: z.array(auditEntrySchema) });
