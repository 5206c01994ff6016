import { z } from 'zod';

/** GET /v1/upstream/status: which mode the desk runs in, and how its Webex Wholesale connection is doing. */
export const upstreamStatusResponseSchema = z.object({
  mode: z
    .enum(['standalone', 'upstream'])
    .describe('standalone: nothing reaches Webex; upstream: provisioning goes through Webex Wholesale'),
  api: z.string().optional().describe('WEBEX_WHOLESALE_API_URL'),
  auth: z.enum(['token', 'oauth']).optional(),
  circuit: z
    .object({
      state: z.enum(['closed', 'open', 'half_open']),
      consecutiveFailures: z.number().int(),
      openedAt: z.string().nullable(),
      retryAt: z.string().nullable(),
    })
    .optional(),
  inFlight: z.number().int().optional(),
  waiting: z.number().int().optional(),
  calls: z.number().int().optional().describe('calls sent since start (this instance)'),
  lastError: z.object({ at: z.string(), message: z.string(), trackingId: z.string().nullable() }).nullable().optional(),
});
