import { z } from 'zod';
import { REVIEW_KINDS } from '../domain/compliance/review-rules.js';

export const rejectBodySchema = z.object({ reason: z.string().trim().min(3, 'give the reason for the rejection').max(2000) });
export const approveBodySchema = z.object({ note: z.string().max(2000).optional() });
export const contactBodySchema = z.object({ outcome: z.enum(['no_answer', 'reached']), note: z.string().max(2000).optional() });

export const listReviewsQuerySchema = z.object({
  status: z.enum(['open', 'approved', 'rejected', 'expired', 'deprovisioned']).optional(),
  kind: z.enum(REVIEW_KINDS).optional(),
  customerId: z.string().optional(),
  offset: z.string().regex(/^\d+$/).optional(),
  max: z.string().regex(/^\d+$/).optional(),
});
export type ListReviewsQuery = z.infer<typeof listReviewsQuerySchema>;

/** A compliance review as the API answers it (the queue, and each decision's answer). */
export const complianceReviewSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  kind: z.enum(REVIEW_KINDS),
  status: z.enum(['open', 'approved', 'rejected', 'expired', 'deprovisioned']),
  matches: z.array(z.object({ entryId: z.string(), source: z.string(), matchedName: z.string(), score: z.number() })),
  openedAt: z.string(),
  deadline: z.string(),
  unansweredContacts: z.number().int(),
  contacts: z.array(z.object({ at: z.string(), outcome: z.string(), note: z.string().nullable(), by: z.string() })),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  reason: z.string().nullable(),
});

/** POST /v1/compliance/screening-list: the stored version, active at once, every customer queued for re-screening. */
export const screeningListLoadedSchema = z.object({
  versionId: z.number().int(),
  entries: z.number().int(),
  status: z.literal('active'),
  rescreening: z.literal('queued'),
});
