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
